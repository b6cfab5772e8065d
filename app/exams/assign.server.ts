import { randomUUID } from 'node:crypto'
import { and, asc, count, countDistinct, eq, inArray, isNull, like, or, type SQL } from 'drizzle-orm'
import { examAssignees, exams, jobTypes, organizations, people, personJobTypes } from '#db/schema.ts'
import { forbidden, requireUser } from '#app/auth/auth.server.ts'
import { hasRole, type SessionUser } from '#app/auth/scope.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import type { ExamInput } from './exam-form.ts'
import { loadTemplate, templateAccess } from './templates.server.ts'

// Giving exams: an exam from a template with its window, assigned to people within the giver's
// scope (企业安全管理员: their enterprise; 监管人员: their subtree; 系统管理员: everyone).

export type ExamScope = { manage: false } | { manage: true; all: true } | { manage: true; all: false; roots: { orgId: string; path: string }[] }

/** Who may give exams and see their results, and over whose people. */
export function examScopeOf(user: SessionUser): ExamScope {
	if (hasRole(user, 'system_admin')) return { manage: true, all: true }
	const roots = user.roles.filter((r) => (r.role === 'regulator' || r.role === 'enterprise_admin') && r.orgId && r.orgPath).map((r) => ({ orgId: r.orgId!, path: r.orgPath! }))
	return roots.length ? { manage: true, all: false, roots } : { manage: false }
}

/** For loaders and actions: a person who may give exams (403 otherwise), with their scope. */
export async function requireExamScope(request: Request) {
	const user = await requireUser(request)
	const scope = examScopeOf(user)
	if (!scope.manage) throw forbidden()
	return { user, scope }
}

/** Filter on `organizations` (joined to the people or orgs queried) keeping the scope's subtrees. */
export function orgsOfScope(scope: ExamScope): SQL | undefined {
	if (!scope.manage) return eq(organizations.id, '00000000-0000-0000-0000-000000000000')
	if (scope.all) return undefined
	return or(...scope.roots.map((r) => like(organizations.path, `${r.path}%`)))
}

export function scopeHasOrgPath(scope: ExamScope, path: string) {
	return scope.manage && (scope.all || scope.roots.some((r) => path.startsWith(r.path)))
}

/** Organisations in scope, for the "单位" choice of the new-exam form. */
export async function orgsForExams(tx: DbOrTx, scope: ExamScope) {
	if (!scope.manage) return []
	return tx
		.select({ id: organizations.id, name: organizations.name, kind: organizations.kind, path: organizations.path })
		.from(organizations)
		.where(orgsOfScope(scope))
		.orderBy(asc(organizations.path))
}

/** People in scope (optionally under one organisation), for the "按名单" checklist. */
export async function peopleForExams(tx: DbOrTx, scope: ExamScope, underPath?: string, limit = 1000) {
	if (!scope.manage) return []
	return tx
		.select({ id: people.id, name: people.name, orgName: organizations.name, category: people.category, position: people.position })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(orgsOfScope(scope), isNull(people.anonymisedAt), underPath ? like(organizations.path, `${underPath}%`) : undefined))
		.orderBy(asc(organizations.name), asc(organizations.id), asc(people.name), asc(people.id))
		.limit(limit)
}

/** Head counts in scope by job type (only job types somebody holds) and by category, for the form's choices. */
export async function headcountsForExams(tx: DbOrTx, scope: ExamScope) {
	if (!scope.manage) return { jobTypes: [], categories: {} as Record<string, number> }
	const byJob = await tx
		.select({ code: jobTypes.code, name: jobTypes.name, n: countDistinct(people.id) })
		.from(personJobTypes)
		.innerJoin(jobTypes, eq(jobTypes.code, personJobTypes.jobTypeCode))
		.innerJoin(people, eq(people.id, personJobTypes.personId))
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(orgsOfScope(scope), isNull(people.anonymisedAt)))
		.groupBy(jobTypes.code, jobTypes.name, jobTypes.sortOrder)
		.orderBy(asc(jobTypes.sortOrder))
	const byCategory = await tx
		.select({ category: people.category, n: count() })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(orgsOfScope(scope), isNull(people.anonymisedAt)))
		.groupBy(people.category)
	return { jobTypes: byJob, categories: Object.fromEntries(byCategory.map((c) => [c.category, c.n])) as Record<string, number> }
}

