import { z } from 'zod'
import type { retrainingOrders } from '#db/schema.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import { CERTIFICATE_STATUS, type CertificateStatus } from '#app/certificates/certificate.ts'
import { EXAM_PURPOSES } from '#app/exams/labels.ts'
import { EMPLOYMENT_TYPES, keysOf, PERSON_CATEGORIES, type EmploymentType, type PersonCategory } from '#app/people/labels.ts'
import { CLEARANCE_STATUS_NAMES, statusOf, type Clearance } from './clearance.ts'
import { OFFLINE_KINDS } from './offline.ts'
import { hoursByYear, newestFirst, RECORD_TYPES, type TrainingRecord } from './register.ts'
import { VIOLATION_KINDS, type ViolationKind } from './violation-form.ts'
import { type Day, addDays } from '#app/utils/days.ts'

// 一人一档: one person's whole file — identity (masked), job types, 上岗资格, every training record
// and exam, certificates, 三违 and 脱产培训 orders — laid out once as titled tables of text, which
// the PDF (person-file-pdf.server.ts) and the workbook (person-file.server.ts) both print. Also
// the rows of the roster export. Pure: no database, no clear phone or 身份证号 ever reaches here.

export type FilePerson = {
	name: string
	orgName: string
	position: string
	category: PersonCategory
	employmentType: EmploymentType
	phoneMasked: string
	idNumberMasked: string | null
	hiredOn: string | null
	// Current job types only: person_job_types keeps when each began, not the ones left.
	jobTypes: { name: string; specialOperation: boolean; since: string | null }[]
	/** Set once the person was deleted (anonymised): the day, and how long the records are kept. */
	deleted?: { on: Day; recordsRetainedUntil: Day } | null
}

export type FileCertificate = {
	serial: string
	title: string
	examTitle: string
	jobTypeNames: string[]
	score: number
	maxScore: number
	issuedOn: string
	expiresOn: string | null
	status: CertificateStatus
}

/** 特种作业操作证 on record; `number` is already masked (T1427**********1234). */
export type FileLicence = { jobTypeName: string; certificateName: string | null; number: string; issuer: string; issuedOn: string; validUntil: string }

export type FileViolation = { kind: ViolationKind; occurredOn: string; place: string; description: string; recordedBy: string | null }

export type OrderSource = (typeof retrainingOrders.$inferSelect)['source']

export type FileOrder = {
	source: OrderSource
	reason: string
	openedAt: Date
	closedAt: Date | null
	courseTitle: string | null
	examTitle: string | null
	examClosesAt: Date | null
}

export type PersonFile = {
	person: FilePerson
	/** The day the clearance is worked out for (the day of generation). */
	asOf: Day
	clearance: Clearance
	records: TrainingRecord[]
	certificates: FileCertificate[]
	licences: FileLicence[]
	violations: FileViolation[]
	orders: FileOrder[]
	generatedAt: Date
	generatedBy: string
}

export const ORDER_SOURCES: Record<OrderSource, string> = {
	violation: '三违',
	spot_check: '随机抽考未通过',
	onsite: '逢查必考未通过',
	manager: '管理员责令',
}

export const PLATFORM_NAME = '安全生产培训考试与宣教平台'

/**
 * A column: its header and its width in characters (Excel's unit). The PDF gives a `nowrap`
 * column (dates, scores, numbers) the width of its longest cell and shares the rest of the page
 * among the others in proportion.
 */
export type FileColumn = { header: string; width: number; nowrap?: boolean }

export type FileTable = {
	title: string
	columns: FileColumn[]
	rows: string[][]
	/** What stands in for the rows when there are none. */
	empty: string
	note?: string
}

/** An instant as China time, "2026-11-02 08:30". */
export function chinaMinute(at: Date) {
	return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
}

const chinaDayOf = (at: Date) => chinaMinute(at).slice(0, 10)
const dash = (value: string | null | undefined) => (value ? value : '—')

/** The last day clearance holds if nothing new is recorded; '—' when not cleared or nothing runs out. */
export function clearedThrough(clearance: Clearance) {
	return clearance.cleared && clearance.lapsesOn ? addDays(clearance.lapsesOn, -1) : '—'
}

const jobLine = (job: FilePerson['jobTypes'][number]) => `${job.name}${job.specialOperation ? '（特种作业）' : ''}${job.since ? `，自 ${job.since} 起` : ''}`

export const JOB_HISTORY_NOTE = '平台记录现任工种及其起始日期，不保留已调离工种的历史。'

/** Who the person is, as label–value pairs, phone and 身份证号 masked. */
export function identityFacts(file: PersonFile): [string, string][] {
	const p = file.person
	return [
		...(p.deleted ? [['人员状态', `已注销（${p.deleted.on} 删除，身份信息已清除；培训记录保存至 ${p.deleted.recordsRetainedUntil}）`] as [string, string]] : []),
		['单位', p.orgName],
		['职务/岗位', dash(p.position)],
		['人员类别', PERSON_CATEGORIES[p.category]],
		['用工形式', EMPLOYMENT_TYPES[p.employmentType]],
		['手机号', dash(p.phoneMasked)],
		['身份证号', p.idNumberMasked ?? '未登记'],
		['入职日期', dash(p.hiredOn)],
	]
}

