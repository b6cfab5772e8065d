import { and, asc, eq, isNotNull, isNull, ne } from 'drizzle-orm'
import {
	attempts,
	certificates,
	competitions,
	courses,
	examAssignees,
	examTemplates,
	exams,
	inspections,
	lessons,
	onsiteQuizzes,
	people,
	questions,
	roleAssignments,
	trainingPlans,
} from '#db/schema.ts'
import { hashPassword } from '#app/auth/password.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { DEMO_COMPETITION_SLUG, seedCompetitionDemo } from '#app/demo/competition-demo.server.ts'
import { demoSpotCheckId } from '#app/demo/spot-check-demo.server.ts'
import { DEMO_PASSWORD, seedDemo } from '#app/demo/seed.server.ts'
import { startAttempt } from '#app/exams/attempts.server.ts'
import { orgByCode } from '#app/orgs/orgs.server.ts'
import { insertOfflineTraining } from '#app/records/offline.server.ts'
import { personCodeFor } from '#app/records/person-code.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { db } from '#app/utils/db.server.ts'
import { ORIGIN, personByPhone, signedIn, signedInAs } from '#tests/fixtures/requests.ts'

// The demo county, signed in as one person per role, plus an administrator of 示范化工 and a
// regulator of 西河镇 (the demo has accounts for neither) to guess the ids of 示范煤业's and
// 东山乡's records. The ids are of demo records, and of three made here by the app's own
// functions: the demo worker's attempt in progress, a 班前会 with a sign-in sheet, and a template
// of 示范煤业's own.

export const ROLES = ['system_admin', 'regulator', 'enterprise_admin', 'content_editor', 'worker'] as const
export type Role = (typeof ROLES)[number]

export type Persona = { token: string; personId: string }

export type Demo = Awaited<ReturnType<typeof setUpDemo>>

/** A person of the demo roster made an administrator of their organisation, with a password. */
async function promote(position: string, orgCode: string, role: 'enterprise_admin' | 'regulator') {
	const org = await orgByCode(db, orgCode)
	const [person] = await db.select({ id: people.id }).from(people).where(and(eq(people.orgId, org.id), eq(people.position, position)))
	if (!person) throw new Error(`demo: nobody is ${position} of ${orgCode}`)
	await db.update(people).set({ passwordHash: await hashPassword(DEMO_PASSWORD) }).where(eq(people.id, person.id))
	await db.insert(roleAssignments).values({ personId: person.id, role, orgId: org.id })
	return person.id
}

export async function setUpDemo() {
	// The shipped questions and courses first: the demo's exams, certificates, inspection and
	// spot check are drawn from them.
	await syncShippedContent(db)
	await seedDemo(db)
	// The 知识竞赛 demo is seeded with the rest once its helper wires it in; until then, here.
	const [competition] = await db.select({ id: competitions.id }).from(competitions).where(eq(competitions.slug, DEMO_COMPETITION_SLUG))
	if (!competition) await seedCompetitionDemo(db)

	const coal = await orgByCode(db, 'demo-coal')
	const chemAdminId = await promote('安全环保部部长', 'demo-chem', 'enterprise_admin')
	const xiheRegulatorId = await promote('副镇长', 'xihe', 'regulator')

	const as = {
		system_admin: await signedIn('13900000000'),
		regulator: await signedIn('13900000001'),
		dongshanRegulator: await signedIn('13900000002'),
		enterprise_admin: await signedIn('13900000003'),
		content_editor: await signedIn('13900000004'),
		worker: await signedIn('13900000010'),
		chemWorker: await signedIn('13900000011'),
		chemAdmin: await signedInAs(chemAdminId),
		xiheRegulator: await signedInAs(xiheRegulatorId),
	}

	const worker = await personByPhone('13900000010')
	const [miner] = await db.select({ id: people.id }).from(people).where(and(eq(people.orgId, coal.id), eq(people.position, '采煤工')))
	// The demo worker's open 岗前 exam, and an attempt at it in progress.
	const [exam] = await db
		.select({ id: exams.id })
		.from(exams)
		.innerJoin(examAssignees, eq(examAssignees.examId, exams.id))
		.where(and(eq(examAssignees.personId, worker.id), eq(exams.ownerOrgId, coal.id)))
		.orderBy(asc(exams.closesAt))
	const attemptId = await startAttempt(db, exam!.id, worker.id)
	const [certificate] = await db
		.select({ id: certificates.id, serial: certificates.serial })
		.from(certificates)
		.innerJoin(people, eq(people.id, certificates.personId))
		.where(eq(people.orgId, coal.id))
		.limit(1)
	const [plan] = await db.select({ id: trainingPlans.id }).from(trainingPlans).where(eq(trainingPlans.orgId, coal.id)).limit(1)
	// A 班前会 with its sign-in sheet, so the attachment route has something to serve.
	const trainingId = await insertOfflineTraining(db, {
		orgId: coal.id,
		kind: 'pre_shift',
		topic: '班前会：防治水',
		heldOn: chinaDay(new Date()),
		hours: 0.5,
		trainer: '综采队队长',
		personIds: [worker.id],
		recordedBy: as.enterprise_admin.personId,
		attachment: { name: '签到表.pdf', type: 'application/pdf', bytes: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]) },
	})
	const [inspection] = await db.select({ id: inspections.id }).from(inspections).where(eq(inspections.orgId, coal.id)).limit(1)
	const [quiz] = await db.select({ id: onsiteQuizzes.id, code: onsiteQuizzes.joinCode }).from(onsiteQuizzes).where(eq(onsiteQuizzes.inspectionId, inspection!.id))
	// A template of 示范煤业's own, next to the platform's.
	const [platformTemplate] = await db.select().from(examTemplates).where(and(isNull(examTemplates.ownerOrgId), eq(examTemplates.purpose, 'pre_job'))).limit(1)
	const coalTemplateId = crypto.randomUUID()
	await db.insert(examTemplates).values({ ...platformTemplate!, id: coalTemplateId, ownerOrgId: coal.id, title: '示范煤业自定试卷', createdAt: new Date(), updatedAt: new Date() })
	const [question] = await db.select({ id: questions.id }).from(questions).where(isNull(questions.ownerOrgId)).limit(1)
	const [course] = await db.select({ id: courses.id }).from(courses).where(eq(courses.code, 'general-safety'))
	const [lesson] = await db.select({ id: lessons.id }).from(lessons).where(eq(lessons.courseId, course!.id)).orderBy(asc(lessons.position)).limit(1)
	const code = await personCodeFor(worker.id, ORIGIN)
	const [closed] = await db.select({ id: attempts.id }).from(attempts).where(and(ne(attempts.personId, worker.id), isNotNull(attempts.submittedAt))).limit(1)

	return {
		as,
		ids: {
			coalOrg: coal.id,
			worker: worker.id,
			miner: miner!.id,
			exam: exam!.id,
			attempt: attemptId,
			otherAttempt: closed!.id,
			certificate: certificate!.id,
			serial: certificate!.serial,
			plan: plan!.id,
			training: trainingId,
			inspection: inspection!.id,
			quiz: quiz!.id,
			joinCode: quiz!.code,
			spotCheck: (await demoSpotCheckId(db))!,
			platformTemplate: platformTemplate!.id,
			coalTemplate: coalTemplateId,
			question: question!.id,
			course: course!.id,
			lesson: lesson!.id,
			personCode: code.url.split('/check/')[1]!,
			competition: DEMO_COMPETITION_SLUG,
		},
	}
}