/** Adds people to an exam's list (already listed ones are left as they are); returns how many were added. */
export async function addAssignees(tx: DbOrTx, examId: string, personIds: string[], now = new Date()) {
	if (!personIds.length) return 0
	const added = await tx
		.insert(examAssignees)
		.values(personIds.map((personId) => ({ examId, personId, assignedAt: now })))
		.onConflictDoNothing()
		.returning({ personId: examAssignees.personId })
	return added.length
}

export type CreateExamResult = { ok: true; examId: string; assigned: number } | { ok: false; errors: FormErrors }

/**
 * Creates an exam from a template and assigns it. Everything is checked first (the template is
 * usable by the caller, the organisation and every listed person are in scope, somebody matches);
 * on any problem nothing is written. The exam and its audit entry go in one transaction.
 */
export async function createExam(db: Db, user: SessionUser, input: ExamInput, now = new Date()): Promise<CreateExamResult> {
	const scope = examScopeOf(user)
	if (!scope.manage) return { ok: false, errors: { form: '您没有权限发布考试' } }
	const found = await loadTemplate(db, templateAccess(user), input.templateId)
	if (!found) return { ok: false, errors: { templateId: '没有找到这份试卷规则' } }
	if (input.closesAt <= now) return { ok: false, errors: { closesAt: '结束时间已过，请重新选择' } }

	let under: { id: string; path: string } | null = null
	if (input.orgId) {
		const [org] = await db.select({ id: organizations.id, path: organizations.path }).from(organizations).where(eq(organizations.id, input.orgId))
		if (!org || !scopeHasOrgPath(scope, org.path)) return { ok: false, errors: { orgId: '该单位不在您的管理范围内' } }
		under = org
	}

	// Deleted (anonymised) people are given no new exams.
	const conditions: (SQL | undefined)[] = [orgsOfScope(scope), isNull(people.anonymisedAt), under ? like(organizations.path, `${under.path}%`) : undefined]
	if (input.assignBy === 'jobType') conditions.push(inArray(people.id, db.select({ id: personJobTypes.personId }).from(personJobTypes).where(inArray(personJobTypes.jobTypeCode, input.jobTypes))))
	if (input.assignBy === 'category') conditions.push(inArray(people.category, input.categories))
	if (input.assignBy === 'people') conditions.push(inArray(people.id, input.personIds))
	const chosen = await db
		.select({ id: people.id })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(...conditions))
	if (input.assignBy === 'people' && chosen.length < input.personIds.length) {
		return { ok: false, errors: { personIds: `名单中有 ${input.personIds.length - chosen.length} 人不在您的管理范围内` } }
	}
	if (!chosen.length) {
		const field = { jobType: 'jobTypes', category: 'categories', people: 'personIds' }[input.assignBy]
		return { ok: false, errors: { [field]: '您的管理范围内没有符合条件的人员' } }
	}

	// The exam belongs to the part of the caller's scope it was given in.
	const ownerOrgId = scope.all ? (under?.id ?? null) : (scope.roots.find((r) => !under || under.path.startsWith(r.path)) ?? scope.roots[0]!).orgId
	const examId = randomUUID()
	const assigned = await db.transaction(async (tx) => {
		await tx.insert(exams).values({ id: examId, templateId: found.template.id, ownerOrgId, title: input.title, opensAt: input.opensAt, closesAt: input.closesAt, createdBy: user.id, createdAt: now })
		const n = await addAssignees(
			tx,
			examId,
			chosen.map((p) => p.id),
			now,
		)
		await writeAudit(tx, {
			actorId: user.id,
			action: 'exam.create',
			targetType: 'exam',
			targetId: examId,
			orgId: ownerOrgId,
			detail: { templateId: found.template.id, assignBy: input.assignBy, assigned: n, jobTypes: input.jobTypes, categories: input.categories },
		})
		return n
	})
	return { ok: true, examId, assigned }
}
