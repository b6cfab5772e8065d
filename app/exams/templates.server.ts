import { randomUUID } from 'node:crypto'
import { and, asc, count, desc, eq, inArray, isNull, or, type SQL } from 'drizzle-orm'
import { examTemplates, exams, organizations, type PaperRule } from '#db/schema.ts'
import { forbidden, requireUser } from '#app/auth/auth.server.ts'
import { hasRole, type SessionUser } from '#app/auth/scope.ts'
import { listJobTypes, unknownJobTypes } from '#app/people/people.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { candidatesForRules } from './attempts.server.ts'
import { ruleShortfalls } from './paper.ts'
import { describeRule, ruleField, type TemplateInput } from './template-form.ts'
import { isUuid } from '#app/utils/ids.ts'

// 试卷规则: who may see and change which template, saving with the bank feasibility check, lists.

export type TemplateAccess = {
	user: SessionUser
	/** May open the template pages at all. */
	manage: boolean
	/** Where a template this person creates belongs (null: the platform). */
	ownerOrgId: string | null
	canRead: (ownerOrgId: string | null) => boolean
	canEdit: (ownerOrgId: string | null) => boolean
	/** The list filter matching canRead (undefined: everything). */
	where: SQL | undefined
}

/**
 * The one place that says who may manage which templates:
 * - 系统管理员: every template; new ones are platform templates.
 * - 内容编辑 of the platform: platform templates; of an enterprise: that enterprise's.
 * - 企业安全管理员: their enterprise's templates; platform templates read-only (to give exams from).
 * - 监管人员: their own organisation's templates (for 抽考); platform templates read-only.
 * Everyone who may manage templates may read the platform's.
 */
export function templateAccess(user: SessionUser): TemplateAccess {
	const all = hasRole(user, 'system_admin')
	const platformEditor = all || user.roles.some((r) => r.role === 'content_editor' && r.orgId === null)
	const ownOrgIds = [
		...new Set(user.roles.filter((r) => (r.role === 'enterprise_admin' || r.role === 'regulator' || r.role === 'content_editor') && r.orgId).map((r) => r.orgId!)),
	]
	const manage = all || platformEditor || ownOrgIds.length > 0
	const canRead = (owner: string | null) => manage && (all || owner === null || ownOrgIds.includes(owner))
	const canEdit = (owner: string | null) => all || (owner === null ? platformEditor : ownOrgIds.includes(owner))
	const where = all ? undefined : ownOrgIds.length ? or(isNull(examTemplates.ownerOrgId), inArray(examTemplates.ownerOrgId, ownOrgIds)) : isNull(examTemplates.ownerOrgId)
	return { user, manage, ownerOrgId: platformEditor ? null : (ownOrgIds[0] ?? null), canRead, canEdit, where }
}

/** For loaders and actions: a signed-in person who may manage templates (403 otherwise). */
export async function requireTemplateAccess(request: Request) {
	const access = templateAccess(await requireUser(request))
	if (!access.manage) throw forbidden()
	return access
}

export type TemplateRow = typeof examTemplates.$inferSelect

/** A template the person may read, and whether they may change it; null when out of scope or unknown. */
export async function loadTemplate(tx: DbOrTx, access: TemplateAccess, templateId: string) {
	if (!isUuid(templateId)) return null
	const [template] = await tx.select().from(examTemplates).where(eq(examTemplates.id, templateId))
	if (!template || !access.canRead(template.ownerOrgId)) return null
	return { template, editable: access.canEdit(template.ownerOrgId) }
}

