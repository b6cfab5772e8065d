import { describe, expect, test } from 'vitest'
import { deadlineFor } from '#app/exams/deadline.ts'
import { competitionFormSchema, registrationSchema } from '#app/outreach/competition-form.ts'
import { byBoardOrder, durationOf, formatUsed, gradePaper, isOverdue, maskName, submissionStatus, windowOf, withRanks, type AnswerKey } from '#app/outreach/competitions.ts'

// 知识竞赛: ranks with ties, masked names, how an entry ends, the window, grading, the forms.

const at = (iso: string) => new Date(`${iso}+08:00`)

describe('ranking', () => {
	test('higher score first, then less time; equal score and equal time share a rank (1, 1, 3)', () => {
		const rows = [
			{ who: 'slow 90', score: 90, durationMs: 400_000 },
			{ who: 'fast 100', score: 100, durationMs: 300_000 },
			{ who: 'tie 100 a', score: 100, durationMs: 350_000 },
			{ who: 'tie 100 b', score: 100, durationMs: 350_000 },
			{ who: 'fast 90', score: 90, durationMs: 200_000 },
			{ who: 'zero', score: 0, durationMs: 10_000 },
		]
		const ranked = withRanks([...rows].sort(byBoardOrder))
		expect(ranked.map((r) => [r.who, r.rank])).toEqual([
			['fast 100', 1],
			['tie 100 a', 2],
			['tie 100 b', 2],
			['fast 90', 4],
			['slow 90', 5],
			['zero', 6],
		])
	})

	test('ties at the top: both first, the next third', () => {
		const ranked = withRanks([
			{ score: 100, durationMs: 372_000 },
			{ score: 100, durationMs: 372_000 },
			{ score: 90, durationMs: 100_000 },
		])
		expect(ranked.map((r) => r.rank)).toEqual([1, 1, 3])
	})

	test('equal score but one millisecond apart is not a tie', () => {
		expect(withRanks([{ score: 80, durationMs: 1000 }, { score: 80, durationMs: 1001 }]).map((r) => r.rank)).toEqual([1, 2])
	})

	test('用时 as mm:ss', () => {
		expect(formatUsed(0)).toBe('00:00')
		expect(formatUsed(372_999)).toBe('06:12')
		expect(formatUsed(15 * 60_000)).toBe('15:00')
		expect(formatUsed(null)).toBe('—')
	})
})

describe('masked names', () => {
	test('keeps the first character, and the last from three characters on', () => {
		expect(maskName('张三')).toBe('张*')
		expect(maskName('张小明')).toBe('张*明')
		expect(maskName('欧阳明轩')).toBe('欧**轩')
		expect(maskName('  李雷 ')).toBe('李*')
		expect(maskName('王')).toBe('王')
		// Characters, not UTF-16 units: a name with a character outside the BMP.
		expect(maskName('𠮷田一')).toBe('𠮷*一')
	})
})

describe('how an entry ends', () => {
	const start = at('2026-06-10T09:00:00')
	const closes = at('2026-06-30T23:59:00')
	const deadline = deadlineFor(start, 15, closes)

	test('the deadline is the time limit from the start, capped by the close', () => {
		expect(deadline).toEqual(at('2026-06-10T09:15:00'))
		expect(deadlineFor(at('2026-06-30T23:50:00'), 15, closes)).toEqual(closes)
	})

	test('交卷 on time or within the 30 s grace is ranked; later it is late', () => {
		expect(submissionStatus(at('2026-06-10T09:14:59'), deadline)).toBe('submitted')
		expect(submissionStatus(deadline, deadline)).toBe('submitted')
		expect(submissionStatus(at('2026-06-10T09:15:30'), deadline)).toBe('submitted')
		expect(submissionStatus(new Date(at('2026-06-10T09:15:30').getTime() + 1), deadline)).toBe('late')
		expect(submissionStatus(at('2026-06-10T10:00:00'), deadline)).toBe('late')
	})

	test('a started entry is overdue only after the deadline and its grace; other statuses never', () => {
		expect(isOverdue({ status: 'started', deadlineAt: deadline }, at('2026-06-10T09:15:30'))).toBe(false)
		expect(isOverdue({ status: 'started', deadlineAt: deadline }, at('2026-06-10T09:15:31'))).toBe(true)
		for (const status of ['registered', 'submitted', 'late', 'expired'] as const) expect(isOverdue({ status, deadlineAt: deadline }, at('2026-06-11T00:00:00'))).toBe(false)
	})

	test('a window closed early caps the deadline, so the grace counts from the close', () => {
		const late = at('2026-06-30T23:50:00')
		const capped = deadlineFor(late, 15, closes)
		expect(submissionStatus(at('2026-06-30T23:59:20'), capped)).toBe('submitted')
		expect(submissionStatus(at('2026-07-01T00:00:00'), capped)).toBe('late')
	})

	test('用时 runs from the start to 交卷, never more than the limit', () => {
		expect(durationOf(start, at('2026-06-10T09:06:12'), 15)).toBe(372_000)
		expect(durationOf(start, at('2026-06-10T09:15:20'), 15)).toBe(15 * 60_000)
	})

	test('the window: upcoming, open from its opening, closed from its close', () => {
		const c = { opensAt: at('2026-06-01T00:00:00'), closesAt: closes }
		expect(windowOf(c, at('2026-05-31T23:59:59'))).toBe('upcoming')
		expect(windowOf(c, c.opensAt)).toBe('open')
		expect(windowOf(c, closes)).toBe('closed')
	})
})

