import { and, asc, eq } from 'drizzle-orm'
import { jobTypes, questions } from '#db/schema.ts'
import type { ContentScope } from '#app/auth/auth.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { db, type DbOrTx } from '#app/utils/db.server.ts'
import { consumeUpload, UPLOAD_GONE } from '#app/utils/spreadsheet.server.ts'
import { visibleQuestions } from './bank.server.ts'
import { parseQuestionRows, type ImportIssue, type ImportResult, type JobTypeRef } from './import.ts'
import { normalizedStem, type QuestionType } from './question-file.ts'
import { createQuestions } from './questions.server.ts'
import { readQuestionUpload, UploadError } from './spreadsheet.server.ts'

export { findUpload, stashUpload, UPLOAD_GONE, UPLOAD_TTL_MS } from '#app/utils/spreadsheet.server.ts'

// Importing a question spreadsheet: check the whole file (nothing written), then write every
// question in one transaction, or none.

export type UploadSource = File | Blob | Uint8Array
export type ImportSummary = { total: number } & Record<QuestionType, number>

export type ImportPreview =
	| { ok: false; fileError: string; status: number }
	| { ok: boolean; errors: ImportIssue[]; warnings: ImportIssue[]; summary: ImportSummary; result: ImportResult }

export async function jobTypeCatalogue(tx: DbOrTx = db): Promise<JobTypeRef[]> {
	return tx.select({ code: jobTypes.code, name: jobTypes.name }).from(jobTypes).orderBy(asc(jobTypes.sortOrder))
}

/** normalizedStem of the questions the editor can see (duplicates of these are refused). */
export async function existingStems(tx: DbOrTx, scope: ContentScope) {
	const rows = await tx
		.select({ stem: questions.stem })
		.from(questions)
		.where(and(eq(questions.archived, false), visibleQuestions(scope)))
	return new Set(rows.map((r) => normalizedStem(r.stem)))
}

function summarize(result: ImportResult): ImportSummary {
	const summary: ImportSummary = { total: result.questions.length, single: 0, multiple: 0, judge: 0 }
	for (const q of result.questions) summary[q.input.type]++
	return summary
}

async function readRows(upload: UploadSource) {
	try {
		return { ok: true as const, rows: (await readQuestionUpload(upload)).rows }
	} catch (error) {
		if (error instanceof UploadError) return { ok: false as const, fileError: error.message, status: error.status }
		throw error
	}
}

async function check(tx: DbOrTx, scope: ContentScope, rows: string[][]) {
	const result = parseQuestionRows(rows, await jobTypeCatalogue(tx), { existingStems: await existingStems(tx, scope) })
	return { ok: result.errors.length === 0, errors: result.errors, warnings: result.warnings, summary: summarize(result), result }
}

/** Reads and checks the whole file; writes nothing. */
export async function previewImport(scope: ContentScope, upload: UploadSource): Promise<ImportPreview> {
	const read = await readRows(upload)
	if (!read.ok) return read
	return check(db, scope, read.rows)
}

class Refused extends Error {
	constructor(readonly preview: ImportPreview) {
		super('import refused')
	}
}

/**
 * Checks the file again and, only if it has no problem at all, adds every question (owned by
 * the editor's enterprise, or the platform) with one audit row, in one transaction. With
 * `uploadId`, the stashed upload is deleted in the same transaction (so it imports once).
 */
export async function commitImport(
	scope: ContentScope,
	upload: UploadSource,
	actorId: string,
	{ uploadId }: { uploadId?: string } = {},
): Promise<ImportPreview & { imported?: number }> {
	const read = await readRows(upload)
	if (!read.ok) return read
	try {
		return await db.transaction(async (tx) => {
			if (uploadId && !(await consumeUpload(tx, actorId, uploadId))) throw new Refused({ ok: false, fileError: UPLOAD_GONE, status: 409 })
			const checked = await check(tx, scope, read.rows)
			if (!checked.ok) throw new Refused(checked)
			await createQuestions(tx, checked.result.questions.map(({ input }) => ({ input, owner: { ownerOrgId: scope.ownerOrgId, actorId } })))
			await writeAudit(tx, {
				actorId,
				action: 'bank.import',
				targetType: 'question',
				orgId: scope.ownerOrgId,
				detail: { count: checked.summary.total, single: checked.summary.single, multiple: checked.summary.multiple, judge: checked.summary.judge },
			})
			return { ...checked, imported: checked.summary.total }
		})
	} catch (error) {
		if (error instanceof Refused) return error.preview
		throw error
	}
}
