import { addMonths, type Day } from '#app/utils/days.ts'
import type { PersonCategory } from './labels.ts'

// Deleting a person anonymises them and keeps their training records for a while. The
// provincial rules for online training of 三项岗位人员 ask for at least 6 years for 特种作业人员
// and 3 years for 主要负责人 and 安全管理人员; for everyone else we chose 3 years too.

/** What a deleted person's name becomes, everywhere it is shown. */
export const ANONYMISED_NAME = '已注销人员'

/** 特种作业人员: the category, or a 特种作业 job type held. */
export function retentionYears(person: { category: PersonCategory; specialOperation: boolean }) {
	return person.category === 'special_operator' || person.specialOperation ? 6 : 3
}

/** The last day the records of a person deleted on `deletedOn` are kept. */
export function recordsRetainedUntil(deletedOn: Day, person: { category: PersonCategory; specialOperation: boolean }): Day {
	return addMonths(deletedOn, 12 * retentionYears(person))
}
