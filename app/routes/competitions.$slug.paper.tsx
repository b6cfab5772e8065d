import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { notFound } from '#app/auth/auth.server.ts'
import { ReviewItem } from '#app/components/exam/review-item.tsx'
import { formatClock, KIND_LABELS, LETTERS } from '#app/components/exam/format.ts'
import { GRACE_SECONDS } from '#app/exams/deadline.ts'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { totalOf } from '#app/outreach/competition-form.ts'
import { windowOf } from '#app/outreach/competitions.ts'
import {
	CompetitionError,
	competitionBySlug,
	entryOfRequest,
	expireOverdueEntries,
	paperForEntry,
	resultForEntry,
	saveEntryAnswers,
	startEntry,
	submitEntry,
} from '#app/outreach/competitions.server.ts'
import { db } from '#app/utils/db.server.ts'
import { SITE_NAME } from '#app/utils/meta.ts'

// /competitions/:slug/paper — the participant's one attempt, found by this competition's entry
// cookie (without it: back to the competition page). 开始答题 draws the paper and starts the
// clock; the whole paper is one form (交卷 grades it; with JavaScript each answer is also saved as
// it changes); afterwards, the result with the right answers. No answer key before 交卷.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? '知识竞赛'} · 答题 · ${SITE_NAME}` }, { name: 'robots', content: 'noindex' }]

// Answers change on every visit: never from a cache.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

// Saving an answer changes nothing the page shows.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => (formData?.get('intent') === 'save' ? false : defaultShouldRevalidate)

