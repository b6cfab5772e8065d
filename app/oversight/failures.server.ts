import { and, eq, isNull } from 'drizzle-orm'
import { exams, onsiteQuizzes, retrainingOrders, spotChecks, type attempts } from '#db/schema.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import { openRetrainingOrder } from '#app/records/orders.server.ts'

// A failed 随机抽考 or 逢查必考 opens a 脱产培训 order for the person (once per check): a re-exam
// from the same template within 30 days. Called in the transaction that grades the attempt.

const REEXAM_DAYS = 30

export async function openOrderIfCheckFailed(tx: DbOrTx, attempt: typeof attempts.$inferSelect, now: Date) {
	if (attempt.passed !== false) return
	const [spot] = await tx.select({ templateId: spotChecks.templateId }).from(spotChecks).where(eq(spotChecks.examId, attempt.examId))
	const [quiz] = spot ? [] : await tx.select({ templateId: exams.templateId }).from(onsiteQuizzes).innerJoin(exams, eq(exams.id, onsiteQuizzes.examId)).where(eq(onsiteQuizzes.examId, attempt.examId))
	const check = spot ? { source: 'spot_check' as const, reason: '随机抽考未通过', templateId: spot.templateId } : quiz ? { source: 'onsite' as const, reason: '逢查必考未通过', templateId: quiz.templateId } : null
	if (!check) return
	// One order per check and person, however many attempts fail.
	const [open] = await tx
		.select({ id: retrainingOrders.id })
		.from(retrainingOrders)
		.innerJoin(exams, eq(exams.id, retrainingOrders.examId))
		.where(and(eq(retrainingOrders.personId, attempt.personId), eq(retrainingOrders.source, check.source), isNull(retrainingOrders.closedAt), eq(exams.templateId, check.templateId)))
	if (open) return
	await openRetrainingOrder(tx, { personId: attempt.personId, source: check.source, reason: check.reason, courseId: null, templateId: check.templateId, dueAt: new Date(now.getTime() + REEXAM_DAYS * 86_400_000), createdBy: null }, now)
}
