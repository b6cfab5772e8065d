import { randomUUID } from 'node:crypto'
import { and, eq, inArray, lt, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { attempts, competitionEntries, competitions, examAssignees, exams, jobs, sessions } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { GRACE_SECONDS } from '#app/exams/deadline.ts'
import { startAttempt } from '#app/exams/attempts.server.ts'
import { jobHandlers } from '#app/jobs/handlers.server.ts'
import { claimNext, enqueue, finish, runDueJobs, type JobHandlers } from '#app/jobs/queue.server.ts'
import { schedulePeriodic, startJobRunner } from '#app/jobs/runner.server.ts'
import { db } from '#app/utils/db.server.ts'
import { testIdNumber } from '#tests/fixtures/identity.ts'
import { newWorker, preJobTemplateOf } from '#tests/fixtures/records.ts'
import { signedInAs } from '#tests/fixtures/requests.ts'

// The job queue on PostgreSQL (app/jobs): concurrent workers run each job once, a lease that passed
// is claimed again, failures are retried and then given up, a periodic slot is one job however often
// it is scheduled, and the close_expired_attempts job closes every expired attempt exactly once.

const SEC = 1000
const MIN = 60 * SEC
const HOUR = 60 * MIN
const T = new Date('2026-01-05T08:00:00Z')
const at = (ms: number) => new Date(T.getTime() + ms)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const jobsOfKind = (kind: string) => db.select().from(jobs).where(eq(jobs.kind, kind))

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
})

