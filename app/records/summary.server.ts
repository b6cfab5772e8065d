import { and, asc, eq, isNull, like } from 'drizzle-orm'
import { organizations, people } from '#db/schema.ts'
import type { EmploymentType } from '#app/people/labels.ts'
import { db as defaultDb, type DbOrTx } from '#app/utils/db.server.ts'
import { statusOf, type ClearanceStatus } from './clearance.ts'
import { clearanceOfPeople } from './clearance.server.ts'
import { type Day, addDays, chinaDay } from '#app/utils/days.ts'

// 上岗资格 at a glance for everyone under an organisation: counts, who may not work and why,
// whose clearance runs out soon.

export async function clearanceSummary(orgPath: string, asOf: Day = chinaDay(new Date()), tx: DbOrTx = defaultDb) {
	const everyone = await tx
		.select({ id: people.id, name: people.name, employmentType: people.employmentType, orgName: organizations.name })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(like(organizations.path, `${orgPath}%`), isNull(people.anonymisedAt)))
		.orderBy(asc(people.name), asc(people.id))
	const clearance = await clearanceOfPeople({ orgPath }, asOf, tx)
	const counts: Record<ClearanceStatus, number> = { cleared: 0, expiring: 0, not_cleared: 0 }
	// 外包、劳务派遣、灵活用工 are counted apart from 正式 staff.
	const notClearedByEmployment: Partial<Record<EmploymentType, number>> = {}
	const notCleared: { id: string; name: string; orgName: string; employmentType: EmploymentType; reasons: string[] }[] = []
	const expiring: { id: string; name: string; orgName: string; employmentType: EmploymentType; lastDay: Day }[] = []
	for (const p of everyone) {
		const c = clearance.get(p.id)
		if (!c) continue
		const status = statusOf(c)
		counts[status] += 1
		if (status === 'not_cleared') {
			notCleared.push({ ...p, reasons: c.reasons.map((r) => r.text) })
			notClearedByEmployment[p.employmentType] = (notClearedByEmployment[p.employmentType] ?? 0) + 1
		}
		if (status === 'expiring') expiring.push({ ...p, lastDay: addDays(c.lapsesOn!, -1) })
	}
	expiring.sort((a, b) => a.lastDay.localeCompare(b.lastDay))
	return { asOf, total: everyone.length, counts, notClearedByEmployment, notCleared, expiring }
}
