import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { auditLog, courseJobTypes, courses, lessons, questions, questionVersions } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as newCourseRoute from '#app/routes/editor.courses.new.tsx'
import * as courseRoute from '#app/routes/editor.courses.$courseId._index.tsx'
import * as lessonRoute from '#app/routes/editor.courses.$courseId.lessons.$lessonId.tsx'
import * as previewRoute from '#app/routes/editor.preview.ts'
import * as newQuestionRoute from '#app/routes/bank.new.tsx'
import * as questionRoute from '#app/routes/bank.$questionId.tsx'
import { load, signedIn, submit } from '#tests/fixtures/requests.ts'

const EDITOR = '13900000004'
const WORKER = '13900000010'

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
})

const courseFields = { title: '班组长安全管理', part: 'general', description: '班组长的安全职责与班前会。', jobTypes: ['coal_underground', 'hazchem_operator'], published: '1' }
const lessonBody = '## 班前会\n\n- 讲清当班任务和风险\n- 检查劳动防护用品\n\n<script>alert(1)</script><img src=x onerror=alert(1)>'

describe('editing courses in the browser', () => {
	test('an editor creates a course and a lesson; the preview is the sanitised lesson', async () => {
		const editor = await signedIn(EDITOR)
		const created = await submit(newCourseRoute, '/editor/courses/new', courseFields, editor)
		expect(created.status).toBe(302)
		const courseId = created.headers.get('Location')!.split('/').pop()!
		const jobs = await db.select().from(courseJobTypes).where(eq(courseJobTypes.courseId, courseId))
		expect(jobs.map((j) => j.jobTypeCode).sort()).toEqual(['coal_underground', 'hazchem_operator'])

		const params = { courseId, lessonId: 'new' }
		const preview = await submit(previewRoute, '/editor/preview', { body: lessonBody }, editor)
		expect(preview.data.html).toContain('<h2>班前会</h2>')
		expect(preview.data.html).not.toMatch(/<script|onerror/)

		const saved = await submit(lessonRoute, `/editor/courses/${courseId}/lessons/new`, { title: '班前会', minMinutes: '8', body: lessonBody }, editor, params)
		expect(saved.status).toBe(302)
		const [lesson] = await db.select().from(lessons).where(eq(lessons.courseId, courseId))
		expect(lesson).toMatchObject({ title: '班前会', minMinutes: 8, position: 0 })
		const page = await load(courseRoute, `/editor/courses/${courseId}`, editor, { courseId })
		expect(page.data.lessons).toHaveLength(1)
		expect(page.data.editable).toBe(true)
	})

	test('bad input is refused next to the field and nothing is written', async () => {
		const editor = await signedIn(EDITOR)
		const before = (await db.select().from(courses)).length
		const audits = (await db.select().from(auditLog)).length
		const refused = await submit(newCourseRoute, '/editor/courses/new', { ...courseFields, title: 'x', jobTypes: [] }, editor)
		expect(refused.status).toBe(400)
		expect(refused.data.errors.title).toMatch(/至少 2 个字/)
		expect(refused.data.errors.jobTypes).toMatch(/适用工种/)
		expect((await db.select().from(courses)).length).toBe(before)
		expect((await db.select().from(auditLog)).length).toBe(audits)
	})

	test('shipped courses are read-only in the browser; workers cannot reach the editor', async () => {
		const editor = await signedIn(EDITOR)
		const [shipped] = await db.select().from(courses).where(eq(courses.code, 'general-safety'))
		const params = { courseId: shipped!.id }
		expect((await load(courseRoute, `/editor/courses/${shipped!.id}`, editor, params)).data.editable).toBe(false)
		expect((await submit(courseRoute, `/editor/courses/${shipped!.id}`, courseFields, editor, params)).status).toBe(403)
		const worker = await signedIn(WORKER)
		expect((await load(courseRoute, `/editor/courses/${shipped!.id}`, worker, params)).status).toBe(403)
		expect((await submit(previewRoute, '/editor/preview', { body: '# x' }, worker)).status).toBe(403)
	})
})

describe('editing questions in the bank', () => {
	const question = {
		type: 'single',
		stem: '班前会上发现作业人员酒后上岗，班组长应当怎么做？',
		optionA: '让其到安全位置休息，不得安排上岗',
		optionB: '安排其做简单的辅助工作',
		optionC: '让其少喝水、注意安全即可',
		answer: 'A',
		explanation: '酒后作业属于违反劳动纪律的三违行为，依据《安全生产法》第五十七条，从业人员应当遵守规章制度，班组长不得安排其上岗。',
		difficulty: '2',
		part: 'general',
		forAllJobTypes: '1',
		topics: '三违、班前会',
	}

	test('a new question gets version 1; changing its answer makes version 2 and keeps version 1', async () => {
		const editor = await signedIn(EDITOR)
		const created = await submit(newQuestionRoute, '/bank/new', question, editor)
		expect(created.status).toBe(302)
		const questionId = created.headers.get('Location')!.split('/').pop()!.split('?')[0]!
		const params = { questionId }
		const edited = await submit(questionRoute, `/bank/${questionId}`, { ...question, optionD: '通知其家属来接', answer: 'A' }, editor, params)
		expect(edited.status).toBe(302)
		const versions = await db.select().from(questionVersions).where(eq(questionVersions.questionId, questionId))
		expect(versions.map((v) => v.version).sort()).toEqual([1, 2])
		expect(versions.find((v) => v.version === 1)!.options).toHaveLength(3)
		const [current] = await db.select().from(questions).where(eq(questions.id, questionId))
		expect(current!.version).toBe(2)
	})

	test('answers outside the options and missing explanations are refused, nothing written', async () => {
		const editor = await signedIn(EDITOR)
		const before = (await db.select().from(questions)).length
		const outside = await submit(newQuestionRoute, '/bank/new', { ...question, stem: '另一道题的题干内容', answer: 'E' }, editor)
		expect(outside.status).toBe(400)
		expect(outside.data.errors.answer).toMatch(/不在选项中/)
		const unexplained = await submit(newQuestionRoute, '/bank/new', { ...question, stem: '另一道题的题干内容', explanation: '' }, editor)
		expect(unexplained.status).toBe(400)
		expect(unexplained.data.errors.explanation).toMatch(/解析/)
		expect((await db.select().from(questions)).length).toBe(before)
	})

	test('shipped questions cannot be edited in the browser', async () => {
		const editor = await signedIn(EDITOR)
		const [shipped] = await db.select().from(questions).where(eq(questions.code, 'general-001'))
		const params = { questionId: shipped!.id }
		expect((await load(questionRoute, `/bank/${shipped!.id}`, editor, params)).data.editable).toBe(false)
		expect((await submit(questionRoute, `/bank/${shipped!.id}`, question, editor, params)).status).toBe(403)
	})
})

describe('garbage ids', () => {
	test('course, lesson and question pages answer 404 for ids that are not uuids', async () => {
		const editor = await signedIn(EDITOR)
		const garbage = '-'.repeat(36)
		expect((await load(courseRoute, `/editor/courses/${garbage}`, editor, { courseId: garbage })).status).toBe(404)
		expect((await load(questionRoute, `/bank/${garbage}`, editor, { questionId: garbage })).status).toBe(404)
		expect((await load(lessonRoute, `/editor/courses/${garbage}/lessons/new`, editor, { courseId: garbage, lessonId: 'new' })).status).toBe(404)
	})
})