describe('the queue', () => {
	test('two workers at once run each of 120 jobs exactly once', async () => {
		for (let i = 0; i < 120; i++) await enqueue('test_many', `k${i}`, { i })
		const runs = new Map<string, string[]>()
		const handler = (workerId: string): JobHandlers => ({
			test_many: {
				run: async (job) => {
					runs.set(job.id, [...(runs.get(job.id) ?? []), workerId])
					await sleep(2) // let the other worker claim in between
					return { i: job.payload.i }
				},
			},
		})
		const ran = await Promise.all([runDueJobs('worker-a', handler('worker-a')), runDueJobs('worker-b', handler('worker-b'))])

		expect(ran[0] + ran[1]).toBe(120)
		expect(ran[0]).toBeGreaterThan(0)
		expect(ran[1]).toBeGreaterThan(0)
		expect(runs.size).toBe(120)
		for (const workers of runs.values()) expect(workers).toHaveLength(1)
		const rows = await jobsOfKind('test_many')
		expect(rows).toHaveLength(120)
		for (const row of rows) {
			expect(row).toMatchObject({ status: 'done', attempts: 1, result: { i: row.payload.i } })
			expect(runs.get(row.id)).toEqual([row.lockedBy])
		}
		// Nothing is left to claim.
		expect(await runDueJobs('worker-c', handler('worker-c'))).toBe(0)
	})

	test('a job is not run before its time, and a running job is claimed again only once its lease has passed', async () => {
		await enqueue('test_lease', 'one', {}, at(0))
		expect(await claimNext('worker-a', MIN, { kinds: ['test_lease'], now: at(-SEC) })).toBeNull()
		const first = (await claimNext('worker-a', MIN, { kinds: ['test_lease'], now: at(SEC) }))!
		expect(first).toMatchObject({ status: 'running', attempts: 1, lockedBy: 'worker-a' })
		expect(first.lockedUntil).toEqual(at(SEC + MIN))

		// Worker a's instance died: nobody takes the job while its lease holds, worker b once it has passed.
		expect(await claimNext('worker-b', MIN, { kinds: ['test_lease'], now: at(30 * SEC) })).toBeNull()
		const second = (await claimNext('worker-b', MIN, { kinds: ['test_lease'], now: at(2 * MIN) }))!
		expect(second).toMatchObject({ id: first.id, status: 'running', attempts: 2, lockedBy: 'worker-b' })

		// A late report from worker a changes nothing; worker b's is recorded.
		expect(await finish(first, 'worker-a', { by: 'a' })).toBe(false)
		expect(await finish(second, 'worker-b', { by: 'b' }, at(3 * MIN))).toBe(true)
		const [row] = await jobsOfKind('test_lease')
		expect(row).toMatchObject({ status: 'done', result: { by: 'b' }, lockedBy: 'worker-b', finishedAt: at(3 * MIN) })
	})

	test('a failing job is retried with a growing wait, then failed, its error kept without personal data', async () => {
		await enqueue('test_fail', 'one', {}, at(0))
		// A generated phone and 身份证号 (tests/fixtures/identity.ts), never a real person's.
		const phone = '13700009999'
		const idNumber = testIdNumber(42)
		let calls = 0
		const handlers: JobHandlers = {
			test_fail: {
				maxAttempts: 3,
				run: async () => {
					calls++
					throw new Error(`人员 ${phone}（身份证号 ${idNumber}）没有找到`)
				},
			},
		}
		const runAt = async (ms: number) => runDueJobs('worker-a', handlers, { clock: () => at(ms) })
		const row = async () => (await jobsOfKind('test_fail'))[0]!

		expect(await runAt(0)).toBe(1)
		expect(await row()).toMatchObject({ status: 'queued', attempts: 1, runAt: at(10 * SEC), lockedBy: null })
		expect((await row()).lastError).toBe('Error: 人员 [已隐藏]（身份证号 [已隐藏]）没有找到')
		expect(await runAt(9 * SEC)).toBe(0)
		expect(await runAt(10 * SEC)).toBe(1)
		expect(await row()).toMatchObject({ status: 'queued', attempts: 2, runAt: at(30 * SEC) })
		expect(await runAt(30 * SEC)).toBe(1)
		expect(await row()).toMatchObject({ status: 'failed', attempts: 3, finishedAt: at(30 * SEC), lockedUntil: null })
		expect(await runAt(HOUR)).toBe(0)
		expect(calls).toBe(3)
		expect((await row()).lastError).not.toContain(phone)
		expect((await row()).lastError).not.toContain(idNumber)
	})

	test('a periodic slot scheduled by several instances, several times, is one job keyed by its slot', async () => {
		const periodic = [{ kind: 'test_slot', everyMs: 30 * SEC }]
		await Promise.all([
			schedulePeriodic(periodic, new Date('2026-11-23T10:05:31.250Z')),
			schedulePeriodic(periodic, new Date('2026-11-23T10:05:31.250Z')),
			schedulePeriodic(periodic, new Date('2026-11-23T10:05:44Z')),
		])
		await schedulePeriodic(periodic, new Date('2026-11-23T10:05:59.999Z'))
		let rows = await jobsOfKind('test_slot')
		expect(rows.map((r) => [r.key, r.runAt])).toEqual([['2026-11-23T10:05:30Z', new Date('2026-11-23T10:05:30Z')]])
		await schedulePeriodic(periodic, new Date('2026-11-23T10:06:00Z'))
		rows = await jobsOfKind('test_slot')
		expect(rows.map((r) => r.key).sort()).toEqual(['2026-11-23T10:05:30Z', '2026-11-23T10:06:00Z'])
	})

	test('prune deletes done jobs older than 7 days and expired sessions, and keeps the rest', async () => {
		const now = new Date()
		const old = { kind: 'test_old', status: 'done' as const, finishedAt: new Date(now.getTime() - 8 * 24 * HOUR) }
		await db.insert(jobs).values([
			{ ...old, key: 'old' },
			{ ...old, key: 'recent', finishedAt: new Date(now.getTime() - 6 * 24 * HOUR) },
			{ ...old, key: 'old-failed', status: 'failed' },
		])
		// Whatever else is done and older than 7 days goes too (the earlier tests' jobs at 2026-01-05).
		const [{ due }] = (await db.select({ due: sql<number>`count(*)::int` }).from(jobs).where(and(eq(jobs.status, 'done'), lt(jobs.finishedAt, new Date(now.getTime() - 7 * 24 * HOUR))))) as [{ due: number }]
		const person = await newWorker('demo-coal', ['coal_underground'])
		const live = await signedInAs(person)
		await signedInAs(person, new Date(now.getTime() - 31 * 24 * HOUR)) // expired a day ago
		await enqueue('prune', 'test-prune')
		await runDueJobs('worker-a', { prune: jobHandlers.prune! })

		expect((await jobsOfKind('test_old')).map((r) => r.key).sort()).toEqual(['old-failed', 'recent'])
		const left = await db.select({ personId: sessions.personId, expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.personId, person))
		expect(left.map((s) => s.expiresAt)).toEqual([live.expiresAt])
		const [pruneJob] = await db.select().from(jobs).where(and(eq(jobs.kind, 'prune'), eq(jobs.key, 'test-prune')))
		expect(pruneJob).toMatchObject({ status: 'done', result: { jobs: due } })
		expect(due).toBeGreaterThanOrEqual(1)
		expect(Number(pruneJob!.result!.sessions)).toBeGreaterThanOrEqual(1)
	})
})

describe('expire_competition_entries', () => {
	test('closes 知识竞赛 entries past their deadline and grace as expired, and leaves the others', async () => {
		const now = new Date()
		const competitionId = randomUUID()
		await db.insert(competitions).values({ id: competitionId, slug: `test-${competitionId}`, title: '测试竞赛', opensAt: new Date(now.getTime() - HOUR), closesAt: new Date(now.getTime() + HOUR), timeLimitMinutes: 20, rules: [] })
		const entry = (key: string, status: 'registered' | 'started', deadlineAt: Date | null) => ({
			id: randomUUID(),
			competitionId,
			tokenHash: `token-${key}-${competitionId}`,
			name: `参赛者${key}`,
			phoneEnc: `enc-${key}`,
			phoneHash: `hash-${key}`,
			organization: '测试单位',
			status,
			registeredAt: new Date(now.getTime() - HOUR),
			startedAt: deadlineAt && new Date(deadlineAt.getTime() - 20 * MIN),
			deadlineAt,
			paper: deadlineAt && [],
		})
		const overdue = entry('a', 'started', new Date(now.getTime() - 10 * MIN))
		const inGrace = entry('b', 'started', new Date(now.getTime() - 5 * SEC))
		const registered = entry('c', 'registered', null)
		await db.insert(competitionEntries).values([overdue, inGrace, registered])

		await enqueue('expire_competition_entries', 'test-slot')
		await runDueJobs('worker-a', { expire_competition_entries: jobHandlers.expire_competition_entries! })
		const rows = await db.select().from(competitionEntries).where(eq(competitionEntries.competitionId, competitionId))
		expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [overdue.id]: 'expired', [inGrace.id]: 'started', [registered.id]: 'registered' })
		const [job] = await db.select().from(jobs).where(and(eq(jobs.kind, 'expire_competition_entries'), eq(jobs.key, 'test-slot')))
		expect(job).toMatchObject({ status: 'done', result: { expired: 1 } })
	})
})

