import { and, eq, inArray, lt, lte, or, sql } from 'drizzle-orm'
import { jobs } from '#db/schema.ts'
import { db, type DbOrTx } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { errorText, retryDelayMs } from './slots.ts'

// A job queue in PostgreSQL itself (table `jobs`), hand-written on FOR UPDATE SKIP LOCKED so that it
// runs through the one drizzle client on PGlite and on a server alike: any app instance claims a due
// job, runs it and records the outcome; a job whose instance died is claimed again when its lease
// has passed. Handlers must therefore be idempotent.

export type Job = typeof jobs.$inferSelect
export type JobResult = Record<string, unknown>
export type JobHandler = { run: (job: Job, now: Date) => Promise<JobResult | void>; maxAttempts?: number }
export type JobHandlers = Record<string, JobHandler>

export const DEFAULT_LEASE_MS = 5 * 60_000
const DEFAULT_MAX_ATTEMPTS = 5

/** Queues a job to run from `runAt`. A job of the same kind and key is never added twice: true when this call added it. */
export async function enqueue(kind: string, key: string, payload: Record<string, unknown> = {}, runAt = new Date(), tx: DbOrTx = db) {
	const added = await tx.insert(jobs).values({ kind, key, payload, runAt }).onConflictDoNothing({ target: [jobs.kind, jobs.key] }).returning({ id: jobs.id })
	return added.length > 0
}

/**
 * Claims the next due job (queued and due, or running with its lease passed) of the given kinds for
 * `leaseMs`, in one statement: the row is locked with SKIP LOCKED, so two workers never get the same job.
 */
export async function claimNext(workerId: string, leaseMs: number, { kinds, now = new Date() }: { kinds?: string[]; now?: Date } = {}): Promise<Job | null> {
	const due = db
		.select({ id: jobs.id })
		.from(jobs)
		// The statuses as literals, so the partial index on due jobs serves even a generic plan.
		.where(and(sql`${jobs.status} in ('queued', 'running')`, lte(jobs.runAt, now), or(eq(jobs.status, 'queued'), lt(jobs.lockedUntil, now)), kinds ? inArray(jobs.kind, kinds) : undefined))
		.orderBy(jobs.runAt)
		.limit(1)
		.for('update', { skipLocked: true })
	const [job] = await db
		.update(jobs)
		.set({ status: 'running', attempts: sql`${jobs.attempts} + 1`, lockedBy: workerId, lockedUntil: new Date(now.getTime() + leaseMs) })
		.where(eq(jobs.id, due))
		.returning()
	return job ?? null
}

/** Records a job as done, if this worker still holds it (false: its lease passed and another took it). */
export async function finish(job: Job, workerId: string, result: JobResult = {}, now = new Date()) {
	const done = await db
		.update(jobs)
		.set({ status: 'done', result, finishedAt: now, lockedUntil: null })
		.where(and(eq(jobs.id, job.id), eq(jobs.status, 'running'), eq(jobs.lockedBy, workerId)))
		.returning({ id: jobs.id })
	return done.length > 0
}

/** Records a failed run: queued again after a back-off, or `failed` once `maxAttempts` runs have failed. */
export async function fail(job: Job, workerId: string, error: unknown, maxAttempts = DEFAULT_MAX_ATTEMPTS, now = new Date()) {
	const lastError = errorText(error)
	const next =
		job.attempts >= maxAttempts
			? { status: 'failed' as const, lastError, finishedAt: now, lockedUntil: null }
			: { status: 'queued' as const, lastError, runAt: new Date(now.getTime() + retryDelayMs(job.attempts)), lockedBy: null, lockedUntil: null }
	const [row] = await db
		.update(jobs)
		.set(next)
		.where(and(eq(jobs.id, job.id), eq(jobs.status, 'running'), eq(jobs.lockedBy, workerId)))
		.returning()
	return row ?? null
}

/** Counts instead of lists, for the log (a result may list record ids). */
const summary = (result: JobResult) => Object.fromEntries(Object.entries(result).map(([k, v]) => [k, Array.isArray(v) ? v.length : v]))

/**
 * Claims and runs due jobs of the kinds in `handlers` until none is left; returns how many ran.
 * `clock` gives the time of each step (tests move it).
 */
export async function runDueJobs(workerId: string, handlers: JobHandlers, { leaseMs = DEFAULT_LEASE_MS, clock = () => new Date() } = {}) {
	const kinds = Object.keys(handlers)
	let ran = 0
	for (;;) {
		const job = await claimNext(workerId, leaseMs, { kinds, now: clock() })
		if (!job) return ran
		const handler = handlers[job.kind]!
		const started = performance.now()
		const about = { jobId: job.id, kind: job.kind, key: job.key, attempt: job.attempts, workerId }
		try {
			const result = (await handler.run(job, clock())) ?? {}
			const kept = await finish(job, workerId, result, clock())
			logger.info({ event: 'job.done', ...about, ms: Math.round(performance.now() - started), result: summary(result), ...(kept ? {} : { leaseLost: true }) }, '后台任务完成')
		} catch (error) {
			const row = await fail(job, workerId, error, handler.maxAttempts, clock())
			const failed = row?.status === 'failed'
			logger[failed ? 'error' : 'warn'](
				{ event: failed ? 'job.failed' : 'job.retry', ...about, ms: Math.round(performance.now() - started), error: errorText(error), retryAt: failed ? undefined : row?.runAt },
				failed ? '后台任务多次失败，已停止重试' : '后台任务失败，稍后重试',
			)
		}
		ran++
	}
}
