// Benchmark: 一人一档 for a person with ~50 records (20 courses, 20 exam attempts, 10 offline
// trainings, certificates, a 三违 and its order) — the PDF (A4 portrait, Noto Sans SC embedded as
// a subset, tables over several pages), cold and warm, with its size and pages, and the same file
// as a workbook; then the roster export workbook for many people. Rendering only: the file is
// made up here, no database is involved (gathering it is a handful of indexed queries).
// Usage: npx tsx scripts/bench-person-file.ts [count=30] [rosterPeople=20000] [out.pdf]
import fs from 'node:fs'
import { performance } from 'node:perf_hooks'
import type { Clearance } from '#app/records/clearance.ts'
import { renderPersonFilePdf } from '#app/records/person-file-pdf.server.ts'
import { personFileWorkbook, rosterWorkbook } from '#app/records/person-file.server.ts'
import type { PersonFile, RosterPerson } from '#app/records/person-file.ts'
import type { TrainingRecord } from '#app/records/register.ts'
import { percentiles } from './bench-support.ts'

const count = Number(process.argv[2] ?? 30)
const rosterPeople = Number(process.argv[3] ?? 20_000)
const out = process.argv[4]
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
const GIVEN = '建国志强海涛立新丽华大山小龙秀英桂兰明辉永刚春梅德胜玉珍'
const COURSES = ['煤矿井下作业人员通用安全知识', '煤矿井下作业人员专业知识', '顶板事故防治', '矿井瓦斯防治', '矿井防治水', '煤矿机电运输安全', '自救器与避灾路线', '入井安全须知', '有限空间作业安全', '动火作业安全管理']
const TOPICS = ['班前会：顶板管理与敲帮问顶', '应急演练：井下透水避灾路线', '开工第一课：新规程要点', '集中授课：《煤矿安全规程》修订内容解读']

const nameOf = (i: number) => `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 11 + 3) % GIVEN.length]}`
const day = (daysAgo: number) => new Date(Date.UTC(2026, 10, 2) - daysAgo * 86_400_000)
const dayText = (d: Date) => d.toISOString().slice(0, 10)

function records(): TrainingRecord[] {
	const list: TrainingRecord[] = []
	for (let i = 0; i < 20; i++) {
		const at = day(10 + i * 17)
		list.push({ type: 'course', at, day: dayText(at), courseId: `c${i}`, title: `${COURSES[i % COURSES.length]}（第 ${Math.floor(i / COURSES.length) + 1} 期）`, part: i % 2 ? 'professional' : 'general', lessons: 6 + (i % 5), hours: 2 + (i % 4) * 0.5, planTitle: i % 3 ? '2026 年煤矿井下作业人员岗前安全培训' : null, assignedBy: i % 3 ? '赵立新' : null })
	}
	for (let i = 0; i < 20; i++) {
		const at = day(12 + i * 17)
		list.push({ type: 'exam', at, day: dayText(at), attemptId: `a${i}`, examId: `e${i}`, title: i % 4 ? '煤矿井下作业人员岗前安全培训考试' : '煤矿井下作业人员年度复训考试（往期）', purpose: i % 4 ? 'pre_job' : 'annual', score: 60 + ((i * 7) % 41), maxScore: 100, passed: 60 + ((i * 7) % 41) >= 80, assignedBy: '赵立新' })
	}
	for (let i = 0; i < 10; i++) {
		const at = day(5 + i * 31)
		list.push({ type: 'offline', at, day: dayText(at), trainingId: `t${i}`, kind: (['pre_shift', 'drill', 'first_lesson', 'classroom'] as const)[i % 4]!, topic: TOPICS[i % TOPICS.length]!, hours: i % 4 === 3 ? 4 : 0.5, trainer: '综采队队长', orgName: '示范煤业有限公司', recordedBy: '赵立新' })
	}
	return list
}

const notCleared: Clearance = {
	cleared: false,
	reasons: [
		{ kind: 'order', text: '因三违（违章作业）于 2026-10-30 责令脱产培训，须完成培训并重新考试合格' },
		{ kind: 'course', text: '《煤矿井下作业人员专业知识》未完成 3/8 课时' },
	],
	lapsesOn: null,
	expiringSoon: false,
}

