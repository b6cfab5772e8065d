import { asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import { organizations } from '#db/schema.ts'
import { hasRole, scopeIncludesOrg, type DataScope, type SessionUser } from '#app/auth/scope.ts'
import type { OrgKind } from '#app/people/labels.ts'
import { statusOf, type ClearanceStatus } from '#app/records/clearance.ts'
import { clearanceOfPeople, endOfChinaDay } from '#app/records/clearance.server.ts'
import { db as defaultDb, queryRows, type DbOrTx } from '#app/utils/db.server.ts'
import { chinaDay, type Day } from '#app/utils/days.ts'
import { addTallies, emptyTally, lastMonths, monthlyTrend, ratesOf, tallyOfClearance, yearToDate, type Rates, type Tally, type TrendPoint } from './dashboard.ts'

// 辖区数据看板: the figures of an organisation's subtree, per direct child (a township's
// enterprises, a county's townships) or, for an enterprise, per person. Every count is one
// grouped query over the subtree; 参训 and 上岗 come from the clearance of everyone in it.

type Org = { id: string; name: string; path: string; kind: OrgKind }

export type DashboardRow = {
	// 'org': a direct child organisation; 'self': people placed directly in the organisation
	// itself (a township's own staff); 'person': one person of an enterprise.
	kind: 'org' | 'self' | 'person'
	id: string
	name: string
	orgKind: OrgKind | null
	position: string | null
	status: ClearanceStatus | null
	tally: Tally
	rates: Rates
}

export type Dashboard = {
	org: Org
	asOf: Day
	period: { from: Day; to: Day; label: string }
	byPerson: boolean
	rows: DashboardRow[]
	total: { tally: Tally; rates: Rates }
	trend: TrendPoint[]
}

const startOfChinaDay = (day: Day) => new Date(`${day}T00:00:00+08:00`)

/** The figures of `org`'s subtree as of the end of `asOf`; exams and 三违 for the year so far. */
export async function dashboardOf(org: Org, asOf: Day = chinaDay(new Date()), tx: DbOrTx = defaultDb): Promise<Dashboard> {
	const byPerson = org.kind === 'enterprise'
	const period = yearToDate(asOf)
	const months = lastMonths(asOf)
	const from = startOfChinaDay(period.from).toISOString()
	const to = endOfChinaDay(asOf).toISOString()
	const trendFrom = startOfChinaDay(`${months[0]}-01`).toISOString()
	const subtree = `${org.path}%`
	// Which row a person counts in: themselves under an enterprise, else the child organisation
	// whose path segment follows this one's ('' for people placed in the organisation itself).
	const groupOf: SQL = byPerson ? sql`p.id::text` : sql`split_part(substr(o.path, ${org.path.length + 1}), '/', 1)`
	const inSubtree = sql`from people p join organizations o on o.id = p.org_id`
	const month = (column: SQL) => sql`to_char((${column}) at time zone 'Asia/Shanghai', 'YYYY-MM')`

	const [people, children, exams, spot, orders, violations, violationTrend, clearance] = await Promise.all([
		queryRows<{ id: string; name: string; position: string; grp: string }>(
			sql`select p.id, p.name, p.position, ${groupOf} as grp ${inSubtree} where o.path like ${subtree} and p.anonymised_at is null order by p.name, p.id`,
			tx,
		),
		byPerson ? Promise.resolve([]) : tx.select({ id: organizations.id, name: organizations.name, kind: organizations.kind }).from(organizations).where(eq(organizations.parentId, org.id)).orderBy(asc(organizations.kind), asc(organizations.name)),
		// One pass over the attempts of the last twelve months, by row and month: the year so far
		// always lies within them, so the period's counts are the sum of its months.
		queryRows<{ grp: string; month: string; submitted: number; passed: number }>(
			sql`select ${groupOf} as grp, ${month(sql`a.submitted_at`)} as month, count(*)::int as submitted, count(*) filter (where a.passed)::int as passed
				from attempts a join people p on p.id = a.person_id join organizations o on o.id = p.org_id
				where o.path like ${subtree} and a.status = 'submitted' and a.submitted_at >= ${trendFrom}::timestamptz and a.submitted_at < ${to}::timestamptz
				group by 1, 2`,
			tx,
		),
		// Each drawn person of a spot check drawn in the period once: taken when they submitted
		// an attempt of its exam, passed when one of those passed.
		queryRows<{ grp: string; drawn: number; taken: number; passed: number }>(
			sql`select ${groupOf} as grp, count(*)::int as drawn, count(*) filter (where t.taken)::int as taken, count(*) filter (where t.passed)::int as passed
				from spot_check_population sp join spot_checks sc on sc.id = sp.spot_check_id
				join people p on p.id = sp.person_id join organizations o on o.id = p.org_id
				left join lateral (
					select count(*) > 0 as taken, coalesce(bool_or(a.passed), false) as passed from attempts a
					where a.exam_id = sc.exam_id and a.person_id = sp.person_id and a.status = 'submitted'
				) t on true
				where sp.drawn and o.path like ${subtree} and sc.drawn_at >= ${from}::timestamptz and sc.drawn_at < ${to}::timestamptz
				group by 1`,
			tx,
		),
		queryRows<{ grp: string; open: number }>(
			sql`select ${groupOf} as grp, count(*)::int as open from retraining_orders r join people p on p.id = r.person_id join organizations o on o.id = p.org_id
				where o.path like ${subtree} and r.closed_at is null group by 1`,
			tx,
		),
		queryRows<{ grp: string; count: number }>(
			sql`select ${groupOf} as grp, count(*)::int as count from violations v join people p on p.id = v.person_id join organizations o on o.id = p.org_id
				where o.path like ${subtree} and v.occurred_on between ${period.from}::date and ${asOf}::date group by 1`,
			tx,
		),
		queryRows<{ month: string; count: number }>(
			sql`select to_char(v.occurred_on, 'YYYY-MM') as month, count(*)::int as count
				from violations v join people p on p.id = v.person_id join organizations o on o.id = p.org_id
				where o.path like ${subtree} and v.occurred_on between ${`${months[0]}-01`}::date and ${asOf}::date group by 1`,
			tx,
		),
		clearanceOfPeople({ orgPath: org.path }, asOf, tx),
	])

	const tallies = new Map<string, Tally>()
	const tallyOf = (group: string) => {
		let tally = tallies.get(group)
		if (!tally) tallies.set(group, (tally = emptyTally()))
		return tally
	}
	const statuses = new Map<string, ClearanceStatus>()
	for (const p of people) {
		const c = clearance.get(p.id)
		if (c) statuses.set(p.id, statusOf(c))
		const tally = tallyOf(p.grp)
		Object.assign(tally, addTallies(tally, tallyOfClearance(c)))
	}
	const periodMonth = period.from.slice(0, 7)
	for (const e of exams) {
		if (e.month < periodMonth) continue
		const tally = tallyOf(e.grp)
		tally.submitted += e.submitted
		tally.passed += e.passed
	}
	for (const s of spot) Object.assign(tallyOf(s.grp), { spotDrawn: s.drawn, spotTaken: s.taken, spotPassed: s.passed })
	for (const o of orders) tallyOf(o.grp).openOrders = o.open
	for (const v of violations) tallyOf(v.grp).violations = v.count

	const row = (kind: DashboardRow['kind'], id: string, name: string, orgKind: OrgKind | null, position: string | null = null): DashboardRow => {
		const tally = tallies.get(kind === 'self' ? '' : id) ?? emptyTally()
		return { kind, id, name, orgKind, position, status: statuses.get(id) ?? null, tally, rates: ratesOf(tally) }
	}
	const rows: DashboardRow[] = byPerson
		? people.map((p) => row('person', p.id, p.name, null, p.position))
		: [
				...children
					// Villages and departments without anyone on the roster would only be empty rows.
					.filter((c) => c.kind === 'township' || c.kind === 'enterprise' || tallies.has(c.id))
					.map((c) => row('org', c.id, c.name, c.kind)),
				...(tallies.has('') ? [row('self', org.id, `${org.name}（本级）`, org.kind)] : []),
			]
	const total = addTallies(...tallies.values())
	return {
		org,
		asOf,
		period,
		byPerson,
		rows,
		total: { tally: total, rates: ratesOf(total) },
		trend: monthlyTrend(months, exams, violationTrend),
	}
}

/** Where a viewer's dashboard starts: their (first) regulator jurisdiction, or for a system admin the top organisation. */
export async function dashboardTopOf(user: SessionUser, tx: DbOrTx = defaultDb): Promise<string | null> {
	const jurisdiction = user.roles.find((r) => r.role === 'regulator' && r.orgId)
	if (jurisdiction) return jurisdiction.orgId
	if (!hasRole(user, 'system_admin')) return null
	const [root] = await tx.select({ id: organizations.id }).from(organizations).where(isNull(organizations.parentId)).orderBy(asc(organizations.name)).limit(1)
	return root?.id ?? null
}

/** The organisations above `org` (and itself) that the viewer may open, top first: the breadcrumb. */
export async function breadcrumbOf(org: Org, scope: DataScope, tx: DbOrTx = defaultDb) {
	const ids = org.path.split('/').filter(Boolean)
	const rows = await tx.select({ id: organizations.id, name: organizations.name, path: organizations.path }).from(organizations).where(inArray(organizations.id, ids))
	const byId = new Map(rows.map((r) => [r.id, r]))
	return ids
		.map((id) => byId.get(id))
		.filter((o): o is NonNullable<typeof o> => !!o && scopeIncludesOrg(scope, o.path))
		.map(({ id, name }) => ({ id, name }))
}
