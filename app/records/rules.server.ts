import { randomUUID } from 'node:crypto'
import { asc, eq, sql } from 'drizzle-orm'
import { courses, examTemplates, industries, jobClearanceRules, jobTypes, rotationRules } from '#db/schema.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import type { JobRuleInput, RotationRuleInput } from './rules-form.ts'

// 上岗规则: platform-wide, kept by the system administrator.

export async function jobTypesWithRules(tx: DbOrTx) {
	return tx
		.select({ code: jobTypes.code, name: jobTypes.name, specialOperation: jobTypes.specialOperation, rule: jobClearanceRules })
		.from(jobTypes)
		.leftJoin(jobClearanceRules, eq(jobClearanceRules.jobTypeCode, jobTypes.code))
		.orderBy(asc(jobTypes.sortOrder))
}

/** The job type, its rule (if any) and what a rule may name: published courses, 岗前/年度 templates. */
export async function jobRuleChoices(tx: DbOrTx, jobTypeCode: string) {
	// A code from the URL: anything but a code's characters is no job type (and never reaches the query).
	if (!/^[a-z0-9_-]{1,64}$/.test(jobTypeCode)) return null
	const [job] = await tx.select().from(jobTypes).where(eq(jobTypes.code, jobTypeCode))
	if (!job) return null
	const [rule] = await tx.select().from(jobClearanceRules).where(eq(jobClearanceRules.jobTypeCode, jobTypeCode))
	const courseChoices = await tx.select({ id: courses.id, title: courses.title, ownerOrgId: courses.ownerOrgId }).from(courses).where(eq(courses.published, true)).orderBy(asc(courses.part), asc(courses.title))
	const templateChoices = await tx
		.select({ id: examTemplates.id, title: examTemplates.title })
		.from(examTemplates)
		.where(sql`${examTemplates.purpose} in ('pre_job', 'annual')`)
		.orderBy(asc(examTemplates.title))
	return { job, rule: rule ?? null, courses: courseChoices, templates: templateChoices }
}

export async function saveJobRule(db: Db, actor: SessionUser, jobTypeCode: string, input: JobRuleInput): Promise<{ ok: true } | { ok: false; errors: FormErrors }> {
	const choices = await jobRuleChoices(db, jobTypeCode)
	if (!choices) return { ok: false, errors: { form: '没有这个工种' } }
	const courseIds = input.courseMode === 'chosen' ? input.courseIds : null
	const templateIds = input.templateMode === 'chosen' ? input.templateIds : null
	if (courseIds?.some((id) => !choices.courses.some((c) => c.id === id))) return { ok: false, errors: { courseIds: '请从列表中选择课程' } }
	if (templateIds?.some((id) => !choices.templates.some((t) => t.id === id))) return { ok: false, errors: { templateIds: '请从列表中选择试卷规则' } }
	const values = { courseIds, templateIds, passValidMonths: input.passValidMonths, updatedBy: actor.id, updatedAt: new Date() }
	await db.transaction(async (tx) => {
		await tx.insert(jobClearanceRules).values({ jobTypeCode, ...values }).onConflictDoUpdate({ target: jobClearanceRules.jobTypeCode, set: values })
		await writeAudit(tx, { actorId: actor.id, action: 'clearance_rule.save', targetType: 'job_type', targetId: null, orgId: null, detail: { jobTypeCode, courseIds, templateIds, passValidMonths: input.passValidMonths } })
	})
	return { ok: true }
}

export async function listRotationRules(tx: DbOrTx) {
	return tx.select().from(rotationRules).orderBy(asc(rotationRules.createdAt))
}

export const listIndustries = (tx: DbOrTx) => tx.select({ code: industries.code, name: industries.name }).from(industries).orderBy(asc(industries.sortOrder))

export async function addRotationRule(db: Db, actor: SessionUser, input: RotationRuleInput): Promise<{ ok: true } | { ok: false; errors: FormErrors }> {
	const known = new Set((await listIndustries(db)).map((i) => i.code))
	if (input.industryCodes.some((c) => !known.has(c))) return { ok: false, errors: { industryCodes: '请从列表中选择行业' } }
	const id = randomUUID()
	await db.transaction(async (tx) => {
		await tx.insert(rotationRules).values({ id, ...input })
		await writeAudit(tx, { actorId: actor.id, action: 'rotation_rule.add', targetType: 'rotation_rule', targetId: id, orgId: null, detail: input })
	})
	return { ok: true }
}

export async function removeRotationRule(db: Db, actor: SessionUser, id: string) {
	await db.transaction(async (tx) => {
		const removed = await tx.delete(rotationRules).where(eq(rotationRules.id, id)).returning()
		if (removed.length) await writeAudit(tx, { actorId: actor.id, action: 'rotation_rule.remove', targetType: 'rotation_rule', targetId: id, orgId: null, detail: { title: removed[0]!.title } })
	})
}
