import { randomUUID } from 'node:crypto'
import { and, asc, eq, sql } from 'drizzle-orm'
import { examAssignees, examTemplates, exams, lessonProgress, lessons, operationCertificates, people, questions, rotationRules, violations } from '#db/schema.ts'
import { requiredCourses } from '#app/courses/learning.server.ts'
import { orgByCode } from '#app/orgs/orgs.server.ts'
import { decryptPii, encryptPii, idNumberLookupHash } from '#app/people/pii.server.ts'
import { openRetrainingOrder } from '#app/records/orders.server.ts'
import type { Db } from '#app/utils/db.server.ts'
import { sitExam } from './sit-exam.server.ts'

// 上岗资格 in the demo county: at 示范煤业, people cleared, expiring soon, and not cleared for
// each kind of reason, made through the real exam flow (papers drawn, answers saved, graded)
// at past times. Study time is written directly: the demo has nobody to sit through lessons.

const DAY = 86_400_000

/** 高危行业主要负责人和安全管理人员 rotation training: at least 3 days (24 学时) a year. */
export async function seedRotationRule(db: Db) {
	await db.insert(rotationRules).values({
		id: randomUUID(),
		title: '高危行业主要负责人和安全管理人员年度轮训',
		categories: ['principal', 'safety_manager'],
		industryCodes: ['coal', 'noncoal_mine', 'hazchem', 'metallurgy', 'explosives'],
		minHours: 24,
		periodMonths: 12,
	})
}

export async function seedClearanceDemo(db: Db, now = new Date()) {
	// The demo exams draw from the shipped questions; a database seeded without the shipped
	// content (some tests) gets the county without these records.
	const [shipped] = await db.select({ id: questions.id }).from(questions).limit(1)
	if (!shipped) return
	const coal = await orgByCode(db, 'demo-coal')
	const staff = await db.select({ id: people.id, position: people.position, idNumberEnc: people.idNumberEnc }).from(people).where(eq(people.orgId, coal.id))
	const byPosition = (position: string) => {
		const person = staff.find((p) => p.position === position)
		if (!person) throw new Error(`demo: nobody at 示范煤业 is ${position}`)
		return person
	}
	const ago = (days: number) => new Date(now.getTime() - days * DAY)

	// Earlier exams, closed yesterday, whose windows hold the past attempts.
	const pastExam = async (jobType: string, personIds: string[]) => {
		const [template] = await db.select().from(examTemplates).where(and(eq(examTemplates.purpose, 'pre_job'), sql`${jobType} = any(${examTemplates.jobTypes})`)).orderBy(asc(examTemplates.createdAt)).limit(1)
		const id = randomUUID()
		await db.insert(exams).values({ id, templateId: template!.id, ownerOrgId: coal.id, title: `${template!.title}（往期）`, opensAt: ago(420), closesAt: ago(1), createdAt: ago(420) })
		await db.insert(examAssignees).values(personIds.map((personId) => ({ examId: id, personId, assignedAt: ago(420) })))
		return id
	}

	const studyAll = async (personId: string, at: Date, lessonsPerCourse = Infinity) => {
		for (const course of await requiredCourses(db, personId)) {
			const rows = await db.select({ id: lessons.id, minMinutes: lessons.minMinutes }).from(lessons).where(eq(lessons.courseId, course.id)).orderBy(asc(lessons.position))
			const done = rows.slice(0, lessonsPerCourse)
			if (!done.length) continue
			await db.insert(lessonProgress).values(done.map((l) => ({ personId, lessonId: l.id, studiedSeconds: l.minMinutes * 60 + 120, reachedEnd: true, openedAt: at, lastCreditAt: at, completedAt: at, updatedAt: at })))
		}
	}

	const principal = byPosition('矿长')
	const manager = byPosition('安全科科长') // 赵立新, the demo enterprise admin
	const deputy = byPosition('安全副矿长')
	const digger = byPosition('掘进工')
	const miner = byPosition('采煤工')
	const hauler = byPosition('运输工')
	const repairer = byPosition('巷道维修工')
	const welder = byPosition('机修焊工')
	const gasInspector = byPosition('瓦斯检查工')

	const coalExam = await pastExam('coal_underground', [manager.id, deputy.id, digger.id, miner.id, hauler.id])
	const weldingExam = await pastExam('welding', [welder.id])

	// Cleared: 矿长 (his category's courses and rotation) and 赵立新.
	await studyAll(principal.id, ago(80))
	await studyAll(manager.id, ago(70))
	await sitExam(db, coalExam, manager.id, ago(60), { pass: true, minutes: 20 })
	// Cleared, but the pass runs out within 30 days.
	await studyAll(deputy.id, ago(360))
	await sitExam(db, coalExam, deputy.id, ago(350), { pass: true, minutes: 20 })
	// Not cleared: a 三违 three days ago opened a 脱产培训 order.
	await studyAll(digger.id, ago(120))
	await sitExam(db, coalExam, digger.id, ago(100), { pass: true, minutes: 20 })
	const violationId = randomUUID()
	await db.transaction(async (tx) => {
		await tx.insert(violations).values({ id: violationId, personId: digger.id, kind: 'operation', occurredOn: ago(3).toISOString().slice(0, 10), place: '3102 掘进工作面', description: '未执行敲帮问顶，进入空顶区作业', recordedBy: manager.id, createdAt: ago(3) })
		const [course] = await requiredCourses(tx, digger.id)
		const [template] = await tx.select({ templateId: exams.templateId }).from(exams).where(eq(exams.id, coalExam))
		await openRetrainingOrder(tx, { personId: digger.id, source: 'violation', reason: '三违（违章作业）', courseId: course?.id ?? null, templateId: template!.templateId, dueAt: new Date(now.getTime() + 27 * DAY), violationId, createdBy: manager.id }, ago(3))
	})
	// Not cleared: failed the exam.
	await studyAll(miner.id, ago(20))
	await sitExam(db, coalExam, miner.id, ago(5), { pass: false, minutes: 20 })
	// Not cleared: the pass is more than 12 months old.
	await studyAll(hauler.id, ago(410))
	await sitExam(db, coalExam, hauler.id, ago(400), { pass: true, minutes: 20 })
	// Not cleared: three lessons of each course so far, no exam.
	await studyAll(repairer.id, ago(2), 3)
	// Not cleared: courses and exam done, but the operation certificate has expired.
	await studyAll(welder.id, ago(200))
	await sitExam(db, weldingExam, welder.id, ago(190), { pass: true, minutes: 20 })
	await recordLicence(welder, 'welding', '2019-03-01', ago(30).toISOString().slice(0, 10))
	// Not cleared: valid certificate, courses done, exam not yet taken.
	await studyAll(gasInspector.id, ago(40))
	await recordLicence(gasInspector, 'coal_gas_inspector', '2024-06-01', '2030-06-01')

	async function recordLicence(person: { id: string; idNumberEnc: string | null }, jobTypeCode: string, issuedOn: string, validUntil: string) {
		const number = `T${decryptPii(person.idNumberEnc!)}`
		await db.insert(operationCertificates).values({ id: randomUUID(), personId: person.id, jobTypeCode, numberEnc: encryptPii(number), numberHash: idNumberLookupHash(number), issuer: '示范市应急管理局', issuedOn, validUntil, recordedBy: manager.id })
	}
}
