import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { ENTRY_STATUS, formatUsed, WINDOW_LABELS, windowOf } from '#app/outreach/competitions.ts'
import { competitionBySlug, entryOfRequest, expireOverdueEntries, leaderboard, rankOf } from '#app/outreach/competitions.server.ts'
import { db } from '#app/utils/db.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /competitions/:slug/leaderboard — public: the top 100 of those who handed in on time, by
// score then 用时 (equal both, equal rank), names masked, no phone numbers; and, on the
// participant's own device, their rank.

const TOP = 100

export const meta: MetaFunction<typeof loader> = ({ data: page, matches, location }) =>
	page
		? publicMeta({ matches, location }, { title: `${page.title} · 排行榜`, description: `${page.title}排行榜：按得分排名，得分相同的用时少者在前。已有 ${page.ranked} 人按时交卷。` })
		: [{ title: '没有这个竞赛 · 安全生产培训考试与宣教平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const found = await competitionBySlug(db, params.slug)
	if (!found) throw notFound('没有这个竞赛')
	const { competition: c } = found
	const now = new Date()
	await expireOverdueEntries(db, c.id, now)
	const [rows, entry] = await Promise.all([leaderboard(db, c.id, TOP), entryOfRequest(db, request, c.id)])
	const mine = entry
		? {
				status: entry.status,
				statusLabel: ENTRY_STATUS[entry.status],
				rank: await rankOf(db, entry),
				score: entry.score,
				used: formatUsed(entry.durationMs),
			}
		: null
	return {
		slug: c.slug,
		title: c.title,
		state: WINDOW_LABELS[windowOf(c, now)],
		ranked: rows.length < TOP ? rows.length : `${TOP}+`,
		rows,
		mine,
	}
}

export default function Leaderboard() {
	const { slug, title, state, rows, mine } = useLoaderData<typeof loader>()
	return (
		<article className="competition-board">
			<nav className="muted" aria-label="所在位置">
				<Link to="/competitions">知识竞赛</Link> › <Link to={`/competitions/${slug}`}>{title}</Link>
			</nav>
			<h1>{title} · 排行榜</h1>
			<p className="muted">
				竞赛{state}。按得分从高到低排名，得分相同的用时少者在前，得分和用时都相同的名次并列。只列出按时交卷的前 {TOP} 名。
			</p>
			{mine ? (
				<section className="card" aria-labelledby="mine-title">
					<h2 id="mine-title">你的名次</h2>
					{mine.rank ? (
						<p data-testid="my-rank">
							第 <strong>{mine.rank}</strong> 名 · {mine.score} 分 · 用时 {mine.used}
						</p>
					) : mine.status === 'registered' || mine.status === 'started' ? (
						<p>
							你还没有交卷。<Link to={`/competitions/${slug}/paper`}>{mine.status === 'started' ? '继续答题' : '开始答题'}</Link>
						</p>
					) : (
						<p data-testid="my-rank">
							{mine.statusLabel}：{mine.score ?? 0} 分
						</p>
					)}
				</section>
			) : null}
			<div className="table-scroll">
				<table className="data">
					<caption className="muted" style={{ textAlign: 'left', padding: '0.5rem' }}>
						排行榜（姓名已部分隐去）
					</caption>
					<thead>
						<tr>
							<th scope="col">名次</th>
							<th scope="col">姓名</th>
							<th scope="col">单位</th>
							<th scope="col">得分</th>
							<th scope="col">用时</th>
						</tr>
					</thead>
					<tbody>
						{rows.map((r, i) => (
							<tr key={i} data-testid="board-row">
								<td>{r.rank}</td>
								<td>{r.name}</td>
								<td>{r.organization}</td>
								<td>{r.score}</td>
								<td>{r.used}</td>
							</tr>
						))}
						{rows.length === 0 ? (
							<tr>
								<td colSpan={5} className="muted">
									还没有人交卷
								</td>
							</tr>
						) : null}
					</tbody>
				</table>
			</div>
		</article>
	)
}
