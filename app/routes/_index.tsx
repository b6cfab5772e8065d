import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getUser } from '#app/auth/auth.server.ts'
import { homePathOf } from '#app/auth/scope.ts'

export const meta: MetaFunction = () => [
	{ title: '安全生产培训考试与宣教平台' },
	{ name: 'description', content: '从业人员岗位安全知识学习与考试、企业培训登记、监管部门随机抽考与安全宣传教育平台。' },
]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await getUser(request)
	return { home: user ? homePathOf(user) : null }
}

export default function Index() {
	const { home } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>安全生产培训考试与宣教平台</h1>
			<p>从业人员未经安全生产教育和培训合格，不得上岗作业。在这里学习本岗位应知应会知识、参加考试，查看自己的上岗资格。</p>
			<div className="actions">
				{home ? (
					<Link className="button" to={home}>
						进入工作台
					</Link>
				) : (
					<Link className="button" to="/login">
						登录
					</Link>
				)}
				<Link className="button secondary" to="/job-types">
					工种目录
				</Link>
			</div>
		</>
	)
}