async function participant(request: Request, slug: string | undefined) {
	const found = await competitionBySlug(db, slug)
	if (!found) throw notFound('没有这个竞赛')
	const { competition } = found
	const entry = await entryOfRequest(db, request, competition.id)
	if (!entry) throw redirect(`/competitions/${competition.slug}`)
	return { competition, entry }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const now = new Date()
	let { competition: c, entry } = await participant(request, params.slug)
	// Time ran out with no 交卷: closed now, with the answers saved in time.
	if (entry.status === 'started' && (await expireOverdueEntries(db, c.id, now))) ({ entry } = await participant(request, params.slug))
	const base = { slug: c.slug, title: c.title, name: entry.name }
	if (entry.status === 'registered') {
		const paper = totalOf(c.rules)
		return { ...base, view: 'start' as const, open: windowOf(c, now) === 'open', paper: `共 ${paper.questions} 题，满分 ${paper.points} 分，限时 ${c.timeLimitMinutes} 分钟`, closesAt: formatChinaTime(c.closesAt) }
	}
	if (entry.status === 'started') return { ...base, view: 'paper' as const, deadlineText: formatChinaTime(entry.deadlineAt!), ...(await paperForEntry(db, entry, now)) }
	return { ...base, view: 'result' as const, ...(await resultForEntry(db, entry)) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { competition, entry } = await participant(request, params.slug)
	const form = await request.formData()
	const intent = form.get('intent')
	const here = `/competitions/${competition.slug}/paper`
	if (intent === 'start') {
		try {
			await startEntry(db, competition, entry)
		} catch (error) {
			if (error instanceof CompetitionError) return data({ saved: false, error: error.message }, { status: error.status })
			throw error
		}
		return redirect(here)
	}
	if (intent === 'save') {
		const saved = await saveEntryAnswers(db, entry.id, form)
		return data({ saved, error: saved ? null : '答题时间已过，答案未能保存' }, { status: saved ? 200 : 409 })
	}
	if (intent === 'submit') {
		await submitEntry(db, competition, entry.id, form)
		return redirect(here)
	}
	return data({ saved: false, error: '请求不完整，请重试' }, { status: 400 })
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>

export default function CompetitionPaper() {
	const page = useLoaderData<typeof loader>()
	// Without JavaScript: what 开始答题 or 保存答案 answered.
	const acted = useActionData<typeof action>()
	return (
		<article className="competition-paper">
			<nav className="muted" aria-label="所在位置">
				<Link to="/competitions">知识竞赛</Link> › <Link to={`/competitions/${page.slug}`}>{page.title}</Link>
			</nav>
			{acted?.error ? (
				<p className="form-error" role="alert">
					{acted.error}
				</p>
			) : acted?.saved ? (
				<p className="notice" role="status">
					答案已保存，可以继续作答。
				</p>
			) : null}
			{page.view === 'start' ? <Start page={page} /> : page.view === 'paper' ? <Paper key={page.deadlineAt} page={page} /> : <Result page={page} />}
		</article>
	)
}

function Start({ page }: { page: Extract<Loaded, { view: 'start' }> }) {
	return (
		<>
			<h1>{page.title}</h1>
			<section className="card" aria-labelledby="start-title">
				<h2 id="start-title">{page.name}，您已报名</h2>
				<p>{page.paper}。点“开始答题”后开始计时，到时未交卷的不计入排名；竞赛 {page.closesAt} 结束，结束时仍在答题的以结束时间为截止。</p>
				{page.open ? (
					<Form method="post">
						<input type="hidden" name="intent" value="start" />
						<button type="submit" className="primary">
							开始答题
						</button>
					</Form>
				) : (
					<p className="form-error" role="alert">
						竞赛不在进行中，不能开始答题。
					</p>
				)}
			</section>
		</>
	)
}

/** Time left from the server's deadline, with the page's offset to the server clock. */
function useTimeLeft(deadlineAt: string, serverNow: string, initial: number) {
	const [left, setLeft] = useState(initial)
	useEffect(() => {
		const offset = Date.parse(serverNow) - Date.now()
		const tick = () => setLeft(Math.max(0, Math.ceil((Date.parse(deadlineAt) - (Date.now() + offset)) / 1000)))
		tick()
		const timer = window.setInterval(tick, 1000)
		return () => window.clearInterval(timer)
	}, [deadlineAt, serverNow])
	return left
}

function Paper({ page }: { page: Extract<Loaded, { view: 'paper' }> }) {
	const left = useTimeLeft(page.deadlineAt, page.now, page.secondsLeft)
	const formRef = useRef<HTMLFormElement>(null)
	const saver = useFetcher<typeof action>()
	const pending = useRef<number | undefined>(undefined)
	const [dirty, setDirty] = useState(false)
	const submitted = useRef(false)

	// Progressive enhancement: the whole form is saved shortly after each change.
	const save = () => {
		window.clearTimeout(pending.current)
		setDirty(true)
		pending.current = window.setTimeout(() => {
			if (!formRef.current || submitted.current) return
			const body = new FormData(formRef.current)
			body.set('intent', 'save')
			saver.submit(body, { method: 'post' })
			setDirty(false)
		}, 500)
	}
	useEffect(() => () => window.clearTimeout(pending.current), [])
	// Time is up: 交卷 with what is on the page (the server still takes it within its grace).
	useEffect(() => {
		if (left > 0 || submitted.current || !formRef.current) return
		submitted.current = true
		formRef.current.requestSubmit(formRef.current.querySelector<HTMLButtonElement>('button[value="submit"]'))
	}, [left])

	const answered = Object.values(page.given).filter((a) => a !== null && a !== '').length
	const status = saver.data?.error ?? (dirty || saver.state !== 'idle' ? '正在保存…' : saver.data?.saved ? '答案已保存' : '')
	return (
		<>
			<h1>{page.title}</h1>
			<div className={`exam-bar${left <= 60 ? ' exam-bar-warn' : ''}`}>
				<p className="exam-timer" role="timer" aria-label="剩余时间">
					剩余 <strong data-testid="time-left">{formatClock(left)}</strong>
				</p>
				<p className="exam-progress">
					共 {page.questions.length} 题，满分 {page.maxScore} 分
				</p>
			</div>
			<p className="muted">
				截止时间 {page.deadlineText}（以服务器时间为准，超过截止时间 {GRACE_SECONDS} 秒后交卷的不计入排名）。
				{answered ? `已保存 ${answered} 题的答案。` : ''}
			</p>
			<form method="post" ref={formRef} onChange={save} onSubmit={() => (submitted.current = true)}>
				<ol className="case-question-list">
					{page.questions.map((q) => {
						const given = page.given[String(q.position)] ?? null
						const choices: [string, string][] = q.type === 'judge' ? [['true', '正确'], ['false', '错误']] : q.options.map((text, i) => [LETTERS[i]!, text])
						return (
							<li key={q.position}>
								<fieldset className="practice-question">
									<legend className="practice-stem">
										{q.position}. {q.stem}
										<span className="muted">
											（{KIND_LABELS[q.type]}，{q.points} 分）
										</span>
									</legend>
									{q.type === 'multiple' ? <p className="hint">多选题：选出全部正确选项，少选、多选都不得分</p> : null}
									<div className="practice-options">
										{choices.map(([value, text]) => (
											<label key={value} className="exam-option">
												<input
													type={q.type === 'multiple' ? 'checkbox' : 'radio'}
													name={`q-${q.position}`}
													value={value}
													defaultChecked={q.type === 'judge' ? given === (value === 'true') : typeof given === 'string' && given.includes(value)}
												/>
												{q.type === 'judge' ? null : <span className="exam-letter">{value}.</span>}
												<span>{text}</span>
											</label>
										))}
									</div>
								</fieldset>
							</li>
						)
					})}
				</ol>
				<p className="muted" role="status" aria-live="polite">
					{status}
				</p>
				<div className="actions">
					<button type="submit" name="intent" value="save" className="button secondary">
						保存答案
					</button>
					<button type="submit" name="intent" value="submit" className="primary">
						交卷
					</button>
				</div>
				<p className="muted">交卷后不能再修改，只有一次答题机会。没有作答的题目按答错计分。</p>
			</form>
		</>
	)
}

const CLOSED_REASON = {
	late: `交卷时已超过答题截止时间（含 ${GRACE_SECONDS} 秒宽限），这次提交的答案未被采纳；已按截止前保存的答案评分，成绩不计入排行榜。`,
	expired: '答题时间已到而没有交卷，已按截止前保存的答案评分，成绩不计入排行榜。',
} as const

function Result({ page }: { page: Extract<Loaded, { view: 'result' }> }) {
	const wrong = page.review.filter((q) => q.awarded < q.points).length
	return (
		<>
			<h1>我的成绩</h1>
			{page.status === 'late' || page.status === 'expired' ? (
				<p className="form-error" role="alert">
					{CLOSED_REASON[page.status]}
				</p>
			) : null}
			<section className="card exam-score" aria-labelledby="score-title">
				<h2 id="score-title">{page.title}</h2>
				<p className="exam-score-line">
					<strong data-testid="score">{page.score}</strong> 分<span className="muted"> / 满分 {page.maxScore} 分</span>
				</p>
				<dl className="facts">
					<dt>名次</dt>
					<dd data-testid="rank">{page.rank ? `第 ${page.rank} 名` : '不计入排名'}</dd>
					{page.status === 'submitted' ? (
						<>
							<dt>用时</dt>
							<dd>{page.used}</dd>
						</>
					) : null}
					{page.submittedAt ? (
						<>
							<dt>交卷时间</dt>
							<dd>{page.submittedAt}</dd>
						</>
					) : null}
					<dt>答对</dt>
					<dd>
						{page.review.length - wrong} 题，答错或未答 {wrong} 题
					</dd>
				</dl>
				<p className="actions">
					<Link className="button" to={`/competitions/${page.slug}/leaderboard`}>
						查看排行榜
					</Link>
				</p>
			</section>
			<section aria-labelledby="review-title">
				<h2 id="review-title">答题解析</h2>
				<ol className="exam-review">
					{page.review.map((q) => (
						<ReviewItem key={q.position} q={q} />
					))}
				</ol>
			</section>
		</>
	)
}
