// Extra data for the browser tests, loaded into the e2e database after the demo county and
// before the server starts: a short 开工第一课 at 示范煤业 that a test can finish for real (one
// lesson of one minute) and its exam, with a 上岗规则 making them what clears 一般岗位从业人员.
// Run with the server's environment: node --import tsx tests/e2e/fixtures.ts
import { randomUUID } from 'node:crypto'
import { articles, courseJobTypes, courses, examTemplates, exams, jobClearanceRules, lessons } from '#db/schema.ts'
import { createQuestions } from '#app/bank/questions.server.ts'
import { orgByCode } from '#app/orgs/orgs.server.ts'
import { closeDatabase, db } from '#app/utils/db.server.ts'
import { E2E_ARTICLE, E2E_FIRST_LESSON } from './support.ts'

const JOB = 'general_worker'
const coal = await orgByCode(db, 'demo-coal')
const now = Date.now()

await db.transaction(async (tx) => {
	const courseId = randomUUID()
	await tx.insert(courses).values({ id: courseId, ownerOrgId: coal.id, title: E2E_FIRST_LESSON.course, part: 'general', description: '示范煤业新入职人员开工前的第一课。' })
	await tx.insert(courseJobTypes).values({ courseId, jobTypeCode: JOB })
	await tx.insert(lessons).values({
		id: randomUUID(),
		courseId,
		position: 0,
		title: E2E_FIRST_LESSON.lesson,
		minMinutes: 1,
		body: '## 入矿须知\n\n- 入井前必须经过检身，严禁携带烟火。\n- 按规定佩戴安全帽、矿灯和自救器。\n- 不清楚作业风险时，先问清楚再干活。\n',
	})

	const stems = ['入井前必须接受检身，严禁携带烟草和点火物品。', '下井人员必须随身携带自救器。', '发现险情时应立即停止作业并向班组长报告。', '新入职人员未经安全培训合格不得上岗作业。', '进入作业地点前应先检查顶板和支护情况。']
	await createQuestions(
		tx,
		stems.map((stem) => ({
			input: { type: 'judge' as const, stem, options: [], answer: true, explanation: '依据《煤矿安全规程》和本矿入井管理制度。', difficulty: 1, part: 'general' as const, forAllJobTypes: false, jobTypes: [JOB], topics: ['开工第一课'] },
			owner: { ownerOrgId: coal.id },
		})),
	)

	const templateId = randomUUID()
	await tx.insert(examTemplates).values({
		id: templateId,
		ownerOrgId: coal.id,
		title: E2E_FIRST_LESSON.exam,
		purpose: 'pre_job',
		jobTypes: [JOB],
		timeLimitMinutes: 10,
		passMark: 60,
		attemptsAllowed: 3,
		rules: [{ type: 'judge', count: 5, points: 20, jobTypes: [JOB], topics: ['开工第一课'] }],
		issuesCertificate: true,
		certificateValidMonths: 12,
	})
	await tx.insert(exams).values({ id: randomUUID(), templateId, ownerOrgId: coal.id, title: E2E_FIRST_LESSON.exam, opensAt: new Date(now - 3600_000), closesAt: new Date(now + 30 * 86_400_000) })
	await tx.insert(jobClearanceRules).values({ jobTypeCode: JOB, courseIds: [courseId], templateIds: [templateId], passValidMonths: 12 })

	await tx.insert(articles).values({
		id: randomUUID(),
		slug: E2E_ARTICLE.slug,
		title: E2E_ARTICLE.title,
		summary: '天冷门窗紧闭，燃气热水器和燃气灶更要注意通风和报警器，闻到燃气味先关阀开窗。',
		body: '## 先通风\n\n使用燃气热水器和燃气灶时保持通风，不要把热水器装在浴室里。\n\n## 闻到燃气味\n\n关阀门、开窗户，不开灯、不开关电器，到室外再拨打燃气公司电话或 119。\n',
		setting: 'family',
		status: 'published',
		publishedAt: new Date(now - 86_400_000),
	})
})
await closeDatabase()
console.log('[e2e] fixtures loaded: 开工第一课 at 示范煤业, a published 宣传文章')
