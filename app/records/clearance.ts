import { addDays, addMonths, type Day } from '#app/utils/days.ts'

// 上岗资格: whether a person may work on a given day, and why not. Derived from records only —
// never typed in. Pure: the facts are gathered by clearance.server.ts as they stood on `asOf`.

export type CourseFacts = { id: string; title: string; lessons: number; lessonsDone: number }

export type JobFacts = {
	code: string
	name: string
	// 特种作业: an operation certificate must be on record and unexpired.
	specialOperation: boolean
	certificateName: string | null
	// The exam that clears this job, for the reason's wording (e.g. 岗前考试).
	passValidMonths: number
	// The latest pass of a qualifying exam, and whether any qualifying attempt was made at all.
	lastPassOn: Day | null
	attempted: boolean
	// Operation certificates on record for this job type (validity end dates).
	certificateValidUntil: Day[]
}

export type OrderFacts = { openedOn: Day; reason: string }

export type RotationFacts = { title: string; minHours: number; hours: number }

export type ClearanceFacts = {
	// The day the person was deleted (identity anonymised, records kept): no clearance from then on.
	deregisteredOn?: Day | null
	// Workers are trained for a job type; 主要负责人、安全管理人员 and leaders for their category.
	needsJobType: boolean
	jobs: JobFacts[]
	courses: CourseFacts[]
	orders: OrderFacts[]
	rotation: RotationFacts[]
}

export type ReasonKind = 'deregistered' | 'no_job' | 'course' | 'exam' | 'exam_expired' | 'certificate' | 'certificate_expired' | 'order' | 'rotation'

// `courseId` on course reasons lets a page link straight to what is left to study.
export type Reason = { kind: ReasonKind; text: string; courseId?: string }

export type Clearance = {
	cleared: boolean
	reasons: Reason[]
	// The first day on which the clearance lapses if nothing new is recorded (pass or
	// certificate running out); null when nothing expires.
	lapsesOn: Day | null
	// Lapses within EXPIRING_DAYS of asOf.
	expiringSoon: boolean
}

export const EXPIRING_DAYS = 30

/**
 * A pass on `passedOn` that is good for `months` covers every day before the same date that many
 * months later (passed 2025-11-02 for 12 months: valid through 2026-11-01).
 */
export const passValidThrough = (passedOn: Day, months: number): Day => addDays(addMonths(passedOn, months), -1)

export function clearanceOf(facts: ClearanceFacts, asOf: Day): Clearance {
	const reasons: Reason[] = []
	const lapses: Day[] = []

	if (facts.deregisteredOn && facts.deregisteredOn <= asOf) reasons.push({ kind: 'deregistered', text: `人员已于 ${facts.deregisteredOn} 注销，不再在岗` })
	if (facts.needsJobType && !facts.jobs.length) reasons.push({ kind: 'no_job', text: '未登记工种（岗位），无法确定应培训的内容' })

	for (const course of facts.courses) {
		if (course.lessons === 0 || course.lessonsDone < course.lessons) {
			reasons.push({ kind: 'course', text: `《${course.title}》未完成 ${course.lessonsDone}/${course.lessons} 课时`, courseId: course.id })
		}
	}

	for (const job of facts.jobs) {
		if (!job.lastPassOn) {
			reasons.push({ kind: 'exam', text: job.attempted ? `${job.name}岗前考试未通过` : `尚未参加${job.name}岗前考试` })
		} else {
			const through = passValidThrough(job.lastPassOn, job.passValidMonths)
			if (through < asOf) reasons.push({ kind: 'exam_expired', text: `${job.name}考试合格已于 ${through} 到期，须参加复训考试` })
			else lapses.push(addDays(through, 1))
		}
		if (job.specialOperation) {
			const certificate = `${job.name}的${job.certificateName ?? '特种作业操作证'}`
			const latest = job.certificateValidUntil.reduce<Day | null>((a, b) => (a && a > b ? a : b), null)
			if (!latest) reasons.push({ kind: 'certificate', text: `缺少${certificate}` })
			else if (latest < asOf) reasons.push({ kind: 'certificate_expired', text: `${certificate}已于 ${latest} 过期` })
			else lapses.push(addDays(latest, 1))
		}
	}

	for (const order of facts.orders) reasons.push({ kind: 'order', text: `因${order.reason}于 ${order.openedOn} 责令脱产培训，须完成培训并重新考试合格` })

	for (const rule of facts.rotation) {
		if (rule.hours < rule.minHours) reasons.push({ kind: 'rotation', text: `${rule.title}学时不足：${formatHours(rule.hours)}/${rule.minHours} 学时` })
	}

	const lapsesOn = lapses.length ? lapses.reduce((a, b) => (a < b ? a : b)) : null
	const cleared = reasons.length === 0
	return { cleared, reasons, lapsesOn, expiringSoon: cleared && lapsesOn !== null && lapsesOn <= addDays(asOf, EXPIRING_DAYS) }
}

export const formatHours = (hours: number) => (Number.isInteger(hours) ? String(hours) : hours.toFixed(1))

export type ClearanceStatus = 'cleared' | 'expiring' | 'not_cleared'

export const statusOf = (c: Clearance): ClearanceStatus => (!c.cleared ? 'not_cleared' : c.expiringSoon ? 'expiring' : 'cleared')

export const CLEARANCE_STATUS_NAMES: Record<ClearanceStatus, string> = {
	cleared: '可以上岗',
	expiring: '30 天内到期',
	not_cleared: '不得上岗',
}
