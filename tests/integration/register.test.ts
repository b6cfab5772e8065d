import { randomUUID } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { attempts, courses, examTemplates, exams, lessonProgress, lessons } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { createPerson } from '#app/people/people.server.ts'
import { insertOfflineTraining } from '#app/records/offline.server.ts'
import { insertPlan } from '#app/records/plans.server.ts'
import { rotationHoursOf, trainingRecordsOf } from '#app/records/register.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as recordsPage from '#app/routes/people.$personId.records.tsx'
import { load, orgByCode, personByPhone, signedIn } from '#tests/fixtures/requests.ts'
import { testIdNumber } from '#tests/fixtures/identity.ts'

// 登记在册: one person's records of every kind in one list, with the right 学时, scores and
// dates; `until` for "as of that day"; 轮训 hours in a window for the clearance rule.

type Auth = Awaited<ReturnType<typeof signedIn>>
let coalAdmin: Auth
let coal: { id: string }
let chem: { id: string }
let personId: string
let otherId: string
let generalCourse: { id: string; title: string }
let generalLessons: { id: string }[]
let examId: string

const at = (iso: string) => new Date(iso)
// Seconds studied per lesson of the general course.
const SECONDS_PER_LESSON = 1000

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	coalAdmin = await signedIn('13900000003')
	coal = await orgByCode('demo-coal')
	chem = await orgByCode('demo-chem')
	personId = await createPerson(db, { orgId: coal.id, name: '档案测试', phone: '13722220001', idNumber: testIdNumber(21), category: 'principal', employmentType: 'formal', position: '矿长助理', jobTypes: ['coal_underground'] })
	otherId = await createPerson(db, { orgId: coal.id, name: '另一人', phone: '13722220002', category: 'safety_manager', employmentType: 'formal', jobTypes: [] })
	const [course] = await db.select({ id: courses.id, title: courses.title }).from(courses).where(eq(courses.code, 'general-safety'))
	generalCourse = course!
	generalLessons = await db.select({ id: lessons.id }).from(lessons).where(eq(lessons.courseId, generalCourse.id)).orderBy(asc(lessons.position))

	// The general course: every lesson done, the last on 2026-03-10 10:00 China time.
	await db.insert(lessonProgress).values(
		generalLessons.map((l, i) => ({
			personId,
			lessonId: l.id,
			studiedSeconds: SECONDS_PER_LESSON,
			reachedEnd: true,
			completedAt: i === generalLessons.length - 1 ? at('2026-03-10T10:00:00+08:00') : at('2026-03-02T09:00:00+08:00'),
		})),
	)
	// The coal course: started, one lesson done: not a record.
	const [coalLesson] = await db.select({ id: lessons.id }).from(lessons).innerJoin(courses, eq(courses.id, lessons.courseId)).where(eq(courses.code, 'coal-underground-pro')).limit(1)
	await db.insert(lessonProgress).values({ personId, lessonId: coalLesson!.id, studiedSeconds: 900, reachedEnd: true, completedAt: at('2026-03-11T10:00:00+08:00') })
	// A plan by 赵立新 that asked for the general course.
	await insertPlan(db, { orgId: coal.id, title: '负责人年度培训', dueOn: '2026-12-31', courseIds: [generalCourse.id], examId: null, jobTypes: [], categories: [], createdBy: coalAdmin.personId }, [personId])

	// An exam given by 赵立新: failed on 03-12, passed on 03-20, and one attempt still open.
	const [template] = await db.select({ id: examTemplates.id }).from(examTemplates).where(eq(examTemplates.purpose, 'pre_job')).limit(1)
	examId = randomUUID()
	await db.insert(exams).values({ id: examId, templateId: template!.id, ownerOrgId: coal.id, title: '负责人安全生产知识考试', opensAt: at('2026-03-01T00:00:00+08:00'), closesAt: at('2026-04-01T00:00:00+08:00'), createdBy: coalAdmin.personId })
	const attempt = (submittedAt: Date | null, score: number | null, passed: boolean | null) => ({
		id: randomUUID(),
		examId,
		personId,
		status: submittedAt ? ('submitted' as const) : ('open' as const),
		startedAt: at('2026-03-12T08:00:00+08:00'),
		deadlineAt: at('2026-04-01T00:00:00+08:00'),
		submittedAt,
		score,
		maxScore: 100,
		passed,
	})
	await db.insert(attempts).values(attempt(at('2026-03-12T08:40:00+08:00'), 64, false))
	await db.insert(attempts).values(attempt(at('2026-03-20T15:30:00+08:00'), 92, true))
	await db.insert(attempts).values(attempt(null, null, null))

	// Offline: a 轮训 of 24 学时 (03-15), a 集中授课 of 2.5 (03-25), an older 轮训 of 8 (2025-06-01), a 班前会 of 0.5 someone else attended.
	const offline = (kind: 'rotation' | 'classroom' | 'pre_shift', heldOn: string, hours: number, topic: string, personIds: string[]) =>
		insertOfflineTraining(db, { orgId: coal.id, kind, topic, heldOn, hours, trainer: '县应急管理局', personIds, recordedBy: coalAdmin.personId })
	await offline('rotation', '2026-03-15', 24, '负责人轮训', [personId, otherId])
	await offline('classroom', '2026-03-25', 2.5, '新《安全生产法》解读', [personId])
	await offline('rotation', '2025-06-01', 8, '去年的轮训', [personId])
	await offline('pre_shift', '2026-03-26', 0.5, '班前会', [otherId])
})

