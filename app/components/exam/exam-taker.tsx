import { useNavigate, useSubmit } from '@remix-run/react'
import { memo, useCallback, useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react'
import { answerText, formatClock, formatDateTime, isAnswered, KIND_LABELS, LETTERS, type QuestionKind, type ShownAnswer } from './format.ts'
import { useAnswerSync, type ServerAnswers } from './use-answer-sync.ts'
import { useOfflineCopy } from './use-offline-copy.ts'
import { useExamClock } from './use-exam-clock.ts'

// The exam page. Without JavaScript every question is a real form posting to the route's action
// (上一题/下一题 save, then move; 交卷 leads to the confirm step). With JavaScript the whole paper
// is already in the page: answers save as they are given, and moving between questions needs no
// request, so it works offline.

export type TakerQuestion = { position: number; type: QuestionKind; stem: string; points: number; options: string[] }

export type TakerProps = {
	attemptId: string
	examTitle: string
	passMark: number
	maxScore: number
	switchLimit: number | null
	deadlineAt: string
	now: string
	secondsLeft: number
	switchCount: number
	questions: TakerQuestion[]
	answers: ServerAnswers
	q: number
	confirm: boolean
	error: string | null
}

const WARN_SECONDS = 300

export function ExamTaker(props: TakerProps) {
	const { attemptId, questions } = props
	const total = questions.length
	const navigate = useNavigate()
	const submit = useSubmit()
	const [current, setCurrent] = useState(props.q)
	const [confirming, setConfirming] = useState(props.confirm)
	const [closedMessage, setClosedMessage] = useState<string | null>(null)
	const [submitting, setSubmitting] = useState(false)
	const [submitProblem, setSubmitProblem] = useState<string | null>(null)

	const onClosed = useCallback(
		(message: string) => {
			setClosedMessage((already) => {
				if (!already) window.setTimeout(() => navigate(`/attempts/${attemptId}/result?late=1`, { replace: true }), 1500)
				return already ?? message
			})
		},
		[attemptId, navigate],
	)

	const clock = useExamClock({ attemptId, deadlineAt: props.deadlineAt, serverNow: props.now, secondsLeft: props.secondsLeft, switchCount: props.switchCount, onClosed })
	const sync = useAnswerSync({ attemptId, server: props.answers, onClosed, onServerTime: clock.serverTime })
	useOfflineCopy(`/attempts/${attemptId}`)
	// The copy saved for offline use was rendered for another question: follow the address bar.
	useEffect(() => {
		const q = Number(new URLSearchParams(window.location.search).get('q'))
		if (Number.isInteger(q) && q >= 1 && q <= total && q !== props.q) setCurrent(q)
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [])
	const { answer: saveLocally, flush: flushAnswers } = sync
	const timeUp = clock.left <= 0
	const locked = timeUp || Boolean(closedMessage) || submitting
	const unanswered = questions.filter((q) => !isAnswered(sync.answers[q.position])).map((q) => q.position)
	const answeredCount = total - unanswered.length
	const pendingSet = new Set(sync.pending)
	// Only the current question is rendered: the rest of the paper waits in memory, so moving on
	// needs no request, and the server renders one question instead of a hundred (at a company-wide
	// exam, a hundred workers open the page each second).
	const shown = questions.find((q) => q.position === current)

	const go = useCallback((position: number, opts: { confirm?: boolean } = {}) => {
		const to = Math.min(Math.max(1, position), questions.length)
		setCurrent(to)
		setConfirming(Boolean(opts.confirm))
		setSubmitProblem(null)
		// No request: the paper is in the page. The address keeps the place for a reload.
		window.history.replaceState(window.history.state, '', `?q=${to}${opts.confirm ? '&confirm=1' : ''}`)
		window.scrollTo(0, 0)
		window.requestAnimationFrame(() => document.getElementById(opts.confirm ? 'exam-confirm-title' : `q-${to}-title`)?.focus())
	}, [questions.length])

	const autoSubmitted = useRef(false)
	const finish = useCallback(async () => {
		setSubmitting(true)
		setSubmitProblem(null)
		const waiting = await flushAnswers()
		if (waiting > 0) {
			autoSubmitted.current = false
			setSubmitting(false)
			setSubmitProblem(`还有 ${waiting} 题答案未同步到服务器，交卷前必须先上传。请检查网络后再点“确认交卷”。`)
			return
		}
		submit({ intent: 'submit' }, { method: 'post', action: `/attempts/${attemptId}?index`, replace: true })
	}, [attemptId, submit, flushAnswers])

	// Time is up: once every answer is on the server (the server takes saves within its grace
	// period), submit. If they cannot get through in time, the server closes the attempt itself
	// and the next save is answered with 409, which opens the result.
	useEffect(() => {
		if (!timeUp || closedMessage || autoSubmitted.current || sync.pending.length > 0) return
		autoSubmitted.current = true
		void finish()
	}, [timeUp, closedMessage, sync.pending.length, finish])

	const onQuestionSubmit = useCallback(
		(event: FormEvent<HTMLFormElement>, position: number) => {
			event.preventDefault()
			const to = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? 'next'
			if (to === 'prev') go(position - 1)
			else if (to === 'confirm') go(position, { confirm: true })
			else go(position + 1)
		},
		[go],
	)

	const lockedRef = useRef(locked)
	lockedRef.current = locked
	const onChoose = useCallback(
		(q: TakerQuestion, given: ShownAnswer, value: string, checked: boolean) => {
			if (lockedRef.current) return
			if (q.type === 'judge') saveLocally(q.position, value === 'true')
			else if (q.type === 'single') saveLocally(q.position, value)
			else {
				const letters = new Set(typeof given === 'string' ? given : '')
				if (checked) letters.add(value)
				else letters.delete(value)
				saveLocally(q.position, [...letters].sort().join('') || null)
			}
		},
		[saveLocally],
	)

	const link = useCallback(
		(position: number) => (event: MouseEvent<HTMLAnchorElement>) => {
			event.preventDefault()
			go(position)
		},
		[go],
	)

	const pendingCount = sync.pending.length
	const status = sync.offline
		? `网络已断开，${pendingCount} 题答案待同步`
		: pendingCount
			? `${pendingCount} 题答案待同步，正在重试…`
			: '答案已全部保存'

	return (
		<div className="exam">
			<div className={`exam-bar${clock.left <= WARN_SECONDS ? ' exam-bar-warn' : ''}`}>
				<p className="exam-timer" role="timer" aria-label="剩余时间">
					剩余 <strong data-testid="time-left">{formatClock(clock.left)}</strong>
				</p>
				<p className="exam-progress">
					已答 <strong>{answeredCount}</strong>/{total}
				</p>
			</div>
			<p
				className={`exam-sync${sync.offline ? ' exam-sync-offline' : pendingCount ? ' exam-sync-pending' : ''}`}
				role="status"
				aria-live="polite"
				data-testid="sync-status"
				data-pending={pendingCount}
			>
				{status}
			</p>
			<noscript>
				<p className="muted">剩余时间以打开本页时为准，截止 {formatDateTime(props.deadlineAt)}。选好答案后请点“下一题”或“上一题”保存。</p>
			</noscript>
			{closedMessage ? (
				<p className="form-error" role="alert">
					{closedMessage}，正在打开成绩…
				</p>
			) : timeUp ? (
				<p className="form-error" role="alert">
					考试时间已到，{sync.pending.length ? `正在上传剩余 ${sync.pending.length} 题答案，随后交卷` : '正在交卷…'}
				</p>
			) : null}
			{sync.problem ? (
				<p className="form-error" role="alert">
					{sync.problem}
				</p>
			) : null}
			{props.error ? (
				<p className="form-error" role="alert">
					{props.error}
				</p>
			) : null}
			<h1 className="exam-title">{props.examTitle}</h1>

			{confirming ? (
				<section className="card exam-confirm" aria-labelledby="exam-confirm-title">
					<h2 id="exam-confirm-title" tabIndex={-1}>
						确认交卷
					</h2>
					{unanswered.length ? (
						<>
							<p>
								还有 <strong>{unanswered.length}</strong> 题未作答，交卷后不能再修改：
							</p>
							<ul className="exam-unanswered" aria-label="未作答的题">
								{unanswered.map((p) => (
									<li key={p}>
										<a href={`?q=${p}`} onClick={link(p)}>
											第 {p} 题
										</a>
									</li>
								))}
							</ul>
						</>
					) : (
						<p>全部 {total} 题均已作答。交卷后不能再修改。</p>
					)}
					{pendingCount ? <p className="exam-sync-pending">有 {pendingCount} 题答案尚未同步，交卷时会先上传。</p> : null}
					{submitProblem ? (
						<p className="form-error" role="alert">
							{submitProblem}
						</p>
					) : null}
					<form
						method="post"
						action={`/attempts/${attemptId}?index`}
						onSubmit={(e) => {
							e.preventDefault()
							if (!submitting) void finish()
						}}
					>
						<input type="hidden" name="intent" value="submit" />
						<div className="actions">
							<button type="submit" className="primary" disabled={submitting}>
								{submitting ? '正在交卷…' : '确认交卷'}
							</button>
							<a href={`?q=${current}`} onClick={link(current)}>
								返回答题
							</a>
						</div>
					</form>
				</section>
			) : null}

			{shown && !confirming ? (
				<Question
					key={shown.position}
					q={shown}
					total={total}
					attemptId={attemptId}
					given={sync.answers[shown.position] ?? null}
					pending={pendingSet.has(shown.position)}
					locked={locked}
					onChoose={onChoose}
					onSubmit={onQuestionSubmit}
				/>
			) : null}

			<AnswerCard questions={questions} answers={sync.answers} pending={sync.pending} current={confirming ? 0 : current} link={link} />
			<p className="muted">
				截止时间 {formatDateTime(props.deadlineAt)} · 满分 {props.maxScore} 分，及格 {props.passMark} 分 · 切屏 <span data-testid="switch-count">{clock.switches}</span> 次
				{props.switchLimit !== null ? `（达到 ${props.switchLimit} 次自动交卷）` : ''}
			</p>
		</div>
	)
}

type QuestionProps = {
	q: TakerQuestion
	total: number
	attemptId: string
	given: ShownAnswer
	pending: boolean
	locked: boolean
	onChoose: (q: TakerQuestion, given: ShownAnswer, value: string, checked: boolean) => void
	onSubmit: (event: FormEvent<HTMLFormElement>, position: number) => void
}

/** One question as a real form: without JavaScript it posts; with it, nothing leaves the page. */
const Question = memo(function Question({ q, total, attemptId, given, pending, locked, onChoose, onSubmit }: QuestionProps) {
	const name = `q-${q.position}`
	const choices: [string, string][] = q.type === 'judge' ? [['true', '正确'], ['false', '错误']] : q.options.map((text, i) => [LETTERS[i]!, text])
	const isChecked = (value: string) =>
		q.type === 'judge' ? given === (value === 'true') : typeof given === 'string' && (q.type === 'single' ? given === value : given.includes(value))
	return (
		<section className="card exam-question" aria-labelledby={`${name}-title`} data-position={q.position}>
			<form method="post" action={`/attempts/${attemptId}?index&q=${q.position}`} onSubmit={(e) => onSubmit(e, q.position)}>
				<input type="hidden" name="position" value={q.position} />
				<h2 id={`${name}-title`} className="exam-q-title" tabIndex={-1}>
					第 {q.position} 题<span className="exam-q-of">/共 {total} 题</span>
					<span className="badge">{KIND_LABELS[q.type]}</span>
					<span className="exam-q-points">{q.points} 分</span>
					{pending ? <span className="badge warn exam-unsynced">未同步</span> : null}
				</h2>
				<fieldset className="exam-choices" disabled={locked}>
					<legend className="exam-stem">{q.stem}</legend>
					{q.type === 'multiple' ? <p className="hint">（多选题：选出全部正确选项）</p> : null}
					{choices.map(([value, text]) => (
						<label key={value} className="exam-option">
							<input
								type={q.type === 'multiple' ? 'checkbox' : 'radio'}
								name="answer"
								value={value}
								checked={isChecked(value)}
								onChange={(e) => onChoose(q, given, value, e.currentTarget.checked)}
							/>
							{q.type === 'judge' ? null : <span className="exam-letter">{value}.</span>}
							<span>{text}</span>
						</label>
					))}
				</fieldset>
				<div className="exam-buttons">
					{q.position > 1 ? (
						<button type="submit" name="to" value="prev" className="button secondary">
							上一题
						</button>
					) : null}
					{q.position < total ? (
						<button type="submit" name="to" value="next" className="button">
							下一题
						</button>
					) : null}
					<button type="submit" name="to" value="confirm" className={`button ${q.position < total ? 'secondary' : ''} exam-submit`}>
						交卷
					</button>
				</div>
			</form>
		</section>
	)
})

type CardProps = {
	questions: TakerQuestion[]
	answers: Record<string, ShownAnswer>
	pending: number[]
	current: number
	link: (position: number) => (event: MouseEvent<HTMLAnchorElement>) => void
}

/** 答题卡: every question, answered or not, 未同步 marked; each a link. */
const AnswerCard = memo(function AnswerCard({ questions, answers, pending, current, link }: CardProps) {
	const waiting = new Set(pending)
	return (
		<nav className="card exam-card" aria-label="答题卡">
			<h2 className="exam-card-title">答题卡</h2>
			<ol>
				{questions.map((q) => {
					const done = isAnswered(answers[q.position])
					const unsynced = waiting.has(q.position)
					return (
						<li key={q.position}>
							<a
								href={`?q=${q.position}`}
								onClick={link(q.position)}
								className={`${done ? 'answered' : 'unanswered'}${unsynced ? ' pending' : ''}`}
								aria-current={q.position === current ? 'step' : undefined}
								aria-label={`第 ${q.position} 题，${done ? '已作答' : '未作答'}${unsynced ? '，未同步' : ''}`}
								title={done ? `已作答：${answerText(answers[q.position])}` : '未作答'}
							>
								{q.position}
							</a>
						</li>
					)
				})}
			</ol>
			<p className="muted exam-legend">
				<span className="exam-key answered" aria-hidden="true" /> 已作答 <span className="exam-key unanswered" aria-hidden="true" /> 未作答{' '}
				<span className="exam-key pending" aria-hidden="true" /> 未同步
			</p>
		</nav>
	)
})
