import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { recordPageEvent } from '#app/exams/attempts.server.ts'
import { attemptClock, isUuid } from '#app/exams/taking.server.ts'
import { examTaker } from '#app/exams/taker.server.ts'
import { db } from '#app/utils/db.server.ts'

// POST /attempts/:attemptId/events (kind=hidden|visible) — 切屏, recorded by the server, which
// also owns the count: { ok, status, switchCount, now, deadlineAt }.
// GET — the same without recording anything: the page's clock check (server time and deadline).

const json = (body: unknown, status = 200) =>
	new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } })

async function caller(request: Request, attemptId: string | undefined) {
	const user = await examTaker(request, { attemptId })
	if (!user) return { error: json({ ok: false, error: '登录已失效，请重新登录' }, 401) }
	if (!isUuid(attemptId)) return { error: json({ ok: false, error: '没有找到这次考试' }, 404) }
	return { user, attemptId }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const who = await caller(request, params.attemptId)
	if ('error' in who) return who.error
	const now = new Date()
	const clock = await attemptClock(db, who.attemptId, who.user.id, now)
	if (!clock) return json({ ok: false, error: '没有找到这次考试' }, 404)
	return json({ ok: true, ...clock })
}

export async function action({ request, params }: ActionFunctionArgs) {
	const who = await caller(request, params.attemptId)
	if ('error' in who) return who.error
	const form = await request.formData()
	const kind = form.get('kind')
	if (kind !== 'hidden' && kind !== 'visible') return json({ ok: false, error: 'kind 应为 hidden 或 visible' }, 400)
	const now = new Date()
	// Closes an attempt past its deadline first, so an event never counts against a closed one.
	const before = await attemptClock(db, who.attemptId, who.user.id, now)
	if (!before) return json({ ok: false, error: '没有找到这次考试' }, 404)
	if (before.status === 'open') await recordPageEvent(db, who.attemptId, who.user.id, kind, now)
	const after = await attemptClock(db, who.attemptId, who.user.id, now)
	return json({ ok: true, ...after })
}