describe('close_expired_attempts', () => {
	/** An exam from the demo 岗前 template for new workers of 示范煤业 (tests/fixtures/records.ts), open now. */
	async function examForNewWorkers(n: number) {
		const now = Date.now()
		const templateId = await preJobTemplateOf('coal_underground')
		const examId = randomUUID()
		await db.insert(exams).values({ id: examId, templateId, title: '测试：后台交卷', opensAt: new Date(now - 24 * HOUR), closesAt: new Date(now + 30 * 24 * HOUR) })
		const people: string[] = []
		for (let i = 0; i < n; i++) people.push(await newWorker('demo-coal', ['coal_underground']))
		await db.insert(examAssignees).values(people.map((personId) => ({ examId, personId })))
		return { examId, people }
	}

	const expiredOpen = async (now: Date) =>
		(await db.select({ id: attempts.id }).from(attempts).where(and(eq(attempts.status, 'open'), lt(attempts.deadlineAt, new Date(now.getTime() - GRACE_SECONDS * SEC))))).map((a) => a.id)

	test('jobs of two slots run by two workers at once close each expired attempt exactly once', async () => {
		const { examId, people } = await examForNewWorkers(7)
		const now = new Date()
		// Six left two hours ago (the demo template allows 45 minutes); one is still writing.
		const expired: string[] = []
		for (const personId of people.slice(0, 6)) expired.push(await startAttempt(db, examId, personId, new Date(now.getTime() - 2 * HOUR)))
		const running = await startAttempt(db, examId, people[6]!, now)
		const toClose = await expiredOpen(now)
		expect(toClose).toEqual(expect.arrayContaining(expired))
		expect(toClose).not.toContain(running)

		await enqueue('close_expired_attempts', 'test-slot-1')
		await enqueue('close_expired_attempts', 'test-slot-2')
		const handlers = { close_expired_attempts: jobHandlers.close_expired_attempts! }
		await Promise.all([runDueJobs('worker-a', handlers), runDueJobs('worker-b', handlers)])

		const done = await db.select().from(jobs).where(and(eq(jobs.kind, 'close_expired_attempts'), inArray(jobs.key, ['test-slot-1', 'test-slot-2'])))
		expect(done.map((j) => j.status)).toEqual(['done', 'done'])
		const closed = done.flatMap((j) => j.result!.closed as string[])
		expect(closed.sort()).toEqual([...toClose].sort())
		const rows = await db.select().from(attempts).where(inArray(attempts.id, [...expired, running]))
		for (const id of expired) expect(rows.find((r) => r.id === id)).toMatchObject({ status: 'submitted', submittedBy: 'deadline', score: 0, passed: false })
		expect(rows.find((r) => r.id === running)).toMatchObject({ status: 'open', submittedAt: null })

		// A later slot finds nothing more to close.
		await enqueue('close_expired_attempts', 'test-slot-3')
		await runDueJobs('worker-a', handlers)
		const [third] = await db.select().from(jobs).where(and(eq(jobs.kind, 'close_expired_attempts'), eq(jobs.key, 'test-slot-3')))
		expect(third).toMatchObject({ status: 'done', result: { closed: [] } })
	})

	test('the runner the server starts schedules the job and grades an abandoned attempt', async () => {
		const { examId, people } = await examForNewWorkers(1)
		const attemptId = await startAttempt(db, examId, people[0]!)
		// The worker closed the phone; the deadline and the grace passed an hour ago.
		await db.update(attempts).set({ deadlineAt: new Date(Date.now() - HOUR) }).where(eq(attempts.id, attemptId))

		const stop = startJobRunner({ intervalMs: 200 })
		try {
			await expect.poll(async () => (await db.select().from(attempts).where(eq(attempts.id, attemptId)))[0]!.status, { timeout: 10_000 }).toBe('submitted')
		} finally {
			await stop()
		}
		const [closed] = await db.select().from(attempts).where(eq(attempts.id, attemptId))
		expect(closed).toMatchObject({ submittedBy: 'deadline', score: 0, passed: false })
		// The slot job that closed it, keyed by its time slot, lists it in its result.
		const ran = await db
			.select()
			.from(jobs)
			.where(and(eq(jobs.kind, 'close_expired_attempts'), eq(jobs.status, 'done'), sql`${jobs.result} -> 'closed' ? ${attemptId}`))
		expect(ran).toHaveLength(1)
		expect(ran[0]!.key).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
	})
})