/** 基本信息 as label–value pairs: identity, job types with their start, 上岗资格 with every reason. */
export function personFacts(file: PersonFile): [string, string][] {
	const p = file.person
	const status = CLEARANCE_STATUS_NAMES[statusOf(file.clearance)]
	return [
		['姓名', p.name],
		...identityFacts(file),
		['工种', p.jobTypes.map(jobLine).join('；') || '未登记'],
		[`上岗资格（${file.asOf}）`, status],
		['原因', file.clearance.reasons.map((r) => r.text).join('；') || '—'],
		['有效至', clearedThrough(file.clearance)],
		['生成时间', chinaMinute(file.generatedAt)],
		['生成人', file.generatedBy],
	]
}

export function jobTable(file: PersonFile): FileTable {
	return {
		title: '工种与任职',
		columns: [
			{ header: '工种', width: 30 },
			{ header: '特种作业', width: 10, nowrap: true },
			{ header: '担任起始日期', width: 14, nowrap: true },
		],
		rows: file.person.jobTypes.map((j) => [j.name, j.specialOperation ? '是' : '否', dash(j.since)]),
		empty: '未登记工种',
		note: `入职日期：${dash(file.person.hiredOn)}。${JOB_HISTORY_NOTE}`,
	}
}

/** Courses completed and offline trainings attended (登记在册), newest first. */
export function trainingTable(file: PersonFile): FileTable {
	const rows = newestFirst(file.records).flatMap((r): string[][] => {
		if (r.type === 'course') return [[r.day, RECORD_TYPES.course, `《${r.title}》（${PART_LABELS[r.part]}，${r.lessons} 课时）`, r.hours.toFixed(1), '已学完', r.planTitle ? `${dash(r.assignedBy)}（培训计划：${r.planTitle}）` : '—']]
		if (r.type === 'offline') return [[r.day, `${RECORD_TYPES.offline} · ${OFFLINE_KINDS[r.kind]}`, `${r.topic}${r.trainer ? `（授课：${r.trainer}）` : ''}`, r.hours.toFixed(1), '已参加', dash(r.recordedBy)]]
		return []
	})
	const years = hoursByYear(file.records)
	return {
		title: '培训记录',
		columns: [
			{ header: '日期', width: 12, nowrap: true },
			{ header: '类别', width: 18 },
			{ header: '内容', width: 44 },
			{ header: '学时', width: 6, nowrap: true },
			{ header: '结果', width: 8, nowrap: true },
			{ header: '安排/记录人', width: 20 },
		],
		rows,
		empty: '暂无课程学习或线下培训记录',
		note: years.length ? `各年学时：${years.map((y) => `${y.year} 年 ${y.hours.toFixed(1)} 学时`).join('，')}` : undefined,
	}
}

/** Every submitted exam attempt, newest first. */
export function examTable(file: PersonFile): FileTable {
	const rows = newestFirst(file.records).flatMap((r): string[][] =>
		r.type === 'exam' ? [[chinaMinute(r.at), r.title, EXAM_PURPOSES[r.purpose], `${r.score}/${r.maxScore}`, r.passed ? '合格' : '不合格', dash(r.assignedBy)]] : [],
	)
	return {
		title: '考试记录',
		columns: [
			{ header: '交卷时间', width: 17, nowrap: true },
			{ header: '考试', width: 40 },
			{ header: '类别', width: 13 },
			{ header: '成绩', width: 9, nowrap: true },
			{ header: '结果', width: 8, nowrap: true },
			{ header: '安排人', width: 10 },
		],
		rows,
		empty: '暂无考试记录',
	}
}

export function certificateTable(file: PersonFile): FileTable {
	return {
		title: '合格证（平台颁发）',
		columns: [
			{ header: '证书编号', width: 24, nowrap: true },
			{ header: '证书', width: 18 },
			{ header: '工种', width: 18 },
			{ header: '考试及成绩', width: 34 },
			{ header: '发证日期', width: 12, nowrap: true },
			{ header: '有效期至', width: 12, nowrap: true },
			{ header: '状态', width: 8, nowrap: true },
		],
		rows: file.certificates.map((c) => [c.serial, c.title, c.jobTypeNames.join('、') || '—', `${c.examTitle}（${c.score}/${c.maxScore} 分）`, c.issuedOn, c.expiresOn ?? '长期有效', CERTIFICATE_STATUS[c.status]]),
		empty: '暂无平台颁发的合格证',
	}
}

export function licenceTable(file: PersonFile): FileTable {
	return {
		title: '特种作业操作证',
		columns: [
			{ header: '证件', width: 18 },
			{ header: '工种', width: 18 },
			{ header: '证书编号', width: 24, nowrap: true },
			{ header: '发证机关', width: 20 },
			{ header: '发证日期', width: 12, nowrap: true },
			{ header: '有效期至', width: 12, nowrap: true },
			{ header: '状态', width: 8, nowrap: true },
		],
		rows: file.licences.map((l) => [l.certificateName ?? '特种作业操作证', l.jobTypeName, l.number, l.issuer, l.issuedOn, l.validUntil, l.validUntil < file.asOf ? '已过期' : '有效']),
		empty: '未登记特种作业操作证',
	}
}

