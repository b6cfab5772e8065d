import { randomUUID } from 'node:crypto'
import { desc, eq, sql } from 'drizzle-orm'
import { courses, examAssignees, examTemplates, exams, organizations, people, retrainingOrders, violations } from '#db/schema.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { queryRows, type Db, type DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { VIOLATION_KINDS, type ViolationInput } from './violation-form.ts'

// 三违 and 脱产培训 retraining orders. An order withholds clearance until its course is complete
// and its re-exam — an exam given to the person alone — is passed after the order was opened.

export type OrderSource = (typeof retrainingOrders.$inferSelect)['source']

export type NewOrder = {
	personId: string
	source: OrderSource
	// How the order reads in the person's reasons: "因<reason>于 <date> 责令脱产培训".
	reason: string
	courseId: string | null
	templateId: string
	dueAt: Date
	violationId?: string
	createdBy: string | null
}

/** Opens an order and gives its re-exam; call inside the transaction that records its cause. */
export async function openRetrainingOrder(tx: DbOrTx, order: NewOrder, now = new Date()) {
	const [template] = await tx.select({ title: examTemplates.title }).from(examTemplates).where(eq(examTemplates.id, order.templateId))
	if (!template) throw new Error(`exam template ${order.templateId} not found`)
	const [person] = await tx.select({ orgId: people.orgId }).from(people).where(eq(people.id, order.personId))
	const examId = randomUUID()
	await tx.insert(exams).values({ id: examId, templateId: order.templateId, ownerOrgId: person!.orgId, title: `${template.title}（脱产培训补考）`, opensAt: now, closesAt: order.dueAt, createdBy: order.createdBy, createdAt: now })
	await tx.insert(examAssignees).values({ examId, personId: order.personId, assignedAt: now })
	const id = randomUUID()
	await tx.insert(retrainingOrders).values({ id, personId: order.personId, source: order.source, violationId: order.violationId ?? null, reason: order.reason, openedAt: now, courseId: order.courseId, examId, createdBy: order.createdBy })
	return { orderId: id, examId }
}

/**
 * Closes the person's open orders whose course is complete and whose re-exam was passed after
 * opening. Called in the transaction that grades an attempt or completes a lesson.
 */
export async function closeSatisfiedOrders(tx: DbOrTx, personId: string, now = new Date()) {
	await tx.execute(sql`
		with due as (
			select o.id, (
				select a.id from attempts a
				where a.exam_id = o.exam_id and a.person_id = o.person_id and a.status = 'submitted' and a.passed and a.submitted_at >= o.opened_at
				order by a.submitted_at limit 1
			) as pass_id
			from retraining_orders o
			where o.person_id = ${personId} and o.closed_at is null
				and (o.course_id is null or not exists (
					select 1 from lessons l where l.course_id = o.course_id and not exists (
						select 1 from lesson_progress lp where lp.lesson_id = l.id and lp.person_id = o.person_id and lp.completed_at is not null)))
		)
		update retraining_orders o set closed_at = ${now.toISOString()}::timestamptz, closed_by_attempt_id = due.pass_id
		from due where o.id = due.id and due.pass_id is not null`)
}

export async function ordersOf(tx: DbOrTx, personId: string) {
	return tx
		.select({
			id: retrainingOrders.id,
			source: retrainingOrders.source,
			reason: retrainingOrders.reason,
			openedAt: retrainingOrders.openedAt,
			closedAt: retrainingOrders.closedAt,
			courseId: retrainingOrders.courseId,
			courseTitle: courses.title,
			examId: retrainingOrders.examId,
			examTitle: exams.title,
			examClosesAt: exams.closesAt,
		})
		.from(retrainingOrders)
		.leftJoin(courses, eq(courses.id, retrainingOrders.courseId))
		.leftJoin(exams, eq(exams.id, retrainingOrders.examId))
		.where(eq(retrainingOrders.personId, personId))
		.orderBy(desc(retrainingOrders.openedAt))
}

export async function violationsOf(tx: DbOrTx, personId: string) {
	return tx
		.select({ id: violations.id, kind: violations.kind, occurredOn: violations.occurredOn, place: violations.place, description: violations.description, recordedBy: people.name })
		.from(violations)
		.leftJoin(people, eq(people.id, violations.recordedBy))
		.where(eq(violations.personId, personId))
		.orderBy(desc(violations.occurredOn), desc(violations.createdAt))
}

/** What a retraining order can be made of for this person: their courses and the 岗前/年度 templates of their job types. */
export async function retrainingChoices(tx: DbOrTx, personId: string) {
	const courseRows = await queryRows<{ id: string; title: string }>(
		sql`select c.id, c.title from courses c, people p join organizations o on o.id = p.org_id
			where p.id = ${personId} and c.published and (c.owner_org_id is null or o.path like '%/' || c.owner_org_id::text || '/%')
				and (c.categories is null or p.category = any(c.categories))
				and (c.for_all_job_types or exists (select 1 from course_job_types cj join person_job_types pj on pj.job_type_code = cj.job_type_code where cj.course_id = c.id and pj.person_id = p.id))
			order by c.part desc, c.title`,
		tx,
	)
	const templateRows = await queryRows<{ id: string; title: string }>(
		sql`select t.id, t.title from exam_templates t, people p join organizations o on o.id = p.org_id
			where p.id = ${personId} and t.purpose in ('pre_job', 'annual')
				and (t.owner_org_id is null or o.path like '%/' || t.owner_org_id::text || '/%')
				and exists (select 1 from person_job_types pj where pj.person_id = p.id and pj.job_type_code = any(t.job_types))
			order by t.title`,
		tx,
	)
	return { courses: courseRows, templates: templateRows }
}

export type RecordViolationResult = { ok: true; violationId: string; orderId: string } | { ok: false; errors: FormErrors }

/** Records a 三违 and opens its retraining order, all or nothing. The caller has checked scope. */
export async function recordViolation(db: Db, actor: SessionUser, personId: string, input: ViolationInput, now = new Date()): Promise<RecordViolationResult> {
	const choices = await retrainingChoices(db, personId)
	const errors: FormErrors = {}
	if (input.courseId && !choices.courses.some((c) => c.id === input.courseId)) errors.courseId = '请选择此人的培训课程'
	if (!choices.templates.some((t) => t.id === input.templateId)) errors.templateId = choices.templates.length ? '请选择补考所用的试卷规则' : '此人的工种没有可用的岗前或年度考试规则，请先建立'
	if (Object.keys(errors).length) return { ok: false, errors }

	const [person] = await db.select({ orgId: people.orgId, orgName: organizations.name }).from(people).innerJoin(organizations, eq(organizations.id, people.orgId)).where(eq(people.id, personId))
	const violationId = randomUUID()
	const orderId = await db.transaction(async (tx) => {
		await tx.insert(violations).values({ id: violationId, personId, kind: input.kind, occurredOn: input.occurredOn, place: input.place, description: input.description, recordedBy: actor.id, createdAt: now })
		const { orderId } = await openRetrainingOrder(
			tx,
			{ personId, source: 'violation', reason: `三违（${VIOLATION_KINDS[input.kind]}）`, courseId: input.courseId || null, templateId: input.templateId, dueAt: input.dueAt, violationId, createdBy: actor.id },
			now,
		)
		await writeAudit(tx, { actorId: actor.id, action: 'violation.record', targetType: 'person', targetId: personId, orgId: person!.orgId, detail: { kind: input.kind, occurredOn: input.occurredOn, orderId } })
		return orderId
	})
	return { ok: true, violationId, orderId }
}