function personFile(i: number): PersonFile {
	return {
		person: {
			name: nameOf(i),
			orgName: '示范煤业有限公司',
			position: '掘进工',
			category: 'general',
			employmentType: i % 2 ? 'formal' : 'dispatched',
			phoneMasked: `139****${String(1000 + i).slice(-4)}`,
			idNumberMasked: `9900**********${String(1000 + i).slice(-4)}`,
			hiredOn: '2019-03-01',
			jobTypes: [
				{ name: '煤矿井下作业人员', specialOperation: false, since: '2019-03-01' },
				{ name: '焊接与热切割作业', specialOperation: true, since: '2023-06-15' },
			],
		},
		asOf: '2026-11-02',
		clearance: notCleared,
		records: records(),
		certificates: Array.from({ length: 3 }, (_, k) => ({ serial: `AQ2026-7K${String(100000 + i * 3 + k)}-H4TDW8`, title: '岗前安全培训合格证', examTitle: '煤矿井下作业人员岗前安全培训考试', jobTypeNames: ['煤矿井下作业人员'], score: 90 + k, maxScore: 100, issuedOn: `202${4 + k}-05-10`, expiresOn: `202${5 + k}-05-10`, status: k === 2 ? 'valid' : 'expired' })),
		licences: [{ jobTypeName: '焊接与热切割作业', certificateName: '特种作业操作证', number: `T9900**********${String(1000 + i).slice(-4)}`, issuer: '示范市应急管理局', issuedOn: '2023-06-15', validUntil: '2029-06-15' }],
		violations: [
			{ kind: 'operation', occurredOn: '2026-10-30', place: '3102 掘进工作面', description: '未执行敲帮问顶，进入空顶区作业', recordedBy: '赵立新' },
			{ kind: 'discipline', occurredOn: '2025-04-12', place: '井口候车室', description: '班中擅自离岗，未向班组长报告', recordedBy: '赵立新' },
		],
		orders: [
			{ source: 'violation', reason: '三违（违章作业）', openedAt: day(3), closedAt: null, courseTitle: '煤矿井下作业人员专业知识', examTitle: '煤矿井下作业人员岗前安全培训考试（脱产培训补考）', examClosesAt: day(-27) },
			{ source: 'violation', reason: '三违（违反劳动纪律）', openedAt: day(570), closedAt: day(560), courseTitle: null, examTitle: '煤矿井下作业人员岗前安全培训考试（脱产培训补考）', examClosesAt: day(540) },
		],
		generatedAt: new Date(),
		generatedBy: '赵立新',
	}
}

const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0
const kb = (n: number) => +(n / 1024).toFixed(1)

let t = performance.now()
const coldPdf = await renderPersonFilePdf(personFile(0))
const coldMs = performance.now() - t
if (out) fs.writeFileSync(out, coldPdf)

const times: number[] = []
const sizes: number[] = []
for (let i = 1; i <= count; i++) {
	const file = personFile(i)
	t = performance.now()
	const pdf = await renderPersonFilePdf(file)
	times.push(performance.now() - t)
	sizes.push(pdf.length)
}
const warm = percentiles(times)

const workbookTimes: number[] = []
let workbookSize = 0
for (let i = 0; i < Math.min(count, 10); i++) {
	t = performance.now()
	workbookSize = (await personFileWorkbook(personFile(i))).byteLength
	workbookTimes.push(performance.now() - t)
}

const roster: RosterPerson[] = Array.from({ length: rosterPeople }, (_, i) => ({
	name: nameOf(i),
	orgName: '示范煤业有限公司',
	category: 'general',
	employmentType: 'formal',
	jobTypes: ['煤矿井下作业人员'],
	phoneMasked: `139****${String(i % 10_000).padStart(4, '0')}`,
	idNumberMasked: `9900**********${String(i % 10_000).padStart(4, '0')}`,
	clearance: i % 3 ? { cleared: true, reasons: [], lapsesOn: '2027-05-01', expiringSoon: false } : notCleared,
}))
t = performance.now()
const rosterBytes = await rosterWorkbook(roster)
const rosterMs = performance.now() - t

const results = {
	records: records().length,
	pages: pageCount(coldPdf),
	pdfColdMs: +coldMs.toFixed(1),
	pdfWarmP50Ms: warm.p50,
	pdfWarmP95Ms: warm.p95,
	pdfSizeMinKb: kb(Math.min(...sizes)),
	pdfSizeMaxKb: kb(Math.max(...sizes)),
	xlsxP50Ms: percentiles(workbookTimes).p50,
	xlsxKb: kb(workbookSize),
	rosterPeople,
	rosterXlsxMs: +rosterMs.toFixed(0),
	rosterXlsxKb: kb(rosterBytes.byteLength),
}
console.table(results)
console.log(JSON.stringify({ benchmark: 'person-file', count, node: process.version, ...results }))
