import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { questions, questionVersions } from '#db/schema.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import { sameGradedContent, type QuestionInput } from './question.ts'

type Owner = { ownerOrgId: string | null; code?: string | null; actorId?: string | null }

/** Adds a question with its first version. */
export async function createQuestion(tx: DbOrTx, input: QuestionInput, owner: Owner) {
	const [id] = await createQuestions(tx, [{ input, owner }])
	return id!
}

/** Adds many questions, each with its first version, in batches (imports, the content loader). */
export async function createQuestions(tx: DbOrTx, items: { input: QuestionInput; owner: Owner }[]) {
	const ids: string[] = []
	for (let start = 0; start < items.length; start += 500) {
		const batch = items.slice(start, start + 500).map(({ input, owner }) => ({ id: randomUUID(), versionId: randomUUID(), input, owner }))
		if (!batch.length) break
		await tx.insert(questions).values(batch.map(({ id, versionId, input, owner }) => ({ id, code: owner.code ?? null, ownerOrgId: owner.ownerOrgId, currentVersionId: versionId, version: 1, ...input })))
		await tx.insert(questionVersions).values(batch.map(({ id, versionId, input, owner }) => ({ id: versionId, questionId: id, version: 1, ...gradedFields(input), createdBy: owner.actorId ?? null })))
		ids.push(...batch.map((b) => b.id))
	}
	return ids
}

/**
 * Updates a question. A change to what is graded (stem, options, answer, explanation,
 * difficulty, type) adds a new version; papers keep pointing at the one they were drawn with.
 */
export async function updateQuestion(tx: DbOrTx, id: string, input: QuestionInput, actorId: string | null = null) {
	const [current] = await tx.select().from(questions).where(eq(questions.id, id)).for('update')
	if (!current) throw new Error(`question ${id} not found`)
	let { currentVersionId, version } = current
	if (!sameGradedContent(current, input)) {
		currentVersionId = randomUUID()
		version += 1
		await tx.insert(questionVersions).values({ id: currentVersionId, questionId: id, version, ...gradedFields(input), createdBy: actorId })
	}
	await tx
		.update(questions)
		.set({ ...input, currentVersionId, version, updatedAt: new Date() })
		.where(eq(questions.id, id))
	return { versionChanged: currentVersionId !== current.currentVersionId }
}

function gradedFields(input: QuestionInput) {
	const { type, stem, options, answer, explanation, difficulty } = input
	return { type, stem, options, answer, explanation, difficulty }
}
