import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { courses, lessonProgress, lessons } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { recordHeartbeat, recordLessonOpened, recordMarkDone, requiredCourses } from '#app/courses/learning.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as lessonRoute from '#app/routes/learn.$courseId.$lessonId.tsx'
import * as courseRoute from '#app/routes/learn.$courseId._index.tsx'
import { newWorker } from '#tests/fixtures/records.ts'
import { load, orgIdByCode, personByPhone, signedIn, signedInAs, submit } from '#tests/fixtures/requests.ts'

const WORKER = '13900000010' // 示范煤业, 煤矿井下作业人员, 一般从业人员
const CHEM_WORKER = '13900000011' // 示范化工, 危险化学品生产操作人员
const COAL_SAFETY_MANAGER = '13900000003' // 示范煤业, 安全管理人员

async function courseByCode(code: string) {
	const [course] = await db.select().from(courses).where(eq(courses.code, code))
	return course!
}
async function firstLesson(courseId: string) {
	const [lesson] = await db.select().from(lessons).where(eq(lessons.courseId, courseId)).orderBy(lessons.position).limit(1)
	return lesson!
}

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
})

describe('the courses a worker must study', () => {
	test('are exactly those of their job types, plus the courses for everyone', async () => {
		const worker = await personByPhone(WORKER)
		const codes = await Promise.all((await requiredCourses(db, worker.id)).map(async (c) => (await db.select({ code: courses.code }).from(courses).where(eq(courses.id, c.id)))[0]!.code))
		expect(codes.sort()).toEqual(['coal-underground-pro', 'general-safety'])

		const chem = await personByPhone(CHEM_WORKER)
		const chemCourses = await requiredCourses(db, chem.id)
		const chemCodes = await Promise.all(chemCourses.map(async (c) => (await db.select({ code: courses.code }).from(courses).where(eq(courses.id, c.id)))[0]!.code))
		expect(chemCodes.sort()).toEqual(['general-safety', 'hazchem-operator-pro'])
	})

	test('courses for 主要负责人 and 安全管理人员 reach only those categories', async () => {
		const manager = await personByPhone(COAL_SAFETY_MANAGER)
		const titles = (await requiredCourses(db, manager.id)).map((c) => c.title)
		expect(titles).toContain((await courseByCode('leaders-duties')).title)
		const worker = await personByPhone(WORKER)
		expect((await requiredCourses(db, worker.id)).map((c) => c.title)).not.toContain((await courseByCode('leaders-duties')).title)
	})

	test("another enterprise's own course is neither required nor readable", async () => {
		const chemOrg = await orgIdByCode('demo-chem')
		const courseId = randomUUID()
		await db.insert(courses).values({ id: courseId, ownerOrgId: chemOrg, title: '化工厂区入厂须知', part: 'general', forAllJobTypes: true })
		const lessonId = randomUUID()
		await db.insert(lessons).values({ id: lessonId, courseId, position: 0, title: '入厂须知', body: '正文'.repeat(50), minMinutes: 5 })

		const worker = await signedIn(WORKER)
		expect((await requiredCourses(db, worker.personId)).some((c) => c.id === courseId)).toBe(false)
		expect((await load(courseRoute, `/learn/${courseId}`, worker, { courseId })).status).toBe(404)
		expect((await load(lessonRoute, `/learn/${courseId}/${lessonId}`, worker, { courseId, lessonId })).status).toBe(404)

		const chem = await signedIn(CHEM_WORKER)
		expect((await requiredCourses(db, chem.personId)).some((c) => c.id === courseId)).toBe(true)
	})
})

describe('recording 学时', () => {
	test('heartbeats credit server time and a lesson completes after its minimum and its end', async () => {
		const worker = await personByPhone(WORKER)
		const course = await courseByCode('coal-underground-pro')
		const lesson = await firstLesson(course.id)
		const t0 = new Date('2026-11-23T08:00:00Z')
		await recordLessonOpened(db, worker.id, lesson, t0)
		let last
		const beats = (lesson.minMinutes * 60) / 15
		for (let i = 1; i <= beats; i++) last = await recordHeartbeat(db, worker.id, lesson, i === beats, new Date(t0.getTime() + i * 15_000))
		expect(last!.studiedSeconds).toBe(lesson.minMinutes * 60)
		expect(last!.completedAt).not.toBeNull()

		const progress = (await requiredCourses(db, worker.id)).find((c) => c.id === course.id)!
		expect(progress.done).toBe(1)
		expect(progress.studiedMinutes).toBe(lesson.minMinutes)
	})

	test('without JavaScript, the time from opening to 我已学完 counts', async () => {
		const chem = await personByPhone(CHEM_WORKER)
		const lesson = await firstLesson((await courseByCode('general-safety')).id)
		const t0 = new Date('2026-11-23T09:00:00Z')
		await recordLessonOpened(db, chem.id, lesson, t0)
		const done = await recordMarkDone(db, chem.id, lesson, new Date(t0.getTime() + (lesson.minMinutes * 60 + 30) * 1000))
		expect(done.completedAt).not.toBeNull()
		expect(done.studiedSeconds).toBe(lesson.minMinutes * 60 + 30)
	})

	test('the lesson page records the visit; 我已学完 right away is refused with how long is left', async () => {
		// A newcomer: nothing studied yet.
		const manager = await signedInAs(await newWorker('demo-coal', ['coal_underground'], { category: 'safety_manager', account: true }))
		const course = await courseByCode('general-safety')
		const lesson = await firstLesson(course.id)
		const params = { courseId: course.id, lessonId: lesson.id }
		const page = await load(lessonRoute, `/learn/${course.id}/${lesson.id}`, manager, params)
		expect(page.status).toBe(200)
		expect(page.data.lesson.html).toContain('<h2')
		const done = await submit(lessonRoute, `/learn/${course.id}/${lesson.id}`, { intent: 'done' }, manager, params)
		expect(done.status).toBe(400)
		expect(done.data.message).toMatch(/还需学习约 \d+ 分钟/)
		const [row] = await db.select().from(lessonProgress).where(and(eq(lessonProgress.personId, manager.personId), eq(lessonProgress.lessonId, lesson.id)))
		expect(row!.completedAt).toBeNull()
		expect(row!.reachedEnd).toBe(true)
	})
})
