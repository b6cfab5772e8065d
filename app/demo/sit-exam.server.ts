import { asc, eq } from 'drizzle-orm'
import { attemptQuestions, questionVersions } from '#db/schema.ts'
import { saveAnswer, startAttempt, submitAttempt } from '#app/exams/attempts.server.ts'
import { toShownLetters } from '#app/exams/grading.ts'
import type { Db } from '#app/utils/db.server.ts'

/**
 * Demo data only: takes an exam through the real flow at a past time `at` — starts the attempt,
 * answers every question (all right to pass; a third right to fail), and hands it in `minutes`
 * later, so it is graded, certified and ordered exactly as a real one.
 */
export async function sitExam(db: Db, examId: string, personId: string, at: Date, { pass, minutes }: { pass: boolean; minutes: number }) {
	const attemptId = await startAttempt(db, examId, personId, at)
	const paper = await db
		.select({ position: attemptQuestions.position, optionOrder: attemptQuestions.optionOrder, type: questionVersions.type, answer: questionVersions.answer })
		.from(attemptQuestions)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
		.where(eq(attemptQuestions.attemptId, attemptId))
		.orderBy(asc(attemptQuestions.position))
	const step = (minutes * 60_000) / (paper.length + 1)
	for (const q of paper) {
		const right = pass || q.position % 3 === 0
		const key = q.type === 'judge' ? (q.answer as boolean) : toShownLetters(q.answer as string, q.optionOrder)
		const given = right ? key : q.type === 'judge' ? !key : key === 'A' ? 'B' : 'A'
		await saveAnswer(db, { attemptId, personId, position: q.position, answer: given, clientSeq: 1 }, new Date(at.getTime() + q.position * step))
	}
	await submitAttempt(db, attemptId, 'person', new Date(at.getTime() + minutes * 60_000))
	return attemptId
}
