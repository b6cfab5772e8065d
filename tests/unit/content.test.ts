import fs from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { describe, expect, test } from 'vitest'
import { questionFileSchema } from '#app/bank/question-file.ts'
import { checkContent } from '#app/content/check.server.ts'

// The same check as `npm run content:check`, plus the coverage the platform promises.

describe('shipped content', () => {
	test('has no problems: schemas, answers among options, explanations, no duplicate stems', async () => {
		const { problems } = await checkContent()
		expect(problems).toEqual([])
	})

	test('covers at least 10 job types with 40 questions each, all three types present, and 100 通用 questions', async () => {
		const { counts } = await checkContent()
		const perJob = Object.entries(counts.questionsByJobType).filter(([job]) => job !== 'all')
		expect(perJob.filter(([, n]) => n >= 40).length).toBeGreaterThanOrEqual(10)
		expect(counts.questionsByJobType.all).toBeGreaterThanOrEqual(100)
		expect(counts.questions).toBeGreaterThanOrEqual(600)

		const dir = path.resolve('content/questions')
		for (const file of await fs.readdir(dir)) {
			const { questions } = questionFileSchema.parse(parseYaml(await fs.readFile(path.join(dir, file), 'utf8')))
			const types = new Set(questions.map((q) => q.type))
			expect([...types].sort(), file).toEqual(['judge', 'multiple', 'single'])
		}
	})

	test('has a 通用知识 course for everyone, a leaders course, and a 专业知识 course per covered job type', async () => {
		const { counts } = await checkContent()
		expect(counts.courses).toBeGreaterThanOrEqual(12)
		const courseDirs = await fs.readdir(path.resolve('content/courses'))
		expect(courseDirs).toEqual(expect.arrayContaining(['general-safety', 'leaders-duties']))
		expect(courseDirs.filter((d) => d.endsWith('-pro')).length).toBeGreaterThanOrEqual(10)
	})

	test('the check catches a wrong answer, a missing explanation and a duplicate stem', async () => {
		const tmp = await fs.mkdtemp(path.join((await import('node:os')).tmpdir(), 'content-'))
		await fs.cp(path.resolve('content/catalogue'), path.join(tmp, 'catalogue'), { recursive: true })
		await fs.mkdir(path.join(tmp, 'questions'))
		await fs.writeFile(
			path.join(tmp, 'questions', 'bad.yaml'),
			[
				'jobTypes: all',
				'part: 通用',
				'questions:',
				'  - { id: bad-1, type: single, stem: 发现火情应当拨打哪个电话？, options: [110, 119], answer: C, explanation: 火警电话是119，依据《消防法》。, difficulty: 1 }',
				'  - { id: bad-2, type: multiple, stem: 下列哪些属于三违行为？, options: [违章指挥, 违章作业, 按章操作], answer: A, explanation: 三违是违章指挥、违章作业、违反劳动纪律。, difficulty: 1 }',
				'  - { id: bad-3, type: judge, stem: 发现火情应当拨打哪个电话？, answer: true, explanation: 这道题与第一题的题干重复了。, difficulty: 1 }',
			].join('\n'),
		)
		const { problems } = await checkContent(tmp)
		expect(problems.join('\n')).toMatch(/bad-1：答案 C 不在选项中/)
		expect(problems.join('\n')).toMatch(/bad-2：多选题至少两个答案/)
		expect(problems.join('\n')).toMatch(/bad-3：题干与 bad-1 重复/)
		await fs.rm(tmp, { recursive: true, force: true })
	})
})
