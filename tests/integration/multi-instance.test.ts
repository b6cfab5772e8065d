import postgres from 'postgres'
import { expect, test } from 'vitest'
import { freePort, freshDatabase, setUpTakers, sleep, startServer, type RunningServer } from '../../scripts/exam-bench-server.ts'

// Two app instances (`tsx scripts/server.ts`, each with its own job runner) on different ports share
// one real PostgreSQL server, as behind a load balancer: a session made on one is valid on the other,
// answers saved alternately through both are all stored, and each expired attempt is closed by
// exactly one job run. Against the server at MULTI_INSTANCE_PG_URL, in a fresh database of its own
// (seeded by scripts/seed.ts, dropped after); vitest.config.ts runs it when DATABASE_URL is set.
// The instances run in development mode (Vite middleware), so no production build is needed here.

const SERVER_URL = process.env.MULTI_INSTANCE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const WORKER = { phone: '13900000010', password: 'Anquan@2026', name: '李大山' }

function form(origin: string, cookie: string | null, body: Record<string, string | number>): RequestInit {
	return {
		method: 'POST',
		redirect: 'manual',
		headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
		body: new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])),
	}
}

const getPage = (origin: string, path: string, cookie?: string) => fetch(`${origin}${path}`, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} })

/** 开始考试 through an instance: the new attempt's id. */
async function startAttempt(instance: RunningServer, examId: string, cookie: string) {
	const res = await fetch(`${instance.origin}/exams/${examId}`, form(instance.origin, cookie, {}))
	const id = /^\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '')?.[1]
	if (res.status !== 302 || !id) throw new Error(`开始考试 on ${instance.origin}: ${res.status} ${(await res.text()).slice(0, 300)}`)
	return id
}