export function violationTable(file: PersonFile): FileTable {
	return {
		title: '三违记录',
		columns: [
			{ header: '日期', width: 12, nowrap: true },
			{ header: '类别', width: 12 },
			{ header: '地点', width: 20 },
			{ header: '情况', width: 48 },
			{ header: '记录人', width: 10 },
		],
		rows: file.violations.map((v) => [v.occurredOn, VIOLATION_KINDS[v.kind], v.place, v.description, dash(v.recordedBy)]),
		empty: '无三违记录',
	}
}

export function orderTable(file: PersonFile): FileTable {
	return {
		title: '脱产培训',
		columns: [
			{ header: '责令日期', width: 12, nowrap: true },
			{ header: '来源', width: 14 },
			{ header: '原因', width: 20 },
			{ header: '培训与补考', width: 44 },
			{ header: '补考截止', width: 17, nowrap: true },
			{ header: '状态', width: 16 },
		],
		rows: file.orders.map((o) => [
			chinaDayOf(o.openedAt),
			ORDER_SOURCES[o.source],
			o.reason,
			[o.courseTitle ? `学习《${o.courseTitle}》` : '', o.examTitle ? `补考「${o.examTitle}」` : ''].filter(Boolean).join('，') || '—',
			o.examClosesAt ? chinaMinute(o.examClosesAt) : '—',
			o.closedAt ? `已于 ${chinaDayOf(o.closedAt)} 完成` : '未完成',
		]),
		empty: '无脱产培训责令',
	}
}

/** The workbook's sheets, in order, each with its tables. */
export function personFileSheets(file: PersonFile): { name: string; tables: FileTable[] }[] {
	return [
		{ name: '基本信息', tables: [{ title: '基本信息', columns: [{ header: '项目', width: 18 }, { header: '内容', width: 80 }], rows: personFacts(file), empty: '', note: JOB_HISTORY_NOTE }] },
		{ name: '培训记录', tables: [trainingTable(file)] },
		{ name: '考试记录', tables: [examTable(file)] },
		{ name: '证书', tables: [certificateTable(file), licenceTable(file)] },
		{ name: '三违与脱产培训', tables: [violationTable(file), orderTable(file)] },
	]
}

/** The download's name: 一人一档-张三-20261102.pdf. */
export function personFileName(file: PersonFile, extension: 'pdf' | 'xlsx') {
	return `一人一档-${file.person.name}-${file.asOf.replaceAll('-', '')}.${extension}`
}

// ---- the roster export ---------------------------------------------------------------------------

/** The roster page's filters (app/routes/people._index.tsx), read the same way from a query string. */
const rosterQuerySchema = z.object({
	q: z.string().trim().max(40).optional().catch(undefined),
	category: z.enum(keysOf(PERSON_CATEGORIES)).optional().catch(undefined),
	employmentType: z.enum(keysOf(EMPLOYMENT_TYPES)).optional().catch(undefined),
	jobType: z.string().max(40).optional().catch(undefined),
	orgId: z.string().uuid().optional().catch(undefined),
	status: z.enum(keysOf(CLEARANCE_STATUS_NAMES)).optional().catch(undefined),
	sort: z.enum(['name', 'org', 'category', 'employmentType']).catch('org'),
	desc: z.literal('1').optional().catch(undefined),
})

export type RosterQuery = z.infer<typeof rosterQuerySchema>

export function parseRosterQuery(params: URLSearchParams): RosterQuery {
	return rosterQuerySchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== '')))
}

export const ROSTER_COLUMNS: FileColumn[] = [
	{ header: '姓名', width: 10 },
	{ header: '单位', width: 24 },
	{ header: '人员类别', width: 14 },
	{ header: '用工形式', width: 10 },
	{ header: '工种', width: 24 },
	{ header: '手机号', width: 14 },
	{ header: '身份证号', width: 21 },
	{ header: '上岗资格', width: 12 },
	{ header: '原因', width: 60 },
	{ header: '有效至', width: 12 },
]

export type RosterPerson = {
	name: string
	orgName: string
	category: PersonCategory
	employmentType: EmploymentType
	jobTypes: string[]
	phoneMasked: string
	idNumberMasked: string | null
	clearance: Clearance
}

export function rosterRow(p: RosterPerson): string[] {
	return [
		p.name,
		p.orgName,
		PERSON_CATEGORIES[p.category],
		EMPLOYMENT_TYPES[p.employmentType],
		p.jobTypes.join('、'),
		p.phoneMasked,
		p.idNumberMasked ?? '',
		CLEARANCE_STATUS_NAMES[statusOf(p.clearance)],
		p.clearance.reasons.map((r) => r.text).join('；'),
		clearedThrough(p.clearance),
	]
}
