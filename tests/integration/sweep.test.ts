import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { attempts, examAssignees } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { startAttempt } from '#app/exams/attempts.server.ts'
import { startAttemptSweeper } from '#app/exams/sweep.server.ts'
import { db } from '#app/utils/db.server.ts'
import { personByPhone } from '#tests/fixtures/requests.ts'

// The server's periodic sweep: an attempt abandoned past its deadline is graded without anyone
// opening it again.
test('the sweeper started with the server closes and grades an abandoned attempt', async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	const worker = await personByPhone('13900000010')
	const [assignment] = await db.select().from(examAssignees).where(eq(examAssignees.personId, worker.id))
	const attemptId = await startAttempt(db, assignment!.examId, worker.id)
	// The worker closed the phone; the deadline and the grace passed an hour ago.
	await db.update(attempts).set({ deadlineAt: new Date(Date.now() - 3_600_000) }).where(eq(attempts.id, attemptId))

	const stop = startAttemptSweeper(50)
	try {
		await expect
			.poll(async () => (await db.select().from(attempts).where(and(eq(attempts.id, attemptId), eq(attempts.status, 'submitted')))).length, { timeout: 10_000 })
			.toBe(1)
	} finally {
		stop()
	}
	const [closed] = await db.select().from(attempts).where(eq(attempts.id, attemptId))
	expect(closed).toMatchObject({ status: 'submitted', submittedBy: 'deadline', score: 0, passed: false })
})
