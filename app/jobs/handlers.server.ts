import { and, eq, lt, sql } from 'drizzle-orm'
import { competitionEntries, jobs, sessions } from '#db/schema.ts'
import { closeExpiredAttempts } from '#app/exams/attempts.server.ts'
import { GRACE_SECONDS } from '#app/exams/deadline.ts'
import { expireOverdueEntries } from '#app/outreach/competitions.server.ts'
import { db } from '#app/utils/db.server.ts'
import type { JobHandlers } from './queue.server.ts'

// The app's background work. Everything else that looks periodic is derived when read (certificate
// expiry, 上岗资格) or done in the transaction that causes it (plan membership, closing 脱产培训 orders).

const DAY_MS = 86_400_000
/** Done jobs are kept this long (failed ones stay until someone looks at them). */
export const KEEP_DONE_JOBS_MS = 7 * DAY_MS

export const jobHandlers: JobHandlers = {
	// Grades attempts left open past their deadline and grace; the result lists the attempts closed.
	close_expired_attempts: { run: async (_job, now) => ({ closed: await closeExpiredAttempts(db, now) }) },
	// 知识竞赛: entries left past their deadline without 交卷 are closed as 'expired', so results and
	// exports are complete even if no page of that competition is opened (the pages also do it).
	expire_competition_entries: {
		run: async (_job, now) => {
			const due = await db
				.selectDistinct({ id: competitionEntries.competitionId })
				.from(competitionEntries)
				.where(and(sql`${competitionEntries.status} = 'started'`, lt(competitionEntries.deadlineAt, new Date(now.getTime() - GRACE_SECONDS * 1000))))
			let expired = 0
			for (const { id } of due) expired += await expireOverdueEntries(db, id, now)
			return { expired }
		},
	},
	// Housekeeping: old done jobs, and sessions that expired without being used again.
	prune: {
		run: async (_job, now) => {
			const oldJobs = await db
				.delete(jobs)
				.where(and(eq(jobs.status, 'done'), lt(jobs.finishedAt, new Date(now.getTime() - KEEP_DONE_JOBS_MS))))
				.returning({ id: jobs.id })
			const expired = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id })
			return { jobs: oldJobs.length, sessions: expired.length }
		},
	},
}

/** What each instance schedules, one job per kind and time slot: `intervalMs` is JOB_INTERVAL_SECONDS. */
export const periodicJobs = (intervalMs: number) => [
	{ kind: 'close_expired_attempts', everyMs: intervalMs },
	{ kind: 'expire_competition_entries', everyMs: Math.max(intervalMs, 300_000) },
	{ kind: 'prune', everyMs: 3_600_000 },
]
