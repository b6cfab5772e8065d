import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/auth/auth.server.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import { QUESTION_TYPES } from '#app/bank/question-file.ts'
import { practiceUrl } from '#app/exams/practice.ts'
import { notebookFor } from '#app/exams/practice.server.ts'
import { db } from '#app/utils/db.server.ts'
import { chinaDay } from '#app/utils/days.ts'

export const meta: MetaFunction = () => [{ title: '错题本 · 安全生产培训考试平台' }]

// 错题本: the signed-in person's own wrong answers (practice and exams), latest version of each
// question, until answered right twice in a row. No answers are shown here: practise to see them.

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const page = Number(new URL(request.url).searchParams.get('page') ?? 1)
	const book = await notebookFor(db, user.id, Number.isInteger(page) && page > 0 ? page : 1)
	return {
		...book,
		entries: book.entries.map(({ lastWrongAt, ...e }) => ({ ...e, lastWrongDay: chinaDay(lastWrongAt) })),
		seq: practiceUrl({ set: 'wrong', order: 'seq' }),
		random: practiceUrl({ set: 'wrong', order: 'random' }),
	}
}

export default function WrongBook() {
	const { total, page, pages, pageSize, entries, clearAfter, seq, random } = useLoaderData<typeof loader>()
	return (
		<>
			<p className="muted">
				<Link to="/practice">自我评测</Link> › 错题本
			</p>
			<h1>错题本</h1>
			<p className="muted">练习或考试中答错的题目会进入错题本；在练习中连续答对 {clearAfter} 次即移出，再答错会重新加入。</p>
			<section className="card" aria-labelledby="wrong-count">
				<h2 id="wrong-count">共 {total} 题待巩固</h2>
				{total > 0 ? (
					<p className="actions">
						<Link className="button" to={seq}>
							练习错题
						</Link>
						<Link className="button secondary" to={random}>
							随机练习错题
						</Link>
					</p>
				) : (
					<p>错题本是空的，继续保持。</p>
				)}
			</section>
			{entries.length ? (
				<ol className="practice-wrong-list" start={(page - 1) * pageSize + 1} aria-label="错题">
					{entries.map((e) => (
						<li key={e.questionId}>
							<span>
								<span className="badge">{QUESTION_TYPES[e.type]}</span> <span className="badge">{PART_LABELS[e.part]}</span>
							</span>
							<span className="practice-stem">{e.stem}</span>
							<span className="muted">
								最近答错 {e.lastWrongDay}
								{e.rightStreak > 0 ? `，已连续答对 ${e.rightStreak} 次` : null}
							</span>
						</li>
					))}
				</ol>
			) : null}
			{pages > 1 ? (
				<nav className="pager" aria-label="分页">
					{page > 1 ? <Link to={`?page=${page - 1}`}>上一页</Link> : null}
					<span>
						第 {page}/{pages} 页
					</span>
					{page < pages ? <Link to={`?page=${page + 1}`}>下一页</Link> : null}
				</nav>
			) : null}
		</>
	)
}
