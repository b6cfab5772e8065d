import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { ExamTaker } from '#app/components/exam/exam-taker.tsx'
import { ExamError, saveAnswer, submitAttempt } from '#app/exams/attempts.server.ts'
import { attemptForTaking, attemptOf, intField, isUuid, nextServerSeq, parseAnswerField, savedAnswer } from '#app/exams/taking.server.ts'
import { requireExamTaker } from '#app/exams/taker.server.ts'
import { db } from '#app/utils/db.server.ts'

// Taking an exam: one question per screen (?q=N), the 答题卡, the confirm step (?confirm=1).
// The page never carries the answer key: see attemptForTaking.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.exam.title ?? '考试'} · 答题` }]

// Answers change on every visit: never from a cache.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

const resultPath = (attemptId: string, late = false) => `/attempts/${attemptId}/result${late ? '?late=1' : ''}`

async function requireAttemptId(request: Request, attemptId: string | undefined) {
	const user = await requireExamTaker(request, { attemptId })
	if (!isUuid(attemptId)) throw notFound()
	return { user, attemptId }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, attemptId } = await requireAttemptId(request, params.attemptId)
	const view = await attemptForTaking(db, attemptId, user.id)
	if (!view) throw notFound('没有找到这次考试')
	// Submitted, or its time ran out while the page was closed (graded just now): the result.
	if (view.closed) throw redirect(resultPath(attemptId))
	const url = new URL(request.url)
	const total = view.questions.length
	const q = Math.min(Math.max(1, Number.parseInt(url.searchParams.get('q') ?? '1', 10) || 1), Math.max(total, 1))
	return { ...view, q, confirm: url.searchParams.get('confirm') === '1' }
}

/**
 * Without JavaScript: save the question's answer, then go where the button says (上一题, 下一题,
 * 交卷 → the confirm step); or, from the confirm step, submit the attempt.
 */
export async function action({ request, params }: ActionFunctionArgs) {
	const { user, attemptId } = await requireAttemptId(request, params.attemptId)
	const attempt = await attemptOf(db, attemptId, user.id)
	if (!attempt) throw notFound('没有找到这次考试')
	const form = await request.formData()
	const now = new Date()

	if (form.get('intent') === 'submit') {
		if (attempt.status === 'open') await submitAttempt(db, attemptId, now >= attempt.deadlineAt ? 'deadline' : 'person', now)
		return redirect(resultPath(attemptId))
	}

	const position = intField(form, 'position')
	if (position === null) return data({ error: '请求不完整：缺少题号' }, { status: 400 })
	const answer = parseAnswerField(form.getAll('answer'))
	try {
		// Nothing chosen on a question never answered: nothing to save.
		if (answer !== null || (await savedAnswer(db, attemptId, position)) !== null) {
			await saveAnswer(db, { attemptId, personId: user.id, position, answer, clientSeq: await nextServerSeq(db, attemptId) }, now)
		}
	} catch (error) {
		if (!(error instanceof ExamError)) throw error
		// Too late: the server has submitted the attempt with what it had; the result says why.
		if (error.status === 409) return redirect(resultPath(attemptId, true))
		if (error.status === 404) throw notFound(error.message)
		return data({ error: error.message }, { status: error.status })
	}
	const to = form.get('to')
	if (to === 'confirm') return redirect(`/attempts/${attemptId}?q=${position}&confirm=1`)
	const next = to === 'prev' ? position - 1 : to === 'next' ? position + 1 : position
	return redirect(`/attempts/${attemptId}?q=${Math.max(1, next)}`)
}

export default function AttemptPage() {
	const view = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<ExamTaker
			key={view.attempt.id}
			attemptId={view.attempt.id}
			examTitle={view.exam.title}
			passMark={view.exam.passMark}
			maxScore={view.attempt.maxScore}
			switchLimit={view.exam.switchLimit}
			deadlineAt={view.attempt.deadlineAt}
			now={view.now}
			secondsLeft={view.secondsLeft}
			switchCount={view.attempt.switchCount}
			questions={view.questions}
			answers={view.answers}
			q={view.q}
			confirm={view.confirm}
			error={result && 'error' in result ? result.error : null}
		/>
	)
}
