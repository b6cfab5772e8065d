import { describe, expect, test } from 'vitest'
import { clearanceOf, passValidThrough, statusOf, type ClearanceFacts, type JobFacts } from '#app/records/clearance.ts'
import { addMonths, chinaDay } from '#app/utils/days.ts'

const job = (over: Partial<JobFacts> = {}): JobFacts => ({
	code: 'coal_underground',
	name: '煤矿井下作业人员',
	specialOperation: false,
	certificateName: null,
	passValidMonths: 12,
	lastPassOn: '2026-03-10',
	attempted: true,
	certificateValidUntil: [],
	...over,
})

const facts = (over: Partial<ClearanceFacts> = {}): ClearanceFacts => ({
	needsJobType: true,
	jobs: [job()],
	courses: [
		{ id: 'c1', title: '从业人员通用安全知识', lessons: 8, lessonsDone: 8 },
		{ id: 'c2', title: '煤矿井下作业人员专业知识', lessons: 5, lessonsDone: 5 },
	],
	orders: [],
	rotation: [],
	...over,
})

const texts = (f: ClearanceFacts, asOf = '2026-11-23') => clearanceOf(f, asOf).reasons.map((r) => r.text)

describe('上岗资格', () => {
	test('is granted when every course is complete, the exam passed and nothing stands against the person', () => {
		const c = clearanceOf(facts(), '2026-11-23')
		expect(c).toEqual({ cleared: true, reasons: [], lapsesOn: '2027-03-10', expiringSoon: false })
		expect(statusOf(c)).toBe('cleared')
	})

	test('ends on the day the person is deleted, and stands as it was on the days before', () => {
		const gone = facts({ deregisteredOn: '2026-11-20' })
		expect(clearanceOf(gone, '2026-11-19').cleared).toBe(true)
		expect(clearanceOf(gone, '2026-11-20')).toMatchObject({ cleared: false, reasons: [{ kind: 'deregistered', text: '人员已于 2026-11-20 注销，不再在岗' }] })
	})

	test('an unfinished course is named with its lessons done', () => {
		expect(texts(facts({ courses: [{ id: 'c', title: '电工专业知识', lessons: 8, lessonsDone: 3 }] }))).toEqual(['《电工专业知识》未完成 3/8 课时'])
	})

	test('a course with no lessons yet cannot be complete', () => {
		expect(texts(facts({ courses: [{ id: 'c', title: '新课程', lessons: 0, lessonsDone: 0 }] }))).toEqual(['《新课程》未完成 0/0 课时'])
	})

	test('no exam taken and exam failed read differently', () => {
		expect(texts(facts({ jobs: [job({ lastPassOn: null, attempted: false })] }))).toEqual(['尚未参加煤矿井下作业人员岗前考试'])
		expect(texts(facts({ jobs: [job({ lastPassOn: null, attempted: true })] }))).toEqual(['煤矿井下作业人员岗前考试未通过'])
	})

	test('a pass is valid for its months, through the day before the anniversary', () => {
		const f = facts({ jobs: [job({ lastPassOn: '2025-11-23' })] })
		expect(clearanceOf(f, '2026-11-22').cleared).toBe(true)
		expect(texts(f, '2026-11-23')).toEqual(['煤矿井下作业人员考试合格已于 2026-11-22 到期，须参加复训考试'])
		const sixMonths = facts({ jobs: [job({ lastPassOn: '2026-01-31', passValidMonths: 6 })] })
		expect(passValidThrough('2026-01-31', 6)).toBe('2026-07-30')
		expect(clearanceOf(sixMonths, '2026-07-30').cleared).toBe(true)
		expect(clearanceOf(sixMonths, '2026-07-31').cleared).toBe(false)
	})

	test('clearance lapsing within 30 days is flagged as expiring', () => {
		const c = clearanceOf(facts({ jobs: [job({ lastPassOn: '2025-12-10' })] }), '2026-11-23')
		expect(c).toMatchObject({ cleared: true, lapsesOn: '2026-12-10', expiringSoon: true })
		expect(statusOf(c)).toBe('expiring')
		expect(clearanceOf(facts({ jobs: [job({ lastPassOn: '2025-12-24' })] }), '2026-11-23').expiringSoon).toBe(false)
	})

	test('a special operation needs an unexpired operation certificate', () => {
		const electrician = { code: 'electrician', name: '电工作业', specialOperation: true, certificateName: '特种作业操作证' }
		expect(texts(facts({ jobs: [job({ ...electrician, certificateValidUntil: [] })] }))).toEqual(['缺少电工作业的特种作业操作证'])
		expect(texts(facts({ jobs: [job({ ...electrician, certificateValidUntil: ['2026-03-01'] })] }))).toEqual(['电工作业的特种作业操作证已于 2026-03-01 过期'])
		// The newest of several certificates counts, and its end bounds the clearance.
		const renewed = clearanceOf(facts({ jobs: [job({ ...electrician, certificateValidUntil: ['2026-03-01', '2026-12-01'] })] }), '2026-11-23')
		expect(renewed).toMatchObject({ cleared: true, lapsesOn: '2026-12-02', expiringSoon: true })
	})

	test('an open retraining order withholds clearance and says why and since when', () => {
		expect(texts(facts({ orders: [{ openedOn: '2026-11-02', reason: '三违（违章作业）' }] }))).toEqual(['因三违（违章作业）于 2026-11-02 责令脱产培训，须完成培训并重新考试合格'])
	})

	test('rotation training below its hours withholds clearance', () => {
		expect(texts(facts({ rotation: [{ title: '主要负责人和安全管理人员年度轮训', minHours: 24, hours: 12.5 }] }))).toEqual(['主要负责人和安全管理人员年度轮训学时不足：12.5/24 学时'])
		expect(texts(facts({ rotation: [{ title: '轮训', minHours: 24, hours: 24 }] }))).toEqual([])
	})

	test('a worker with no job type is not cleared, a principal needs none, and every reason is listed together', () => {
		expect(texts(facts({ jobs: [], courses: [] }))).toEqual(['未登记工种（岗位），无法确定应培训的内容'])
		expect(texts(facts({ needsJobType: false, jobs: [] }))).toEqual([])
		const many = texts(facts({ jobs: [job({ lastPassOn: null, attempted: false })], courses: [{ id: 'c', title: 'A', lessons: 2, lessonsDone: 1 }], orders: [{ openedOn: '2026-11-02', reason: '三违' }] }))
		expect(many).toHaveLength(3)
	})
})

describe('day arithmetic', () => {
	test('months clamp to the end of shorter months', () => {
		expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
		expect(addMonths('2028-01-31', 1)).toBe('2028-02-29')
		expect(addMonths('2026-11-23', 12)).toBe('2027-11-23')
	})

	test('a timestamp falls on its China calendar day', () => {
		expect(chinaDay(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23')
		expect(chinaDay(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22')
	})
})
