import { and, eq, ne } from 'drizzle-orm'
import { questions } from '#db/schema.ts'
import { canEditContent, type ContentScope } from '#app/auth/auth.server.ts'
import { unknownJobTypes } from '#app/people/people.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { db } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { createQuestion, updateQuestion } from './questions.server.ts'
import type { QuestionInput } from './question.ts'

export type SaveQuestionResult = { ok: true; questionId: string } | { ok: false; errors: FormErrors }

/** Adds or edits one question from the bank form: checks first, then one transaction with its audit entry. */
export async function saveQuestion(scope: ContentScope, input: QuestionInput, questionId?: string): Promise<SaveQuestionResult> {
	const errors: FormErrors = {}
	const unknown = await unknownJobTypes(db, input.jobTypes)
	if (unknown.length) errors.jobTypes = `工种不存在：${unknown.join('、')}`
	const [sameStem] = await db
		.select({ id: questions.id })
		.from(questions)
		.where(and(eq(questions.stem, input.stem), eq(questions.archived, false), questionId ? ne(questions.id, questionId) : undefined))
		.limit(1)
	if (sameStem) errors.stem = '题库中已有相同题干的试题'
	if (Object.keys(errors).length) return { ok: false, errors }

	const id = await db.transaction(async (tx) => {
		let savedId = questionId
		let versionChanged = true
		if (questionId) ({ versionChanged } = await updateQuestion(tx, questionId, input, scope.user.id))
		else savedId = await createQuestion(tx, input, { ownerOrgId: scope.ownerOrgId, actorId: scope.user.id })
		await writeAudit(tx, {
			actorId: scope.user.id,
			action: questionId ? 'question.update' : 'question.create',
			targetType: 'question',
			targetId: savedId!,
			orgId: scope.ownerOrgId,
			detail: { type: input.type, newVersion: versionChanged },
		})
		return savedId!
	})
	return { ok: true, questionId: id }
}

/** A question the editor may see, and whether they may change it. */
export async function questionForEditor(scope: ContentScope, questionId: string) {
	const [question] = await db.select().from(questions).where(eq(questions.id, questionId))
	if (!question) return null
	if (!scope.platform && question.ownerOrgId !== null && !scope.ownOrgIds.includes(question.ownerOrgId)) return null
	// Shipped questions are maintained in content/ files; the loader would undo browser edits.
	return { question, editable: question.code === null && canEditContent(scope, question.ownerOrgId), shipped: question.code !== null }
}
