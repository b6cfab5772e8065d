import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { totalOf } from '#app/outreach/competition-form.ts'
import { publicCompetitions } from '#app/outreach/competitions.server.ts'
import { db } from '#app/utils/db.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /competitions — public: 知识竞赛 running now, coming up, and recently finished.

const DESCRIPTION = '安全生产知识竞赛：不用登录，填写姓名、手机号和单位即可报名，每人一次答题机会，按得分和用时排名。'

export const meta: MetaFunction = (args) => publicMeta(args, { title: '知识竞赛', description: DESCRIPTION })

export async function loader(_: LoaderFunctionArgs) {
	const { open, upcoming, finished } = await publicCompetitions(db)
	const card = (c: (typeof open)[number]) => ({
		slug: c.slug,
		title: c.title,
		window: `${formatChinaTime(c.opensAt)} 至 ${formatChinaTime(c.closesAt)}`,
		paper: `${totalOf(c.rules).questions} 题，限时 ${c.timeLimitMinutes} 分钟`,
	})
	return { open: open.map(card), upcoming: upcoming.map(card), finished: finished.map(card) }
}

type Card = Awaited<ReturnType<typeof loader>>['open'][number]

function List({ id, title, items, empty, board }: { id: string; title: string; items: Card[]; empty: string; board?: boolean }) {
	return (
		<section aria-labelledby={id}>
			<h2 id={id}>{title}</h2>
			{items.length ? (
				<ul className="plain-list">
					{items.map((c) => (
						<li key={c.slug} className="card">
							<h3>
								<Link to={`/competitions/${c.slug}`}>{c.title}</Link>
							</h3>
							<p className="muted">
								{c.window} · {c.paper}
							</p>
							{board ? <Link to={`/competitions/${c.slug}/leaderboard`}>查看排行榜</Link> : null}
						</li>
					))}
				</ul>
			) : (
				<p className="muted">{empty}</p>
			)}
		</section>
	)
}

export default function Competitions() {
	const { open, upcoming, finished } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>知识竞赛</h1>
			<p className="lead">{DESCRIPTION}</p>
			<List id="open-title" title="正在进行" items={open} empty="目前没有正在进行的竞赛。" board />
			<List id="upcoming-title" title="即将开始" items={upcoming} empty="暂无即将开始的竞赛。" />
			<List id="finished-title" title="已经结束" items={finished} empty="暂无已结束的竞赛。" board />
		</>
	)
}
