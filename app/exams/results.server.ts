import { and, asc, count, desc, eq, exists, inArray, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { attempts, examAssignees, exams, examTemplates, organizations, people } from '#db/schema.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import { mustClose } from './deadline.ts'
import { submitAttempt } from './attempts.server.ts'
import { orgsOfScope, type ExamScope } from './assign.server.ts'
import type { ResultStatus } from './labels.ts'

// What managers and regulators see of exams: the exams in their scope with counts, and one
// exam's results for the assignees in their scope.

/**
 * An exam is visible when it was given within the scope (owner organisation in a subtree of the
 * scope) or when somebody in the scope is on its list; counts and results cover only the people
 * in the scope.
 */
function visibleExams(tx: DbOrTx, scope: ExamScope): SQL | undefined {
	if (!scope.manage) return sql`false`
	if (scope.all) return undefined
	const ownerOrg = alias(organizations, 'owner_org')
	const ownedInScope = exists(
		tx
			.select({ one: sql`1` })
			.from(ownerOrg)
			.where(and(eq(ownerOrg.id, exams.ownerOrgId), or(...scope.roots.map((r) => sql`${ownerOrg.path} like ${`${r.path}%`}`)))),
	)
	const assigneeInScope = exists(
		tx
			.select({ one: sql`1` })
			.from(examAssignees)
			.innerJoin(people, eq(people.id, examAssignees.personId))
			.innerJoin(organizations, eq(organizations.id, people.orgId))
			.where(and(eq(examAssignees.examId, exams.id), orgsOfScope(scope))),
	)
	return or(ownedInScope, assigneeInScope)
}

export type ExamSort = 'opensAt' | 'closesAt' | 'title'

export async function listExams(tx: DbOrTx, scope: ExamScope, { page, pageSize, sort = 'opensAt', descending = true }: { page: number; pageSize: number; sort?: ExamSort; descending?: boolean }) {
	const where = visibleExams(tx, scope)
	const column = { opensAt: exams.opensAt, closesAt: exams.closesAt, title: exams.title }[sort]
	const list = await tx
		.select({ id: exams.id, title: exams.title, opensAt: exams.opensAt, closesAt: exams.closesAt, templateTitle: examTemplates.title, purpose: examTemplates.purpose, ownerName: organizations.name })
		.from(exams)
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.leftJoin(organizations, eq(organizations.id, exams.ownerOrgId))
		.where(where)
		.orderBy(descending ? desc(column) : asc(column), asc(exams.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
	const [total] = await tx.select({ n: count() }).from(exams).where(where)
	const counts = list.length ? await countsFor(tx, scope, list.map((e) => e.id)) : new Map<string, Counts>()
	return { total: total?.n ?? 0, rows: list.map((e) => ({ ...e, ...(counts.get(e.id) ?? { assigned: 0, taken: 0, passed: 0 }) })) }
}

type Counts = { assigned: number; taken: number; passed: number }

/** Per exam, among the assignees in scope: how many are listed, have handed in a paper, have passed. */
async function countsFor(tx: DbOrTx, scope: ExamScope, examIds: string[]) {
	const rows = await tx
		.select({
			examId: examAssignees.examId,
			assigned: sql<number>`count(distinct ${examAssignees.personId})::int`,
			taken: sql<number>`count(distinct ${attempts.personId}) filter (where ${attempts.status} = 'submitted')::int`,
			passed: sql<number>`count(distinct ${attempts.personId}) filter (where ${attempts.passed})::int`,
		})
		.from(examAssignees)
		.innerJoin(people, eq(people.id, examAssignees.personId))
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.leftJoin(attempts, and(eq(attempts.examId, examAssignees.examId), eq(attempts.personId, examAssignees.personId)))
		.where(and(inArray(examAssignees.examId, examIds), orgsOfScope(scope)))
		.groupBy(examAssignees.examId)
	return new Map(rows.map((r) => [r.examId, { assigned: r.assigned, taken: r.taken, passed: r.passed }]))
}

/**
 * One exam's results for the assignees in scope: per person the attempt that counts (the best
 * submitted one, else the open one), the number of attempts, time taken, 切屏次数 and how the paper
 * was handed in. Attempts left open past their deadline are closed first, so nobody shows as
 * 答题中 after their time ran out.
 */
export async function examResults(db: Db, scope: ExamScope, examId: string, now = new Date()) {
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(examId)) return null
	const [found] = await db
		.select({ exam: exams, template: examTemplates, ownerName: organizations.name })
		.from(exams)
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.leftJoin(organizations, eq(organizations.id, exams.ownerOrgId))
		.where(and(eq(exams.id, examId), visibleExams(db, scope)))
	if (!found) return null

	const assignees = await db
		.select({ personId: people.id, name: people.name, orgName: organizations.name, category: people.category })
		.from(examAssignees)
		.innerJoin(people, eq(people.id, examAssignees.personId))
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(eq(examAssignees.examId, examId), orgsOfScope(scope)))
		.orderBy(asc(organizations.path), asc(people.name), asc(people.id))
	const ids = assignees.map((a) => a.personId)
	let tried = ids.length ? await db.select().from(attempts).where(and(eq(attempts.examId, examId), inArray(attempts.personId, ids))) : []
	const expired = tried.filter((a) => a.status === 'open' && mustClose(now, a.deadlineAt))
	if (expired.length) {
		for (const a of expired) await submitAttempt(db, a.id, 'deadline', now)
		tried = await db.select().from(attempts).where(and(eq(attempts.examId, examId), inArray(attempts.personId, ids)))
	}

	const byPerson = new Map<string, (typeof tried)[number][]>()
	for (const a of tried) {
		const mine = byPerson.get(a.personId)
		if (mine) mine.push(a)
		else byPerson.set(a.personId, [a])
	}
	const rows = assignees.map((person) => {
		const mine = byPerson.get(person.personId) ?? []
		const submitted = mine.filter((a) => a.status === 'submitted').sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || b.startedAt.getTime() - a.startedAt.getTime())
		const counted = submitted[0] ?? mine.find((a) => a.status === 'open') ?? null
		const status: ResultStatus = !counted ? 'not_started' : counted.status === 'open' ? 'in_progress' : 'submitted'
		return {
			...person,
			status,
			attemptsUsed: mine.length,
			score: counted?.score ?? null,
			maxScore: counted?.maxScore ?? null,
			passed: submitted.some((a) => a.passed),
			startedAt: counted?.startedAt ?? null,
			submittedAt: counted?.submittedAt ?? null,
			seconds: counted?.submittedAt ? Math.max(0, Math.round((counted.submittedAt.getTime() - counted.startedAt.getTime()) / 1000)) : null,
			switchCount: counted?.switchCount ?? 0,
			submittedBy: (counted?.submittedBy ?? null) as 'person' | 'deadline' | 'switch_limit' | null,
		}
	})
	const summary = {
		assigned: rows.length,
		taken: rows.filter((r) => r.status === 'submitted').length,
		passed: rows.filter((r) => r.passed).length,
		inProgress: rows.filter((r) => r.status === 'in_progress').length,
	}
	return { ...found, rows, summary }
}
