import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { z } from 'zod'
import { requireUser } from '#app/auth/auth.server.ts'
import { OPTION_LETTERS, QUESTION_TYPES } from '#app/bank/question-file.ts'
import { SubmitButton } from '#app/components/forms.tsx'
import { ExamError } from '#app/exams/attempts.server.ts'
import { CLEAR_AFTER, parseDone, pickNext, practiceUrl, questionRef, type PracticeParams } from '#app/exams/practice.ts'
import { answerPractice, practiceQuestion, practiceQuestionIds, resolvePracticeSet, type PracticeFeedback } from '#app/exams/practice.server.ts'
import { db } from '#app/utils/db.server.ts'
import { parseForm } from '#app/utils/forms.ts'
import { newSeed } from '#app/utils/random.ts'

// One practice question per screen. The session lives in the URL (which part, order, seed and
// the questions already answered), so there is no server-side session and reloading is safe.
// The answer key and the explanation come only from the action, after an answer.

export const meta: MetaFunction = () => [{ title: '自我评测 · 安全生产培训考试平台' }]

const Search = z.object({
	set: z.enum(['bank', 'wrong']).default('bank'),
	part: z.enum(['general', 'professional']).optional(),
	job: z
		.string()
		.regex(/^[a-z0-9_-]{1,64}$/)
		.optional(),
	order: z.enum(['seq', 'random']).default('seq'),
	seed: z.coerce.number().int().min(0).max(0xffffffff).optional(),
	done: z.string().max(20_000).optional(),
})

function readParams(request: Request): PracticeParams | null {
	const url = new URL(request.url)
	const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''))
	const parsed = Search.safeParse(raw)
	if (!parsed.success) return null
	const p = parsed.data
	return { set: p.set, part: p.part, job: p.job ?? null, order: p.order, seed: p.seed, done: parseDone(p.done) }
}

async function sessionOf(request: Request) {
	const user = await requireUser(request)
	const params = readParams(request)
	if (!params || (params.set === 'bank' && !params.part)) throw redirect('/practice')
	const resolved = await resolvePracticeSet(db, user.id, params)
	return { user, params, resolved }
}

export async function loader({ request }: LoaderFunctionArgs) {
	const { user, params, resolved } = await sessionOf(request)
	// A random session gets its seed once, in the URL: reloading keeps the same order.
	if (params.order === 'random' && params.seed === undefined) throw redirect(practiceUrl({ ...params, seed: newSeed() >>> 0 }))
	if (!resolved.ok) return data({ state: 'refused' as const, message: resolved.message }, { status: 403 })
	const ids = await practiceQuestionIds(db, user.id, resolved.set)
	const done = params.done ?? []
	const nextId = pickNext(ids, { order: params.order, seed: params.seed ?? 0, answered: done })
	const remaining = nextId ? ids.filter((id) => !done.includes(questionRef(id))).length : 0
	const session = {
		label: resolved.label,
		set: params.set,
		answered: done.length,
		total: done.length + remaining,
		again: practiceUrl({ ...params, seed: params.order === 'random' ? newSeed() >>> 0 : undefined, done: [] }),
	}
	const question = nextId ? await practiceQuestion(db, nextId) : null
	if (!question) return { state: ids.length ? ('finished' as const) : ('empty' as const), session }
	return {
		state: 'question' as const,
		session,
		action: practiceUrl(params),
		// Stem and options only: the key and the explanation are not sent before an answer.
		question: { id: question.id, versionId: question.versionId, type: question.type, stem: question.stem, options: question.options },
	}
}

const AnswerForm = z.object({
	questionId: z.uuid({ error: '题目无效' }),
	versionId: z.uuid({ error: '题目无效' }),
	answer: z.array(z.string().regex(/^([A-H]|true|false)$/, { error: '答案无效' })).min(1, { error: '请先选择答案' }),
})

/** Form values as an answer: true/false for 判断题, else the letters in order ("AC"). */
function toAnswer(values: string[]) {
	if (values.length === 1 && (values[0] === 'true' || values[0] === 'false')) return values[0] === 'true'
	return [...new Set(values)].sort().join('')
}

export async function action({ request }: ActionFunctionArgs) {
	const { user, params, resolved } = await sessionOf(request)
	if (!resolved.ok) return data({ ok: false as const, error: resolved.message }, { status: 403 })
	const form = parseForm(AnswerForm, await request.formData(), { arrays: ['answer'] })
	if (!form.ok) return data({ ok: false as const, error: form.errors.answer ?? form.errors.questionId ?? form.errors.versionId ?? '请先选择答案' }, { status: 400 })
	try {
		const feedback = await answerPractice(db, { personId: user.id, ...form.data, answer: toAnswer(form.data.answer) })
		return { ok: true as const, feedback, next: practiceUrl({ ...params, done: [...(params.done ?? []), questionRef(form.data.questionId)] }) }
	} catch (error) {
		if (error instanceof ExamError) return data({ ok: false as const, error: error.message }, { status: error.status })
		throw error
	}
}

const letter = (i: number) => OPTION_LETTERS[i]!
const JUDGE_CHOICES: [string, string][] = [
	['true', '正确'],
	['false', '错误'],
]

function answerText(type: string, answer: string | boolean) {
	if (type === 'judge') return answer === true ? '正确' : '错误'
	return String(answer)
}