describe('grading a paper', () => {
	const paper = [
		{ questionId: 'q1', versionId: 'v1', optionOrder: [2, 0, 1, 3], points: 10 },
		{ questionId: 'q2', versionId: 'v2', optionOrder: [3, 2, 1, 0], points: 10 },
		{ questionId: 'q3', versionId: 'v3', optionOrder: [], points: 5 },
	]
	const keys = new Map<string, AnswerKey>([
		['v1', { type: 'single', answer: 'A' }],
		['v2', { type: 'multiple', answer: 'AB' }],
		['v3', { type: 'judge', answer: false }],
	])

	test('answers in the letters shown are mapped back; 多选 all-or-nothing', () => {
		// Bank A is shown second (B); bank A and B are shown fourth and third (D, C).
		expect(gradePaper(paper, keys, { '1': 'B', '2': 'CD', '3': false })).toEqual({ awarded: [10, 10, 5], score: 25, maxScore: 25 })
		expect(gradePaper(paper, keys, { '1': 'A', '2': 'D', '3': true })).toEqual({ awarded: [0, 0, 0], score: 0, maxScore: 25 })
		expect(gradePaper(paper, keys, {}).score).toBe(0)
	})
})

describe('the forms', () => {
	test('registration: name 2–20, a mobile number, organisation 2–50', () => {
		expect(registrationSchema.safeParse({ name: '张三', phone: '139 0000 1234', organization: '某村' }).data).toEqual({ name: '张三', phone: '13900001234', organization: '某村' })
		const bad = registrationSchema.safeParse({ name: '张', phone: '12900001234', organization: '村' })
		expect(bad.success).toBe(false)
		expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(['name', 'organization', 'phone'])
		expect(registrationSchema.safeParse({ name: '张'.repeat(21), phone: '13900001234', organization: '某村' }).success).toBe(false)
		expect(registrationSchema.safeParse({ name: '张三', phone: '1390000123', organization: '某村' }).success).toBe(false)
	})

	const form = {
		title: '安全知识竞赛',
		slug: 'test-2026',
		opensAt: '2026-06-01T08:00',
		closesAt: '2026-06-30T20:00',
		timeLimitMinutes: '15',
		singleCount: '5',
		singlePoints: '10',
		judgeCount: '3',
		judgePoints: '５',
		part: 'general',
		topics: '消防、用电',
	}

	test('the competition form turns counts into rules, in China time', () => {
		const parsed = competitionFormSchema.parse(form)
		expect(parsed.opensAt).toEqual(new Date('2026-06-01T00:00:00Z'))
		expect(parsed.rules).toEqual([
			{ type: 'single', count: 5, points: 10, part: 'general', topics: ['消防', '用电'] },
			{ type: 'judge', count: 3, points: 5, part: 'general', topics: ['消防', '用电'] },
		])
		expect(parsed.fixedPaper).toBe(false)
		expect(competitionFormSchema.parse({ ...form, part: 'all', topics: undefined, fixedPaper: '1' })).toMatchObject({ fixedPaper: true, rules: [{ type: 'single', count: 5, points: 10 }, { type: 'judge', count: 3, points: 5 }] })
	})

	test('refuses a bad slug, a reserved one, no questions and a window that ends before it starts', () => {
		const fieldsOf = (over: Record<string, string | undefined>) => competitionFormSchema.safeParse({ ...form, ...over }).error?.issues.map((i) => i.path[0])
		expect(fieldsOf({ slug: 'Bad Slug' })).toEqual(['slug'])
		expect(fieldsOf({ slug: 'manage' })).toEqual(['slug'])
		expect(fieldsOf({ singleCount: '0', judgeCount: undefined })).toEqual(['singleCount'])
		expect(fieldsOf({ closesAt: '2026-05-01T08:00' })).toEqual(['closesAt'])
	})
})
