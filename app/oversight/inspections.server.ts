import { randomUUID } from 'node:crypto'
import { and, asc, count, desc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm'
import { attempts, examAssignees, inspectionHazards, inspections, onsiteQuizzes, organizations } from '#db/schema.ts'
import { forbidden, requireUser } from '#app/auth/auth.server.ts'
import { hasRole, type SessionUser } from '#app/auth/scope.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { isUuid } from '#app/utils/ids.ts'
import type { HazardInput, InspectionInput } from './inspections-form.ts'

// 执法检查: a regulator's record of an inspection of an enterprise in their jurisdiction, with the
// hazards found (each with its 整改期限) — a simple record, not a hazard-management system.

/** Where a person may inspect: everywhere (system admin) or under their regulator roles' roots. */
export type InspectorScope = { all: true } | { all: false; roots: { orgId: string; path: string }[] }

export function inspectorScopeOf(user: SessionUser): InspectorScope | null {
	if (hasRole(user, 'system_admin')) return { all: true }
	const roots = user.roles.filter((r) => r.role === 'regulator' && r.orgId && r.orgPath).map((r) => ({ orgId: r.orgId!, path: r.orgPath! }))
	return roots.length ? { all: false, roots } : null
}

/** Regulators and system admins (403 for everyone else), with where they may inspect. */
export async function requireInspector(request: Request) {
	const user = await requireUser(request)
	const scope = inspectorScopeOf(user)
	if (!scope) throw forbidden()
	return { user, scope }
}

/** Filter on `organizations` keeping the inspector's subtrees. */
export function orgsOfInspector(scope: InspectorScope): SQL | undefined {
	if (scope.all) return undefined
	return or(...scope.roots.map((r) => like(organizations.path, `${r.path}%`)))
}

export const inspectorCovers = (scope: InspectorScope, path: string) => scope.all || scope.roots.some((r) => path.startsWith(r.path))

/** Enterprises an inspector may inspect, for the form's choice. */
export async function enterprisesToInspect(tx: DbOrTx, scope: InspectorScope) {
	return tx
		.select({ id: organizations.id, name: organizations.name })
		.from(organizations)
		.where(and(eq(organizations.kind, 'enterprise'), orgsOfInspector(scope)))
		.orderBy(asc(organizations.name), asc(organizations.id))
}

export type SaveResult = { ok: true; id: string } | { ok: false; errors: FormErrors }

/** Records an inspection with its hazards, in one transaction with its audit entry. */
export async function createInspection(db: Db, user: SessionUser, scope: InspectorScope, input: InspectionInput, now = new Date()): Promise<SaveResult> {
	const [org] = await db
		.select({ id: organizations.id, kind: organizations.kind, path: organizations.path })
		.from(organizations)
		.where(and(eq(organizations.id, input.orgId), orgsOfInspector(scope)))
	if (!org || !inspectorCovers(scope, org.path) || org.kind !== 'enterprise') return { ok: false, errors: { orgId: '该企业不在您的检查范围内' } }
	const id = randomUUID()
	await db.transaction(async (tx) => {
		await tx.insert(inspections).values({ id, orgId: org.id, inspectedOn: input.inspectedOn, inspectors: input.inspectors, findings: input.findings, createdBy: user.id, createdAt: now })
		if (input.hazards.length) await tx.insert(inspectionHazards).values(input.hazards.map((h) => ({ id: randomUUID(), inspectionId: id, description: h.description, rectifyBy: h.rectifyBy })))
		await writeAudit(tx, { actorId: user.id, action: 'inspection.create', targetType: 'inspection', targetId: id, orgId: org.id, detail: { inspectedOn: input.inspectedOn, hazards: input.hazards.length } })
	})
	return { ok: true, id }
}

/** The inspections in scope, newest first, with open hazards and quizzes counted. */
export async function listInspections(tx: DbOrTx, scope: InspectorScope, limit = 200) {
	const rows = await tx
		.select({ id: inspections.id, inspectedOn: inspections.inspectedOn, inspectors: inspections.inspectors, orgName: organizations.name })
		.from(inspections)
		.innerJoin(organizations, eq(organizations.id, inspections.orgId))
		.where(orgsOfInspector(scope))
		.orderBy(desc(inspections.inspectedOn), desc(inspections.createdAt))
		.limit(limit)
	if (!rows.length) return []
	const ids = rows.map((r) => r.id)
	const hazards = await tx
		.select({ inspectionId: inspectionHazards.inspectionId, total: count(), open: sql<number>`count(*) filter (where ${inspectionHazards.status} = 'open')`.mapWith(Number) })
		.from(inspectionHazards)
		.where(inArray(inspectionHazards.inspectionId, ids))
		.groupBy(inspectionHazards.inspectionId)
	const quizzes = await tx.select({ inspectionId: onsiteQuizzes.inspectionId, n: count() }).from(onsiteQuizzes).where(inArray(onsiteQuizzes.inspectionId, ids)).groupBy(onsiteQuizzes.inspectionId)
	return rows.map((r) => {
		const h = hazards.find((x) => x.inspectionId === r.id)
		return { ...r, hazards: h?.total ?? 0, openHazards: h?.open ?? 0, quizzes: quizzes.find((q) => q.inspectionId === r.id)?.n ?? 0 }
	})
}

/** An inspection the inspector may see, with its enterprise; null outside scope or unknown. */
export async function inspectionInScope(tx: DbOrTx, scope: InspectorScope, inspectionId: string | undefined) {
	if (!isUuid(inspectionId)) return null
	const [row] = await tx
		.select({ inspection: inspections, org: { id: organizations.id, name: organizations.name, path: organizations.path } })
		.from(inspections)
		.innerJoin(organizations, eq(organizations.id, inspections.orgId))
		.where(and(eq(inspections.id, inspectionId), orgsOfInspector(scope)))
	if (!row || !inspectorCovers(scope, row.org.path)) return null
	return row
}

export type InspectionInScope = NonNullable<Awaited<ReturnType<typeof inspectionInScope>>>

/** The inspection's hazards and on-site quizzes, each quiz with who joined, finished and passed. */
export async function inspectionDetail(tx: DbOrTx, inspectionId: string) {
	const hazards = await tx.select().from(inspectionHazards).where(eq(inspectionHazards.inspectionId, inspectionId)).orderBy(asc(inspectionHazards.rectifyBy), asc(inspectionHazards.id))
	const quizzes = await tx.select().from(onsiteQuizzes).where(eq(onsiteQuizzes.inspectionId, inspectionId)).orderBy(desc(onsiteQuizzes.createdAt))
	const examIds = quizzes.map((q) => q.examId)
	const joined = examIds.length ? await tx.select({ examId: examAssignees.examId, n: count() }).from(examAssignees).where(inArray(examAssignees.examId, examIds)).groupBy(examAssignees.examId) : []
	const finished = examIds.length
		? await tx
				.select({ examId: attempts.examId, n: count(), passed: sql<number>`count(*) filter (where ${attempts.passed})`.mapWith(Number) })
				.from(attempts)
				.where(and(inArray(attempts.examId, examIds), eq(attempts.status, 'submitted')))
				.groupBy(attempts.examId)
		: []
	return {
		hazards,
		quizzes: quizzes.map((q) => ({
			id: q.id,
			joinCode: q.joinCode,
			createdAt: q.createdAt,
			closedAt: q.closedAt,
			joined: joined.find((j) => j.examId === q.examId)?.n ?? 0,
			finished: finished.find((f) => f.examId === q.examId)?.n ?? 0,
			passed: finished.find((f) => f.examId === q.examId)?.passed ?? 0,
		})),
	}
}

/** One more hazard found at the inspection. */
export async function addHazard(db: Db, user: SessionUser, found: InspectionInScope, hazard: HazardInput) {
	const id = randomUUID()
	await db.transaction(async (tx) => {
		await tx.insert(inspectionHazards).values({ id, inspectionId: found.inspection.id, description: hazard.description, rectifyBy: hazard.rectifyBy })
		await writeAudit(tx, { actorId: user.id, action: 'inspection.hazard_add', targetType: 'inspection', targetId: found.inspection.id, orgId: found.org.id, detail: { hazardId: id } })
	})
	return id
}

/** Marks an open hazard of this inspection rectified; false if there is no such open hazard. */
export async function rectifyHazard(db: Db, user: SessionUser, found: InspectionInScope, hazardId: string, rectifiedOn: string) {
	return db.transaction(async (tx) => {
		const updated = await tx
			.update(inspectionHazards)
			.set({ status: 'rectified', rectifiedOn })
			.where(and(eq(inspectionHazards.id, hazardId), eq(inspectionHazards.inspectionId, found.inspection.id), eq(inspectionHazards.status, 'open')))
			.returning({ id: inspectionHazards.id })
		if (!updated.length) return false
		await writeAudit(tx, { actorId: user.id, action: 'inspection.hazard_rectified', targetType: 'inspection', targetId: found.inspection.id, orgId: found.org.id, detail: { hazardId, rectifiedOn } })
		return true
	})
}