export default function PracticeSession() {
	const loaded = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()

	if (loaded.state === 'refused') {
		return (
			<>
				<h1>自我评测</h1>
				<p className="form-error" role="alert">
					{loaded.message}
				</p>
				<p>
					<Link to="/practice">返回自我评测</Link>
				</p>
			</>
		)
	}
	const { session } = loaded
	const header = (
		<p className="muted practice-progress">
			<Link to={session.set === 'wrong' ? '/practice/wrong' : '/practice'}>{session.set === 'wrong' ? '错题本' : '自我评测'}</Link> › {session.label}
		</p>
	)
	if (loaded.state !== 'question') {
		return (
			<>
				{header}
				<h1>{loaded.state === 'empty' ? (session.set === 'wrong' ? '错题本是空的' : '暂无可练习的题目') : '本轮练习完成'}</h1>
				<p>
					{loaded.state === 'empty'
						? session.set === 'wrong'
							? '没有需要巩固的错题。答错的题目（练习或考试）会自动进入错题本。'
							: '这一部分还没有题目，请选择其他练习内容。'
						: `本轮已答 ${session.answered} 题。`}
				</p>
				<p className="actions">
					{loaded.state === 'finished' ? (
						<Link className="button" to={session.again}>
							再练一轮
						</Link>
					) : null}
					<Link className="button secondary" to="/practice">
						返回自我评测
					</Link>
					<Link to="/practice/wrong">错题本</Link>
				</p>
			</>
		)
	}
	const { question } = loaded
	const feedback = result?.ok && result.feedback.question.id === question.id ? result : null
	return (
		<>
			{header}
			<h1 className="practice-title">
				第 {session.answered + 1} 题 <span className="muted">/ 本轮共 {session.total} 题</span>
			</h1>
			{feedback ? (
				<Feedback feedback={feedback.feedback} next={feedback.next} />
			) : (
				<Form method="post" action={loaded.action} className="practice-form" key={question.id}>
					<input type="hidden" name="questionId" value={question.id} />
					<input type="hidden" name="versionId" value={question.versionId} />
					<fieldset className="practice-question" aria-describedby={result && !result.ok ? 'answer-error' : undefined}>
						<legend>
							<span className="badge">{QUESTION_TYPES[question.type]}</span> <span className="practice-stem">{question.stem}</span>
						</legend>
						<div className="practice-options">
							{question.type === 'judge'
								? JUDGE_CHOICES.map(([value, text]) => (
										<label key={value}>
											<input type="radio" name="answer" value={value} required />
											<span>{text}</span>
										</label>
									))
								: question.options.map((text, i) => (
										<label key={i}>
											<input type={question.type === 'multiple' ? 'checkbox' : 'radio'} name="answer" value={letter(i)} required={question.type !== 'multiple'} />
											<span>
												<b>{letter(i)}.</b> {text}
											</span>
										</label>
									))}
						</div>
						{question.type === 'multiple' ? <p className="hint muted">多选题：选出全部正确答案。</p> : null}
					</fieldset>
					{result && !result.ok ? (
						<p className="field-error" id="answer-error" role="alert">
							{result.error}
						</p>
					) : null}
					<div className="actions">
						<SubmitButton pendingText="正在判分…">提交答案</SubmitButton>
						<Link to="/practice">结束练习</Link>
					</div>
				</Form>
			)}
		</>
	)
}

function notebookMessage(change: NonNullable<PracticeFeedback['notebook']>, rightStreak: number) {
	if (change === 'added') return '这道题已加入错题本。'
	if (change === 'reset') return '这道题仍在错题本中，连续答对次数从头计算。'
	if (change === 'cleared') return `已连续答对 ${CLEAR_AFTER} 次，这道题已移出错题本。`
	return `错题本：已连续答对 ${rightStreak} 次，再答对 ${CLEAR_AFTER - rightStreak} 次即可移出。`
}

function Feedback({ feedback, next }: { feedback: PracticeFeedback; next: string }) {
	const heading = useRef<HTMLHeadingElement>(null)
	useEffect(() => heading.current?.focus(), [])
	const { question, correct, given, right, explanation, notebook, rightStreak } = feedback
	const rightLetters = typeof right === 'string' ? right : ''
	const givenLetters = typeof given === 'string' ? given : ''
	return (
		<section className="card practice-feedback" aria-labelledby="practice-result">
			<h2 id="practice-result" ref={heading} tabIndex={-1} className={correct ? 'practice-right' : 'practice-wrong'}>
				{correct ? '✓ 回答正确' : '✗ 回答错误'}
			</h2>
			<p className="practice-stem">
				<span className="badge">{QUESTION_TYPES[question.type]}</span> {question.stem}
			</p>
			{question.type !== 'judge' ? (
				<ul className="plain practice-options-review">
					{question.options.map((text, i) => {
						const isRight = rightLetters.includes(letter(i))
						const isGiven = givenLetters.includes(letter(i))
						return (
							<li key={i} className={isRight ? 'practice-key' : isGiven ? 'practice-miss' : undefined}>
								<b>{letter(i)}.</b> {text}
								{isRight ? <span className="badge">正确答案</span> : null}
								{isGiven ? <span className="badge warn">您的选择</span> : null}
							</li>
						)
					})}
				</ul>
			) : null}
			<dl className="facts">
				<dt>您的答案</dt>
				<dd>{answerText(question.type, given)}</dd>
				<dt>正确答案</dt>
				<dd>{answerText(question.type, right)}</dd>
			</dl>
			<h3>解析</h3>
			<p>{explanation}</p>
			{notebook ? <p className={notebook === 'cleared' ? 'notice' : 'muted'}>{notebookMessage(notebook, rightStreak)}</p> : null}
			<p className="actions">
				<Link className="button" to={next}>
					下一题
				</Link>
				<Link to="/practice">结束练习</Link>
			</p>
		</section>
	)
}
