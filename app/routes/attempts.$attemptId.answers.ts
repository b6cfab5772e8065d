import type { ActionFunctionArgs } from '@remix-run/node'
import { ExamError, saveAnswer } from '#app/exams/attempts.server.ts'
import { intField, isUuid, parseAnswerField } from '#app/exams/taking.server.ts'
import { examTaker } from '#app/exams/taker.server.ts'
import { databaseFaultOf, databaseFaultResponse, logDatabaseFault } from '#app/utils/db-errors.server.ts'
import { db } from '#app/utils/db.server.ts'

// POST /attempts/:attemptId/answers — one answer saved as it is given (the exam page's script).
// Body (urlencoded): position, answer (shown letters "AC", "true"/"false", "" to clear), clientSeq.
// 200 { ok, saved, stale, clientSeq, now }; 409 { ok: false, closed: true, error } once the attempt
// is closed or past its deadline and grace; 400/401/404 { ok: false, error }; 503 { ok: false,
// error, fault } when the database is slow, unreachable or full — the page keeps the answer as
// 未同步 and sends it again (only 200, 400, 404 and 409 end its retries).

const json = (body: unknown, status = 200) =>
	new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } })

export async function action(args: ActionFunctionArgs) {
	try {
		return await saveOne(args)
	} catch (error) {
		// The session look-up can fail too: every database fault here is a retryable 503 in JSON.
		const response = databaseFaultResponse(error, args.request)
		if (!response) throw error
		logDatabaseFault(databaseFaultOf(error)!, error, { route: 'attempts.answers', method: 'POST' })
		return response
	}
}

async function saveOne({ request, params }: ActionFunctionArgs) {
	const user = await examTaker(request, { attemptId: params.attemptId })
	// A script is asking: no redirect to the sign-in page, a status it can act on.
	if (!user) return json({ ok: false, error: '登录已失效，请重新登录后继续答题（答案已保存在本机）' }, 401)
	if (user.mustChangePassword) return json({ ok: false, error: '请先修改密码' }, 403)
	if (!isUuid(params.attemptId)) return json({ ok: false, error: '没有找到这次考试' }, 404)
	const form = await request.formData()
	const position = intField(form, 'position')
	const clientSeq = intField(form, 'clientSeq')
	if (position === null || clientSeq === null || clientSeq < 1 || clientSeq > 2_000_000_000) return json({ ok: false, error: '请求不完整：缺少题号或序号' }, 400)
	const now = new Date()
	try {
		const result = await saveAnswer(db, { attemptId: params.attemptId, personId: user.id, position, answer: parseAnswerField(form.getAll('answer')), clientSeq }, now)
		return json({ ok: true, ...result, now: now.toISOString() })
	} catch (error) {
		if (!(error instanceof ExamError)) throw error
		if (error.status === 409) return json({ ok: false, closed: true, error: error.message }, 409)
		return json({ ok: false, error: error.message }, error.status)
	}
}