test('two app instances on one PostgreSQL share sessions, lose no answer, and close each expired attempt once', { timeout: 300_000 }, async () => {
	const database = await freshDatabase(SERVER_URL, 5, 'multi_instance')
	const sql = postgres(database.url!, { max: 2, onnotice: () => {} })
	const instances: RunningServer[] = []
	try {
		const takers = setUpTakers(database, 5)
		const env: NodeJS.ProcessEnv = { ...database.env, NODE_ENV: 'development', JOB_INTERVAL_SECONDS: '1' }
		for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name]
		const portA = await freePort()
		let portB = await freePort()
		while (portB === portA) portB = await freePort()
		// One after the other, so the two Vite servers do not prepare their caches at once.
		instances.push(await startServer({ ...database, env }, portA, 'info'))
		instances.push(await startServer({ ...database, env }, portB, 'info'))
		const [a, b] = instances as [RunningServer, RunningServer]

		// ---- a session made on A is valid on B ----
		const login = await fetch(`${a.origin}/login`, form(a.origin, null, { phone: WORKER.phone, password: WORKER.password }))
		expect(login.status).toBe(302)
		const cookie = login.headers.get('set-cookie')!.split(';')[0]!
		expect(cookie).toMatch(/^session=\w+$/)
		const home = await getPage(b.origin, '/me', cookie)
		expect(home.status).toBe(200)
		const homeHtml = await home.text()
		expect(homeHtml).toContain(WORKER.name)
		expect((await getPage(b.origin, '/me')).headers.get('location')).toMatch(/^\/login/)

		// ---- answers saved alternately through A and B ----
		const examId = /href="\/exams\/([0-9a-f-]{36})"/.exec(homeHtml)?.[1]
		expect(examId).toBeTruthy()
		const attemptId = await startAttempt(b, examId!, cookie)
		const paper = await sql<{ position: number; type: 'single' | 'multiple' | 'judge' }[]>`
			select aq.position, qv.type from attempt_questions aq join question_versions qv on qv.id = aq.question_version_id
			where aq.attempt_id = ${attemptId} order by aq.position`
		expect(paper.length).toBeGreaterThan(10)
		const acknowledged = new Map<number, { seq: number; answer: string }>()
		async function save(via: RunningServer, position: number, seq: number, answer: string) {
			const res = await fetch(`${via.origin}/attempts/${attemptId}/answers`, form(via.origin, cookie, { position, answer, clientSeq: seq }))
			const body = (await res.json()) as { ok: boolean; saved: boolean }
			expect({ status: res.status, ...body }).toMatchObject({ status: 200, ok: true, saved: true })
			acknowledged.set(position, { seq, answer })
		}
		const first = { single: 'A', multiple: 'AB', judge: 'true' }
		const second = { single: 'B', multiple: 'B', judge: 'false' }
		// Round 1: question i through A or B by turns, two in flight at once; round 2: every third
		// question changed through the other instance.
		for (let i = 0; i < paper.length; i += 2) {
			await Promise.all(paper.slice(i, i + 2).map((q, k) => save(k === 0 ? a : b, q.position, 1, first[q.type])))
		}
		for (const [i, q] of paper.entries()) if (i % 3 === 0) await save(i % 2 === 0 ? b : a, q.position, 2, second[q.type])
		const stored = await sql<{ position: number; client_seq: number; answer: unknown }[]>`select position, client_seq, answer from attempt_answers where attempt_id = ${attemptId}`
		expect(stored).toHaveLength(paper.length)
		for (const row of stored) expect({ position: row.position, seq: row.client_seq, answer: String(row.answer) }).toEqual({ position: row.position, ...acknowledged.get(row.position) })

		// ---- expired attempts, closed once though both instances run the job scheduler ----
		const takerAttempts: string[] = []
		for (const [i, token] of takers.tokens.entries()) takerAttempts.push(await startAttempt(i % 2 ? b : a, takers.examId, `session=${token}`))
		const running = takerAttempts.pop()!
		const expired = [attemptId, ...takerAttempts]
		await sql`update attempts set deadline_at = now() - interval '1 hour' where id = any(${expired}::uuid[])`
		const openOf = async () => (await sql`select id from attempts where id = any(${expired}::uuid[]) and status = 'open'`).length
		await expect.poll(openOf, { timeout: 30_000, interval: 250 }).toBe(0)
		await sleep(3000) // a few more slots, run by either instance

		const closedRows = await sql<{ id: string; status: string; submitted_by: string; score: number }[]>`
			select id, status, submitted_by, score from attempts where id = any(${[...expired, running]}::uuid[])`
		for (const id of expired) expect(closedRows.find((r) => r.id === id)).toMatchObject({ status: 'submitted', submitted_by: 'deadline' })
		expect(closedRows.find((r) => r.id === running)).toMatchObject({ status: 'open' })
		// The worker's attempt was graded with the answers saved through both instances.
		expect(closedRows.find((r) => r.id === attemptId)!.score).toBeGreaterThan(0)

		const runs = await sql<{ locked_by: string; closed: string[] }[]>`
			select locked_by, result -> 'closed' as closed from jobs where kind = 'close_expired_attempts' and status = 'done'`
		const timesClosed = new Map<string, number>()
		for (const id of runs.flatMap((r) => r.closed)) timesClosed.set(id, (timesClosed.get(id) ?? 0) + 1)
		// (The demo data may hold expired attempts of its own: they are closed once too.)
		expect([...timesClosed.values()].every((n) => n === 1)).toBe(true)
		for (const id of expired) expect(timesClosed.get(id), id).toBe(1)
		expect(timesClosed.has(running)).toBe(false)
		// Both instances ran slot jobs (worker ids are host:pid:random): whichever wakes first takes the slot.
		const pids = new Set(runs.map((r) => Number(r.locked_by.split(':')[1])))
		expect(pids).toEqual(new Set([a.child.pid, b.child.pid]))
		const slots = await sql<{ key: string; n: number }[]>`select key, count(*)::int as n from jobs where kind = 'close_expired_attempts' group by key`
		expect(slots.length).toBeGreaterThan(3)
		expect(slots.every((s) => s.n === 1 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(s.key))).toBe(true)

		// ---- signing out on B ends the session on A ----
		expect((await fetch(`${b.origin}/logout`, form(b.origin, cookie, {}))).status).toBe(302)
		expect((await getPage(a.origin, '/me', cookie)).headers.get('location')).toMatch(/^\/login/)
	} finally {
		await Promise.all(instances.map((i) => i.stop()))
		await sql.end({ timeout: 5 })
		await database.drop()
	}
})
