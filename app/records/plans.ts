import type { PersonCategory } from '#app/people/labels.ts'

// 培训计划: who a plan is for and how far each member is. Pure functions, shared by the server
// and the pages.

/** How the people of a plan are chosen. */
export const PLAN_WHO = {
	match: '按工种和人员类别',
	people: '按名单',
} as const
export type PlanWho = keyof typeof PLAN_WHO

export type PlanCriteria = { jobTypes: string[]; categories: PersonCategory[] }

/** A plan with neither job types nor categories is for its listed members only. */
export const plansByCriteria = (plan: PlanCriteria) => plan.jobTypes.length > 0 || plan.categories.length > 0

/**
 * Whether a person matches a plan chosen by job type and category: any of the plan's job types
 * (when it names some) and any of its categories (when it names some). Never for list plans.
 */
export function planMatches(plan: PlanCriteria, person: { category: PersonCategory; jobTypes: string[] }) {
	if (!plansByCriteria(plan)) return false
	if (plan.jobTypes.length && !person.jobTypes.some((code) => plan.jobTypes.includes(code))) return false
	if (plan.categories.length && !plan.categories.includes(person.category)) return false
	return true
}

export type MemberProgress = {
	courseCount: number
	coursesDone: number
	/** null: the plan has no exam. */
	examPassed: boolean | null
}

/**
 * A member is done when every course of the plan is complete and the plan's exam (if any) is
 * passed; 逾期 once the due day (China time, inclusive) is over and they are not done.
 */
export function memberStatus(progress: MemberProgress, dueOn: string, today: string) {
	const coursesComplete = progress.coursesDone >= progress.courseCount
	const complete = coursesComplete && progress.examPassed !== false
	return { coursesComplete, complete, overdue: !complete && today > dueOn }
}
