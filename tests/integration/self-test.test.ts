import path from 'node:path'
import { count, eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { questions, questionVersions, selfTestResults } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { readShippedOutreachPages } from '#app/outreach/read.server.ts'
import { PAPER_MAX_AGE_MS } from '#app/outreach/self-test.ts'
import { submitSelfTest } from '#app/outreach/self-test.server.ts'
import * as selfTestRoute from '#app/routes/self-test._index.tsx'
import * as resultRoute from '#app/routes/self-test.r.$id.tsx'
import { db } from '#app/utils/db.server.ts'
import { formData, load, submit } from '#tests/fixtures/requests.ts'

// 公众自测 (issue 7): a paper drawn from the platform's 通用 bank, no sign-in, no answer key on
// the page, a signed paper graded with its frozen versions, one stored result per paper.

type Item = { questionId: string; versionId: string; optionOrder: number[]; points: number }

beforeAll(async () => {
	await syncShippedContent(db)
})

/** The paper inside the signed hidden field (its payload is readable; only the signature protects it). */
const itemsOf = (token: string): Item[] => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')).items

/** Each drawn item with its version and question, straight from the database. */
async function frozen(token: string) {
	const items = itemsOf(token)
	const rows = await db
		.select({ version: questionVersions, question: questions })
		.from(questionVersions)
		.innerJoin(questions, eq(questions.id, questionVersions.questionId))
		.where(inArray(questionVersions.id, items.map((i) => i.versionId)))
	return items.map((item) => ({ item, ...rows.find((r) => r.version.id === item.versionId)! }))
}

/** The right answer as the page shows it: display letters through the option order, or true/false. */
function shownKey(answer: string | boolean, optionOrder: number[]) {
	if (typeof answer === 'boolean') return answer
	return [...answer].map((l) => 'ABCDEFGH'[optionOrder.indexOf('ABCDEFGH'.indexOf(l))]!).sort().join('')
}

const resultRows = async () => (await db.select({ n: count() }).from(selfTestResults))[0]!.n

describe('GET /self-test', () => {
	test('draws 10 questions of the platform 通用 bank, 4 单选 2 多选 4 判断 at 10 points, without the answer key, storing nothing', async () => {
		const before = await resultRows()
		const { status, data, headers } = await load(selfTestRoute, '/self-test')
		expect(status).toBe(200)
		expect(headers.get('Cache-Control')).toContain('no-store')
		expect(data.questions).toHaveLength(10)
		expect(data.maxScore).toBe(100)
		expect(data.questions.map((q: { type: string }) => q.type)).toEqual(['single', 'single', 'single', 'single', 'multiple', 'multiple', 'judge', 'judge', 'judge', 'judge'])

		const drawn = await frozen(data.token)
		expect(new Set(drawn.map((d) => d.question.id)).size).toBe(10)
		for (const [i, { item, version, question }] of drawn.entries()) {
			expect(question).toMatchObject({ ownerOrgId: null, part: 'general', categories: null, archived: false, currentVersionId: version.id })
			expect(item.points).toBe(10)
			// What the page shows is the version, options in the drawn order.
			expect(data.questions[i]).toEqual({ position: i + 1, type: version.type, stem: version.stem, points: 10, options: item.optionOrder.map((k) => version.options[k]) })
		}

		// No explanation, no answer, no bank letters anywhere in what the page gets.
		const page = JSON.stringify(data)
		for (const { version } of drawn) expect(page).not.toContain(version.explanation)
		expect(page).not.toMatch(/"answer"|"explanation"|"right"/)
		for (const item of itemsOf(data.token)) expect(Object.keys(item).sort()).toEqual(['optionOrder', 'points', 'questionId', 'versionId'])
		expect(await resultRows()).toBe(before)
	})

	test('options are shuffled: over a few draws some choice question is shown in another order', async () => {
		const orders = []
		for (let i = 0; i < 4; i++) orders.push(...itemsOf((await load(selfTestRoute, '/self-test')).data.token).map((item) => item.optionOrder))
		expect(orders.some((order) => order.some((k, i) => k !== i))).toBe(true)
	})

	test('?setting= draws 5 questions from the topics of that 五进 page; an unknown setting is 404', async () => {
		const { pages } = await readShippedOutreachPages(path.resolve('content'))
		for (const setting of ['family', 'school']) {
			const topics = pages.find((p) => p.slug === setting)!.frontMatter.selfTestTopics
			const { status, data } = await load(selfTestRoute, `/self-test?setting=${setting}`)
			expect(status).toBe(200)
			expect(data.setting).toBe(setting)
			expect(data.questions).toHaveLength(5)
			expect(data.maxScore).toBe(100)
			for (const { question, item } of await frozen(data.token)) {
				expect(question.topics.some((t) => topics.includes(t))).toBe(true)
				expect(question).toMatchObject({ ownerOrgId: null, part: 'general', categories: null })
				expect(item.points).toBe(20)
			}
		}
		expect((await load(selfTestRoute, '/self-test?setting=factory')).status).toBe(404)
	})
})

describe('POST /self-test and the result page', () => {
	test('grades with the frozen versions, redirects to the result, and a second post of the paper lands on the same one row', async () => {
		const { data } = await load(selfTestRoute, '/self-test')
		const drawn = await frozen(data.token)
		// Right on odd positions, wrong on even ones, the last one blank.
		const body: Record<string, string | string[]> = { paper: data.token }
		let expected = 0
		const posted: (string | boolean | null)[] = []
		for (const [i, { item, version }] of drawn.entries()) {
			const key = shownKey(version.answer, item.optionOrder)
			if (i === drawn.length - 1) {
				posted.push(null)
				continue
			}
			const right = i % 2 === 0
			let given: string | boolean
			if (typeof key === 'boolean') given = right ? key : !key
			else given = right ? key : 'ABCDEFGH'.slice(0, version.options.length).split('').find((l) => !key.includes(l))!
			if (right) expected += item.points
			posted.push(given)
			body[`q${i + 1}`] = typeof given === 'boolean' ? String(given) : [...given]
		}
		expect(expected).toBeGreaterThan(0)
		expect(expected).toBeLessThan(100)

		const before = await resultRows()
		const first = await submit(selfTestRoute, '/self-test', body)
		expect(first.status).toBe(303)
		const location = first.headers.get('Location')!
		expect(location).toMatch(/^\/self-test\/r\/[a-z2-7]{24}$/)
		const id = location.split('/').pop()!

		const { status, data: result } = await load(resultRoute, location, null, { id })
		expect(status).toBe(200)
		expect(result.score).toBe(expected)
		expect(result.maxScore).toBe(100)
		expect(result.verdict.label).toBe(expected >= 60 ? (expected >= 90 ? '优秀' : '合格') : '不合格')
		expect(result.url).toBe(`http://localhost${location}`)
		expect(result.again).toBe('/self-test')
		for (const [i, { item, version }] of drawn.entries()) {
			expect(result.questions[i]).toMatchObject({
				position: i + 1,
				stem: version.stem,
				options: item.optionOrder.map((k) => version.options[k]),
				given: posted[i],
				right: shownKey(version.answer, item.optionOrder),
				explanation: version.explanation,
				awarded: i === drawn.length - 1 || i % 2 === 1 ? 0 : item.points,
			})
		}

		// A double tap: the same paper again, even with other answers, changes nothing.
		const again = await submit(selfTestRoute, '/self-test', { paper: data.token, q1: 'A' })
		expect(again.status).toBe(303)
		expect(again.headers.get('Location')).toBe(location)
		expect(await resultRows()).toBe(before + 1)
		const [row] = await db.select().from(selfTestResults).where(eq(selfTestResults.id, id))
		expect(row).toMatchObject({ score: expected, maxScore: 100, setting: null })
	})

	test('a 五进 result keeps its setting and offers that self-test again', async () => {
		const { data } = await load(selfTestRoute, '/self-test?setting=rural')
		const posted = await submit(selfTestRoute, '/self-test?setting=rural', { paper: data.token })
		const id = posted.headers.get('Location')!.split('/').pop()!
		const { data: result } = await load(resultRoute, `/self-test/r/${id}`, null, { id })
		expect(result).toMatchObject({ setting: 'rural', score: 0, maxScore: 100, again: '/self-test?setting=rural' })
		expect(result.verdict.passed).toBe(false)
		expect(result.questions.every((q: { given: unknown }) => q.given === null)).toBe(true)
	})

	test('a tampered paper or signature is refused with a fresh paper, and nothing is written', async () => {
		const { data } = await load(selfTestRoute, '/self-test')
		const [body, signature] = data.token.split('.') as [string, string]
		const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
		payload.items[0].points = 100
		const richer = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`
		const flipped = `${body}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`
		const before = await resultRows()
		for (const paper of [richer, flipped, 'not-a-paper', '']) {
			const refused = await submit(selfTestRoute, '/self-test', { paper, q1: 'A' })
			expect(refused.status).toBe(400)
			expect(refused.data.error).toMatch(/无法核对/)
			expect(refused.data.questions).toHaveLength(10)
			expect(refused.data.token).not.toBe(data.token)
		}
		expect(await resultRows()).toBe(before)
	})

	test('a paper older than 12 hours is refused and nothing is written', async () => {
		const { data } = await load(selfTestRoute, '/self-test')
		const before = await resultRows()
		const late = await submitSelfTest(formData({ paper: data.token, q1: 'A' }), new Date(Date.now() + PAPER_MAX_AGE_MS + 60_000))
		expect(late).toEqual({ ok: false, message: expect.stringMatching(/12 小时/) })
		expect(await resultRows()).toBe(before)
		// Within the 12 hours it is still accepted.
		const inTime = await submitSelfTest(formData({ paper: data.token }), new Date(Date.now() + PAPER_MAX_AGE_MS - 60_000))
		expect(inTime.ok).toBe(true)
		expect(await resultRows()).toBe(before + 1)
	})

	test('an unknown result id is 404', async () => {
		for (const id of ['aaaaaaaaaaaaaaaaaaaaaaaa', 'no-such-result', '']) {
			const { status } = await load(resultRoute, `/self-test/r/${id}`, null, { id })
			expect(status).toBe(404)
		}
	})
})