describe('the register of one person', () => {
	test('lists course completions, submitted attempts and offline trainings, newest first, with 学时 and scores', async () => {
		const records = await trainingRecordsOf(db, personId)
		expect(records.map((r) => [r.type, r.day])).toEqual([
			['offline', '2026-03-25'],
			['exam', '2026-03-20'],
			['offline', '2026-03-15'],
			['exam', '2026-03-12'],
			['course', '2026-03-10'],
			['offline', '2025-06-01'],
		])
		const course = records.find((r) => r.type === 'course')!
		expect(course).toMatchObject({
			courseId: generalCourse.id,
			title: generalCourse.title,
			lessons: generalLessons.length,
			// 学时: studied minutes / 60, to one decimal.
			hours: Math.round((generalLessons.length * SECONDS_PER_LESSON) / 60 / 6) / 10,
			planTitle: '负责人年度培训',
			assignedBy: '赵立新',
		})
		expect(course.at.toISOString()).toBe('2026-03-10T02:00:00.000Z')
		const examRecords = records.filter((r) => r.type === 'exam')
		expect(examRecords).toMatchObject([
			{ examId, title: '负责人安全生产知识考试', purpose: 'pre_job', score: 92, maxScore: 100, passed: true, assignedBy: '赵立新' },
			{ examId, score: 64, maxScore: 100, passed: false, assignedBy: '赵立新' },
		])
		expect(records.filter((r) => r.type === 'offline')).toMatchObject([
			{ kind: 'classroom', topic: '新《安全生产法》解读', hours: 2.5, recordedBy: '赵立新' },
			{ kind: 'rotation', topic: '负责人轮训', hours: 24, recordedBy: '赵立新' },
			{ kind: 'rotation', topic: '去年的轮训', hours: 8 },
		])
	})

	test('`until` leaves out what happened later', async () => {
		// By the end of 2026-03-12 (China time): the course, the failed attempt and the 2025 轮训.
		const byDay = await trainingRecordsOf(db, personId, { until: at('2026-03-12T23:59:59.999+08:00') })
		expect(byDay.map((r) => [r.type, r.day])).toEqual([
			['exam', '2026-03-12'],
			['course', '2026-03-10'],
			['offline', '2025-06-01'],
		])
		// Before the last lesson was completed, the course is not complete.
		const before = await trainingRecordsOf(db, personId, { until: at('2026-03-10T09:59:59+08:00') })
		expect(before.map((r) => r.type)).toEqual(['offline'])
	})

	test('the page shows the register within scope only', async () => {
		const page = await load(recordsPage, `/people/${personId}/records`, coalAdmin, { personId })
		expect(page.status).toBe(200)
		expect(page.data.records).toHaveLength(6)
		expect(page.data.records[1]).toMatchObject({ type: '考试', result: '92/100 分 · 合格', by: '赵立新' })
		expect(page.data.years).toEqual([
			{ year: '2026', hours: Math.round((24 + 2.5) * 10 + (generalLessons.length * SECONDS_PER_LESSON) / 360) / 10 },
			{ year: '2025', hours: 8 },
		])
		const asOf = await load(recordsPage, `/people/${personId}/records?until=2026-03-12`, coalAdmin, { personId })
		expect(asOf.data.records).toHaveLength(3)

		// A worker of 示范化工 (his own register is his to see) cannot open this person's.
		const chemWorker = await signedIn('13900000011')
		expect((await load(recordsPage, `/people/${personId}/records`, chemWorker, { personId })).status).toBe(404)
		expect((await load(recordsPage, `/people/${chemWorker.personId}/records`, chemWorker, { personId: chemWorker.personId })).status).toBe(200)
		const chemPerson = await personByPhone('13900000011')
		expect(chemPerson.orgId).toBe(chem.id)
		expect((await load(recordsPage, `/people/${chemPerson.id}/records`, coalAdmin, { personId: chemPerson.id })).status).toBe(404)
	})
})

describe('轮训 hours', () => {
	test('sum the 轮训 held within the window, both days included; 集中授课 only when asked', async () => {
		const nobody = (await personByPhone('13900000011')).id
		const year = await rotationHoursOf(db, [personId, otherId, nobody], '2026-01-01', '2026-12-31')
		expect(Object.fromEntries(year)).toEqual({ [personId]: 24, [otherId]: 24, [nobody]: 0 })
		const rolling = await rotationHoursOf(db, [personId], at('2025-06-01T00:00:00+08:00'), at('2026-03-15T12:00:00+08:00'))
		expect(rolling.get(personId)).toBe(32)
		expect((await rotationHoursOf(db, [personId], '2025-06-02', '2026-03-14')).get(personId)).toBe(0)
		const withClassroom = await rotationHoursOf(db, [personId], '2026-01-01', '2026-12-31', { kinds: ['rotation', 'classroom'] })
		expect(withClassroom.get(personId)).toBe(26.5)
	})
})
