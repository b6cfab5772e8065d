import { and, arrayContains, asc, count, desc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import { questions } from '#db/schema.ts'
import type { ContentScope } from '#app/auth/auth.server.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import type { QuestionType } from './question-file.ts'
import type { KnowledgePart } from './question.ts'

export type BankFilter = {
	type?: QuestionType
	/** A job-type code; questions for all job types match too unless `onlyJob`. */
	jobType?: string
	part?: KnowledgePart
	topic?: string
	minDifficulty?: number
	maxDifficulty?: number
	q?: string
}
export type BankSort = 'updatedAt' | 'type' | 'difficulty' | 'stem'

/** Questions an editor may see: platform editors all; enterprise editors the platform's and their own. */
export function visibleQuestions(scope: ContentScope): SQL | undefined {
	if (scope.platform) return undefined
	return or(isNull(questions.ownerOrgId), inArray(questions.ownerOrgId, scope.ownOrgIds.length ? scope.ownOrgIds : ['00000000-0000-0000-0000-000000000000']))
}

export function bankWhere(scope: ContentScope, filter: BankFilter) {
	const conditions: (SQL | undefined)[] = [eq(questions.archived, false), visibleQuestions(scope)]
	if (filter.type) conditions.push(eq(questions.type, filter.type))
	if (filter.part) conditions.push(eq(questions.part, filter.part))
	if (filter.jobType) conditions.push(or(arrayContains(questions.jobTypes, [filter.jobType]), eq(questions.forAllJobTypes, true)))
	if (filter.topic) conditions.push(arrayContains(questions.topics, [filter.topic]))
	if (filter.minDifficulty) conditions.push(gte(questions.difficulty, filter.minDifficulty))
	if (filter.maxDifficulty) conditions.push(lte(questions.difficulty, filter.maxDifficulty))
	if (filter.q) conditions.push(sql`strpos(${questions.stemSearch}, ${filter.q.toLowerCase()}) > 0`)
	return and(...conditions)
}

/** One page of the question bank table, filtered, sorted and counted on the server. */
export async function listQuestions(
	tx: DbOrTx,
	scope: ContentScope,
	filter: BankFilter,
	{ page, pageSize, sort, descending }: { page: number; pageSize: number; sort: BankSort; descending: boolean },
) {
	const where = bankWhere(scope, filter)
	const column = { updatedAt: questions.updatedAt, type: questions.type, difficulty: questions.difficulty, stem: questions.stem }[sort]
	const direction = descending ? desc : asc
	const rows = await tx
		.select({
			id: questions.id,
			type: questions.type,
			stem: questions.stem,
			difficulty: questions.difficulty,
			part: questions.part,
			forAllJobTypes: questions.forAllJobTypes,
			jobTypes: questions.jobTypes,
			topics: questions.topics,
			ownerOrgId: questions.ownerOrgId,
			version: questions.version,
			updatedAt: questions.updatedAt,
		})
		.from(questions)
		.where(where)
		.orderBy(direction(column), direction(questions.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
	const [total] = await tx.select({ n: count() }).from(questions).where(where)
	return { rows, total: total?.n ?? 0 }
}
