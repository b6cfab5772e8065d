import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/auth/auth.server.ts'
import { formatDateTime } from '#app/components/exam/format.ts'
import { personCodeFor } from '#app/records/person-code.server.ts'

// The page reloads itself two minutes before the code runs out, so the code on screen is always valid.
export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: '一人一码 · 安全生产培训考试平台' },
	...(data ? [{ httpEquiv: 'refresh', content: String(data.refreshSeconds) }] : []),
]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const now = new Date()
	const code = await personCodeFor(user.id, new URL(request.url).origin, now)
	const refreshSeconds = Math.max(30, Math.floor((code.expiresAt.getTime() - now.getTime()) / 1000) - 120)
	return { name: user.name, svg: code.svg, url: code.url, expiresAt: code.expiresAt.toISOString(), refreshSeconds }
}

export default function PersonCode() {
	const { name, svg, expiresAt } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>一人一码</h1>
			<section className="card person-code" aria-labelledby="code-title">
				<h2 id="code-title">{name}</h2>
				{/* Our own SVG, made by the qrcode library from our own URL. */}
				<div className="qr" role="img" aria-label="个人二维码" dangerouslySetInnerHTML={{ __html: svg }} />
				<p>请检查人员或门岗扫码，查看您此刻的上岗资格。</p>
				<p className="muted">二维码有效至 {formatDateTime(expiresAt)}，页面会自动更新；截图过期后无效。</p>
			</section>
			<p>
				<Link to="/me">返回我的</Link>
			</p>
		</>
	)
}
