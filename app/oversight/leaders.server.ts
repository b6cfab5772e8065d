import { and, asc, eq, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import ExcelJS from 'exceljs'
import { attempts, organizations, people, spotCheckPopulation, spotChecks } from '#db/schema.ts'
import { PERSON_CATEGORIES, type PersonCategory } from '#app/people/labels.ts'
import { rotationHoursOf } from '#app/records/register.server.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { isUuid } from '#app/utils/ids.ts'
import { describeSpotCheckResult, LEADER_CATEGORIES, type LastSpotCheck, type LeaderCategory } from './leaders.ts'
import type { SpotCheckScope } from './spot-checks.server.ts'

// 领导干部登记在册: leaders and key personnel in a regulator's scope, with their 轮训 hours this
// year and their last 随机抽考 — read from where each is kept, nothing stored twice.

export type LeadersFilter = { category: LeaderCategory | null; orgId: string | null }

/** The register's filters from a query string; anything unknown is ignored. */
export function parseLeadersQuery(params: URLSearchParams): LeadersFilter & { page: number } {
	const category = params.get('category')
	const orgId = params.get('orgId')
	return {
		category: (LEADER_CATEGORIES as readonly string[]).includes(category ?? '') ? (category as LeaderCategory) : null,
		orgId: orgId && isUuid(orgId) ? orgId : null,
		page: Math.min(100_000, Math.max(1, Math.floor(Number(params.get('page'))) || 1)),
	}
}

export type LeaderRow = {
	personId: string
	name: string
	orgName: string
	category: PersonCategory
	position: string
	rotationHours: number
	lastSpotCheck: LastSpotCheck | null
}

const ownerOrg = alias(organizations, 'owner_org')
const pathInScope = (scope: SpotCheckScope, path: string) => scope.all || scope.roots.some((r) => path.startsWith(r.path))

/**
 * One page of the register (or everyone, with `pageSize: null`), sorted by organisation and name.
 * An organisation filter outside the scope matches nobody.
 */
export async function leadersRegister(tx: DbOrTx, scope: SpotCheckScope, filter: LeadersFilter, { page = 1, pageSize = 50 as number | null, now = new Date() } = {}) {
	const conditions: (SQL | undefined)[] = [inArray(people.category, filter.category ? [filter.category] : [...LEADER_CATEGORIES]), isNull(people.anonymisedAt)]
	if (!scope.all) conditions.push(or(...scope.roots.map((r) => like(organizations.path, `${r.path}%`))))
	if (filter.orgId) {
		const [org] = await tx.select({ path: organizations.path }).from(organizations).where(eq(organizations.id, filter.orgId))
		conditions.push(org && pathInScope(scope, org.path) ? like(organizations.path, `${org.path}%`) : sql`false`)
	}
	const where = and(...conditions)
	const query = tx
		.select({ personId: people.id, name: people.name, orgName: organizations.name, category: people.category, position: people.position })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(where)
		.orderBy(asc(organizations.path), asc(people.name), asc(people.id))
	const list = pageSize === null ? await query : await query.limit(pageSize).offset((page - 1) * pageSize)
	const [total] = await tx.select({ n: sql<number>`count(*)::int` }).from(people).innerJoin(organizations, eq(organizations.id, people.orgId)).where(where)

	const ids = list.map((p) => p.personId)
	const today = chinaDay(now)
	const [hours, last] = await Promise.all([rotationHoursOf(tx, ids, `${today.slice(0, 4)}-01-01`, today), lastSpotChecks(tx, scope, ids)])
	const rows: LeaderRow[] = list.map((p) => ({ ...p, rotationHours: hours.get(p.personId) ?? 0, lastSpotCheck: last.get(p.personId) ?? null }))
	return { total: total?.n ?? 0, rows, year: today.slice(0, 4) }
}

/** Per person, the latest spot check they were drawn in, with the best result of its exam. */
async function lastSpotChecks(tx: DbOrTx, scope: SpotCheckScope, personIds: string[]) {
	const out = new Map<string, LastSpotCheck>()
	if (!personIds.length) return out
	const drawn = await tx
		.select({ personId: spotCheckPopulation.personId, spotCheckId: spotChecks.id, title: spotChecks.title, examId: spotChecks.examId, drawnAt: spotChecks.drawnAt, ownerPath: ownerOrg.path })
		.from(spotCheckPopulation)
		.innerJoin(spotChecks, eq(spotChecks.id, spotCheckPopulation.spotCheckId))
		.innerJoin(ownerOrg, eq(ownerOrg.id, spotChecks.ownerOrgId))
		.where(and(inArray(spotCheckPopulation.personId, personIds), eq(spotCheckPopulation.drawn, true)))
	const latest = new Map<string, (typeof drawn)[number]>()
	for (const d of drawn) {
		const seen = latest.get(d.personId)
		if (!seen || d.drawnAt > seen.drawnAt || (d.drawnAt.getTime() === seen.drawnAt.getTime() && d.spotCheckId > seen.spotCheckId)) latest.set(d.personId, d)
	}
	const examIds = [...new Set([...latest.values()].flatMap((d) => (d.examId ? [d.examId] : [])))]
	const tried = examIds.length
		? await tx
				.select({ examId: attempts.examId, personId: attempts.personId, status: attempts.status, score: attempts.score, maxScore: attempts.maxScore, passed: attempts.passed, startedAt: attempts.startedAt, submittedAt: attempts.submittedAt })
				.from(attempts)
				.where(and(inArray(attempts.examId, examIds), inArray(attempts.personId, [...latest.keys()])))
		: []
	for (const [personId, d] of latest) {
		const mine = tried.filter((a) => a.personId === personId && a.examId === d.examId)
		const submitted = mine.filter((a) => a.status === 'submitted').sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || b.startedAt.getTime() - a.startedAt.getTime())
		const counted = submitted[0] ?? mine.find((a) => a.status === 'open') ?? null
		out.set(personId, {
			spotCheckId: d.spotCheckId,
			title: d.title,
			status: !counted ? 'not_started' : counted.status === 'open' ? 'in_progress' : 'submitted',
			score: counted?.score ?? null,
			maxScore: counted?.maxScore ?? null,
			passed: submitted.some((a) => a.passed),
			at: counted?.submittedAt ?? counted?.startedAt ?? d.drawnAt,
			inScope: pathInScope(scope, d.ownerPath),
		})
	}
	return out
}

/** The whole register (with the same filters) as a workbook. */
export async function leadersWorkbook(rows: LeaderRow[], year: string) {
	const workbook = new ExcelJS.Workbook()
	const sheet = workbook.addWorksheet('领导干部登记')
	sheet.columns = [
		{ header: '姓名', width: 10 },
		{ header: '单位', width: 24 },
		{ header: '人员类别', width: 14 },
		{ header: '职务', width: 18 },
		{ header: `${year} 年轮训学时`, width: 14 },
		{ header: '最近抽考', width: 30 },
		{ header: '抽考结果', width: 14 },
		{ header: '抽考日期', width: 12 },
	]
	sheet.getRow(1).font = { bold: true }
	for (const r of rows) {
		sheet.addRow([r.name, r.orgName, PERSON_CATEGORIES[r.category], r.position, r.rotationHours, r.lastSpotCheck?.title ?? '', describeSpotCheckResult(r.lastSpotCheck), r.lastSpotCheck ? chinaDay(r.lastSpotCheck.at) : ''])
	}
	const buffer = await workbook.xlsx.writeBuffer()
	return new Uint8Array(buffer as ArrayBuffer)
}
