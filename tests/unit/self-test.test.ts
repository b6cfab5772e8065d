import { describe, expect, test } from 'vitest'
import { drawPaper, type Candidate } from '#app/exams/paper.ts'
import { fillFromGeneral, PAPER_MAX_AGE_MS, postedAnswer, readPaper, resultIdOf, RESULT_ID, selfTestRules, selfTestVerdict, signPaper, type SelfTestPaper } from '#app/outreach/self-test.ts'

const key = new TextEncoder().encode('a test key of thirty-two bytes!!')
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const now = new Date('2026-06-10T08:00:00Z')
const paper: SelfTestPaper = {
	setting: 'family',
	issuedAt: now.getTime(),
	nonce: 'abcdefghijkl',
	items: [{ questionId: uuid(1), versionId: uuid(2), optionOrder: [2, 0, 1, 3], points: 20 }],
}

describe('the signed paper', () => {
	test('reads back what was signed, up to 12 hours later', () => {
		const token = signPaper(key, paper)
		expect(readPaper(key, token, now)).toEqual({ ok: true, paper })
		expect(readPaper(key, token, new Date(now.getTime() + PAPER_MAX_AGE_MS))).toEqual({ ok: true, paper })
		expect(readPaper(key, token, new Date(now.getTime() + PAPER_MAX_AGE_MS + 1))).toEqual({ ok: false, reason: 'expired' })
		expect(readPaper(key, token, new Date(now.getTime() - 60 * 60 * 1000))).toEqual({ ok: false, reason: 'expired' })
	})

	test('refuses another key, an edited payload and garbage', () => {
		const token = signPaper(key, paper)
		expect(readPaper(new TextEncoder().encode('another key of thirty-two bytes!'), token, now)).toEqual({ ok: false, reason: 'invalid' })
		const [, signature] = token.split('.')
		const edited = Buffer.from(JSON.stringify({ ...paper, items: [{ ...paper.items[0], points: 100 }] })).toString('base64url')
		expect(readPaper(key, `${edited}.${signature}`, now)).toEqual({ ok: false, reason: 'invalid' })
		for (const junk of ['', '.', 'abc', `${token}x`, token.replace('.', '')]) expect(readPaper(key, junk, now).ok).toBe(false)
	})

	test('the result id is a function of the signed paper: 24 base32 letters', () => {
		const token = signPaper(key, paper)
		expect(resultIdOf(token)).toMatch(RESULT_ID)
		expect(resultIdOf(token)).toBe(resultIdOf(signPaper(key, paper)))
		expect(resultIdOf(token)).not.toBe(resultIdOf(signPaper(key, { ...paper, nonce: 'mnopqrstuvwx' })))
	})
})

describe('drawing from a 五进 page’s topics', () => {
	const cands = (from: number, n: number): Candidate[] => Array.from({ length: n }, (_, i) => ({ questionId: uuid(from + i), versionId: uuid(500 + from + i), optionCount: 4 }))

	test('takes what the topics offer and tops each rule up from the whole 通用 bank', () => {
		const rules = selfTestRules(['燃气安全'])
		expect(rules.map((r) => [r.type, r.count, r.points, r.topics])).toEqual([
			['single', 2, 20, ['燃气安全']],
			['multiple', 1, 20, ['燃气安全']],
			['judge', 2, 20, ['燃气安全']],
		])
		// Single: enough by topic. Multiple: none. Judge: one of two; the general pool includes it.
		const byTopic = [cands(1, 5), [], cands(20, 1)]
		const general = [cands(1, 10), cands(10, 5), cands(20, 6)]
		const plan = fillFromGeneral(rules, byTopic, general)
		expect(plan.rules.map((r) => [r.type, r.count, r.topics ?? null])).toEqual([
			['single', 2, ['燃气安全']],
			['multiple', 1, null],
			['judge', 1, ['燃气安全']],
			['judge', 1, null],
		])
		for (let seed = 0; seed < 20; seed++) {
			const items = drawPaper({ rules: plan.rules, shuffleQuestions: false, shuffleOptions: true }, plan.candidates, seed)
			expect(items).toHaveLength(5)
			expect(new Set(items.map((i) => i.questionId)).size).toBe(5)
			expect(items[3]!.questionId).toBe(uuid(20))
			expect(items.every((i) => i.points === 20)).toBe(true)
		}
	})

	test('the general self-test is 4 单选, 2 多选, 4 判断 at 10 points', () => {
		expect(selfTestRules(null).map((r) => [r.type, r.count, r.points, r.part, r.topics])).toEqual([
			['single', 4, 10, 'general', undefined],
			['multiple', 2, 10, 'general', undefined],
			['judge', 4, 10, 'general', undefined],
		])
	})
})

test('posted answers: letters within the options, one for 单选, true/false for 判断', () => {
	expect(postedAnswer('single', 4, ['B'])).toBe('B')
	expect(postedAnswer('single', 4, ['A', 'B'])).toBeNull()
	expect(postedAnswer('single', 4, ['E'])).toBeNull()
	expect(postedAnswer('multiple', 4, ['D', 'A', 'A', 'Z'])).toBe('AD')
	expect(postedAnswer('multiple', 4, [])).toBeNull()
	expect(postedAnswer('judge', 0, ['false'])).toBe(false)
	expect(postedAnswer('judge', 0, ['true', 'false'])).toBeNull()
	expect(postedAnswer('judge', 0, ['yes'])).toBeNull()
})

test('verdict: 60% 合格, 90% 优秀', () => {
	expect(selfTestVerdict(59, 100)).toMatchObject({ passed: false, label: '不合格' })
	expect(selfTestVerdict(60, 100)).toMatchObject({ passed: true, label: '合格' })
	expect(selfTestVerdict(90, 100)).toMatchObject({ passed: true, label: '优秀' })
	expect(selfTestVerdict(0, 0)).toMatchObject({ passed: false })
})