export async function listTemplates(tx: DbOrTx, access: TemplateAccess, { page = 1, pageSize = 50 }: { page?: number; pageSize?: number } = {}) {
	const rows = await tx
		.select({ template: examTemplates, ownerName: organizations.name })
		.from(examTemplates)
		.leftJoin(organizations, eq(organizations.id, examTemplates.ownerOrgId))
		.where(access.where)
		.orderBy(asc(examTemplates.ownerOrgId), desc(examTemplates.updatedAt), asc(examTemplates.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
	const [total] = await tx.select({ n: count() }).from(examTemplates).where(access.where)
	return { total: total?.n ?? 0, rows: rows.map((r) => ({ ...r, editable: access.canEdit(r.template.ownerOrgId) })) }
}

export type RuleFeasibility = { row: number; rule: PaperRule; description: string; needed: number; available: number; short: boolean; message: string | null }

/**
 * Whether the bank can satisfy every rule, rule by rule: the questions a rule may draw (the same
 * query a paper is drawn with), not counting those an earlier rule already takes.
 */
export async function checkFeasibility(
	tx: DbOrTx,
	rules: PaperRule[],
	ownerOrgId: string | null,
	ruleRows: number[] = rules.map((_, i) => i + 1),
): Promise<RuleFeasibility[]> {
	// The same questions a paper of this template's owner may draw (platform and the owner's own).
	const candidates = await candidatesForRules(tx, rules, { ownerOrgId })
	const shortfalls = new Map(ruleShortfalls(rules, candidates).map((s) => [s.rule, s]))
	const names = Object.fromEntries((await listJobTypes(tx)).map((j) => [j.code, j.name]))
	return rules.map((rule, i) => {
		const row = ruleRows[i] ?? i + 1
		const description = describeRule(rule, names)
		const short = shortfalls.get(i)
		const available = short ? short.available : candidates[i]!.length
		return {
			row,
			rule,
			description,
			needed: rule.count,
			available,
			short: Boolean(short),
			message: short ? `第 ${row} 条规则（${description}）需要 ${short.needed} 道题，题库中只有 ${short.available} 道，还差 ${short.needed - short.available} 道` : null,
		}
	})
}

export type SaveTemplateResult = { ok: true; templateId: string } | { ok: false; errors: FormErrors; shortfalls: string[] }

/**
 * Adds or changes a template: validates the whole of it (job types exist, the bank can satisfy
 * every rule) and writes nothing unless all is well; then the template and its audit entry in
 * one transaction. The caller has checked that the person may edit it (existing.editable).
 */
export async function saveTemplate(db: Db, access: TemplateAccess, input: TemplateInput, existing?: TemplateRow): Promise<SaveTemplateResult> {
	if (existing ? !access.canEdit(existing.ownerOrgId) : !access.manage) throw new Error('not allowed to save this template')
	const errors: FormErrors = {}
	const unknown = await unknownJobTypes(db, input.jobTypes)
	if (unknown.length) errors.jobTypes = `工种不存在：${unknown.join('、')}`
	for (const [i, rule] of input.rules.entries()) {
		const missing = await unknownJobTypes(db, rule.jobTypes ?? [])
		if (missing.length) errors[ruleField(input.ruleRows[i] ?? i + 1, 'jobTypes')] = `工种不存在：${missing.join('、')}`
	}
	if (Object.keys(errors).length) return { ok: false, errors, shortfalls: [] }

	const feasibility = await checkFeasibility(db, input.rules, existing ? existing.ownerOrgId : access.ownerOrgId, input.ruleRows)
	const shortfalls = feasibility.filter((f) => f.short).map((f) => f.message!)
	if (shortfalls.length) {
		for (const f of feasibility) if (f.short) errors[ruleField(f.row, 'count')] = `题库中只有 ${f.available} 道，还差 ${f.needed - f.available} 道`
		errors.rules = `题库不能满足 ${shortfalls.length} 条规则，请减少题数、放宽条件，或先向题库补充试题。`
		return { ok: false, errors, shortfalls }
	}

	const { ruleRows: _rows, ...values } = input
	const id = existing?.id ?? randomUUID()
	const ownerOrgId = existing ? existing.ownerOrgId : access.ownerOrgId
	await db.transaction(async (tx) => {
		if (existing) await tx.update(examTemplates).set({ ...values, updatedAt: new Date() }).where(eq(examTemplates.id, id))
		else await tx.insert(examTemplates).values({ id, ownerOrgId, ...values, createdBy: access.user.id })
		await writeAudit(tx, {
			actorId: access.user.id,
			action: existing ? 'exam_template.update' : 'exam_template.create',
			targetType: 'exam_template',
			targetId: id,
			orgId: ownerOrgId,
			detail: { purpose: input.purpose, rules: input.rules.length, questions: input.rules.reduce((n, r) => n + r.count, 0) },
		})
	})
	return { ok: true, templateId: id }
}

/** How many exams were given from a template (its edit page warns that changes reach them). */
export async function examsUsingTemplate(tx: DbOrTx, templateId: string) {
	const [row] = await tx.select({ n: count() }).from(exams).where(eq(exams.templateId, templateId))
	return row?.n ?? 0
}

/** The templates someone may give an exam from (for the new-exam form). */
export async function usableTemplates(tx: DbOrTx, access: TemplateAccess) {
	return tx
		.select({ id: examTemplates.id, title: examTemplates.title, purpose: examTemplates.purpose, ownerOrgId: examTemplates.ownerOrgId, jobTypes: examTemplates.jobTypes })
		.from(examTemplates)
		.where(and(access.where))
		.orderBy(asc(examTemplates.title))
}
