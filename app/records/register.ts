import type { ExamPurpose } from '#app/exams/labels.ts'
import type { OfflineKind } from './offline.ts'

// 登记在册: one person's training records of every kind, as one list. Pure types and arithmetic.

/** 学时 from seconds of study: hours, rounded to one decimal. */
export const hoursFromSeconds = (seconds: number) => Math.round(seconds / 360) / 10

/** A sum of 学时 without floating-point crumbs (0.1 + 0.2 = 0.3). */
export const sumHours = (hours: number[]) => Math.round(hours.reduce((a, b) => a + b * 10, 0)) / 10

type Dated = {
	/** When it happened: the last lesson's completion, the submission, or the training day (00:00 China time). */
	at: Date
	/** The same as a China calendar day, YYYY-MM-DD. */
	day: string
}

export type CourseRecord = Dated & {
	type: 'course'
	courseId: string
	title: string
	part: 'general' | 'professional'
	lessons: number
	hours: number
	/** The plan that asked for it, if any (the earliest), and who made that plan. */
	planTitle: string | null
	assignedBy: string | null
}

export type ExamRecord = Dated & {
	type: 'exam'
	attemptId: string
	examId: string
	title: string
	purpose: ExamPurpose
	score: number
	maxScore: number
	passed: boolean
	assignedBy: string | null
}

export type OfflineRecord = Dated & {
	type: 'offline'
	trainingId: string
	kind: OfflineKind
	topic: string
	hours: number
	trainer: string
	orgName: string
	recordedBy: string | null
}

export type TrainingRecord = CourseRecord | ExamRecord | OfflineRecord

export const RECORD_TYPES = { course: '课程学习', exam: '考试', offline: '线下培训' } as const

/** Newest first; on the same instant, courses before exams before offline trainings, then by id, so the order is stable. */
export function newestFirst(records: TrainingRecord[]) {
	const rank = { course: 0, exam: 1, offline: 2 }
	const idOf = (r: TrainingRecord) => (r.type === 'course' ? r.courseId : r.type === 'exam' ? r.attemptId : r.trainingId)
	return [...records].sort((a, b) => b.at.getTime() - a.at.getTime() || rank[a.type] - rank[b.type] || idOf(a).localeCompare(idOf(b)))
}

/** 学时 per calendar year (courses and offline trainings; exams carry none), newest year first. */
export function hoursByYear(records: TrainingRecord[]) {
	const years = new Map<string, number[]>()
	for (const r of records) {
		if (r.type === 'exam') continue
		const year = r.day.slice(0, 4)
		years.set(year, [...(years.get(year) ?? []), r.hours])
	}
	return [...years].sort(([a], [b]) => b.localeCompare(a)).map(([year, hours]) => ({ year, hours: sumHours(hours) }))
}
