import { randomUUID } from 'node:crypto'
import { and, asc, desc, eq, exists, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm'
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core'
import ExcelJS from 'exceljs'
import {
	examAssignees,
	examTemplates,
	exams,
	industries,
	jobTypes,
	organizations,
	people,
	personJobTypes,
	spotCheckPopulation,
	spotChecks,
	type SpotCheckPopulation,
} from '#db/schema.ts'
import { forbidden, requireUser } from '#app/auth/auth.server.ts'
import { hasRole, type SessionUser } from '#app/auth/scope.ts'
import { addAssignees, examScopeOf } from '#app/exams/assign.server.ts'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { RESULT_STATUS, type ResultStatus } from '#app/exams/labels.ts'
import { examResults } from '#app/exams/results.server.ts'
import { loadTemplate, templateAccess } from '#app/exams/templates.server.ts'
import { EMPLOYMENT_TYPES, PERSON_CATEGORIES, type PersonCategory } from '#app/people/labels.ts'
import { unknownJobTypes } from '#app/people/people.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { isUuid } from '#app/utils/ids.ts'
import { newSeed } from '#app/utils/random.ts'
import { drawSpotCheckSample, type PopulationMember, type SampleSize } from './sampling.ts'
import { describeSampleSize, rate, type SpotCheckInput } from './spot-checks-form.ts'

// 随机抽考: a regulator draws people from a population, the draw is frozen with its seed, and the
// drawn people get an exam. Anyone with access re-runs the draw (复核抽取) from what was stored.

/** Who may run and read spot checks: system admins everywhere, regulators over their subtrees. */
export type SpotCheckScope = { all: true } | { all: false; roots: { orgId: string; path: string }[] }

export function spotCheckScopeOf(user: SessionUser): SpotCheckScope | null {
	if (hasRole(user, 'system_admin')) return { all: true }
	const roots = user.roles.filter((r) => r.role === 'regulator' && r.orgId && r.orgPath).map((r) => ({ orgId: r.orgId!, path: r.orgPath! }))
	return roots.length ? { all: false, roots } : null
}

/** For loaders and actions: a regulator or system admin (403 otherwise), with their scope. */
export async function requireSpotCheckScope(request: Request) {
	const user = await requireUser(request)
	const scope = spotCheckScopeOf(user)
	if (!scope) throw forbidden()
	return { user, scope }
}

const pathInScope = (scope: SpotCheckScope, path: string) => scope.all || scope.roots.some((r) => path.startsWith(r.path))

/** Filter on an organisations table (or alias) keeping the scope's subtrees. */
function orgPathInScope(scope: SpotCheckScope, path: AnyPgColumn): SQL | undefined {
	if (scope.all) return undefined
	return or(...scope.roots.map((r) => like(path, `${r.path}%`)))
}

const ownerOrg = alias(organizations, 'owner_org')

/** Organisations in scope, for the form's "抽取范围" and the register's filter. */
export async function orgsForSpotChecks(tx: DbOrTx, scope: SpotCheckScope) {
	return tx
		.select({ id: organizations.id, name: organizations.name, kind: organizations.kind, path: organizations.path })
		.from(organizations)
		.where(orgPathInScope(scope, organizations.path))
		.orderBy(asc(organizations.path))
}

export async function listIndustries(tx: DbOrTx) {
	return tx.select({ code: industries.code, name: industries.name }).from(industries).orderBy(asc(industries.sortOrder))
}

// ---- the population and the draw ---------------------------------------------------------------

type PopulationFilters = Omit<SpotCheckPopulation, 'orgId'>

/**
 * Everyone under the organisation path matching every non-empty filter, sorted by person id (the
 * stable order of the draw). One text value, as the bank's candidates are read: a county holds
 * 100,000 people, and PGlite decodes every value of a row set on its own.
 */
async function queryPopulation(tx: DbOrTx, scope: SpotCheckScope, underPath: string, filters: PopulationFilters): Promise<PopulationMember[]> {
	const conditions: (SQL | undefined)[] = [like(organizations.path, `${underPath}%`), orgPathInScope(scope, organizations.path), isNull(people.anonymisedAt)]
	if (filters.categories.length) conditions.push(inArray(people.category, filters.categories as PersonCategory[]))
	if (filters.employmentTypes.length) conditions.push(inArray(people.employmentType, filters.employmentTypes as (keyof typeof EMPLOYMENT_TYPES)[]))
	if (filters.industryCodes.length) conditions.push(inArray(organizations.industryCode, filters.industryCodes))
	if (filters.jobTypes.length) {
		conditions.push(
			exists(
				tx
					.select({ one: sql`1` })
					.from(personJobTypes)
					.where(and(eq(personJobTypes.personId, people.id), inArray(personJobTypes.jobTypeCode, filters.jobTypes))),
			),
		)
	}
	const [row] = await tx
		.select({ list: sql<string | null>`string_agg(${people.id}::text || ' ' || ${people.orgId}::text, ',' order by ${people.id})` })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(...conditions))
	return parseMembers(row?.list ?? null).map(([personId, orgId]) => ({ personId, orgId }))
}

/** "id org[ flag],id org[ flag],…" → its parts. */
function parseMembers(list: string | null) {
	return (list ?? '')
		.split(',')
		.filter(Boolean)
		.map((entry) => entry.split(' ') as [string, string, string?])
}

const sizeOf = (check: { sampleSize: number | null; samplePercent: number | null }): SampleSize =>
	check.samplePercent !== null ? { percent: check.samplePercent } : { count: check.sampleSize ?? 0 }

/** Writes the frozen population in one statement: people and enterprises as text lists, the drawn positions joined in. */
async function freezePopulation(tx: DbOrTx, spotCheckId: string, population: PopulationMember[], drawnPositions: number[]) {
	if (!population.length) return
	await tx.execute(sql`
		insert into ${spotCheckPopulation} (spot_check_id, position, person_id, org_id, drawn)
		select ${spotCheckId}::uuid, (t.n - 1)::int, t.person_id::uuid, t.org_id::uuid, d.pos is not null
		from unnest(string_to_array(${population.map((m) => m.personId).join(',')}, ','), string_to_array(${population.map((m) => m.orgId).join(',')}, ','))
			with ordinality as t(person_id, org_id, n)
		left join unnest(string_to_array(${drawnPositions.join(',')}, ',')::int[]) as d(pos) on d.pos = t.n - 1`)
}

export type CreateSpotCheckResult = { ok: true; spotCheckId: string; examId: string; populationSize: number; drawn: number } | { ok: false; errors: FormErrors }

/**
 * Creates a spot check. Checked first (nothing written on a problem): the organisation is in the
 * caller's scope, the template is one they may give, the job types and industries exist. Then in
 * one transaction: the population is queried and frozen in person-id order, a seed is generated
 * and stored, the sample drawn, the exam created from the template with the window (owned by the
 * caller's scope organisation) and given to the drawn people, and the audit entry written.
 * `seed` is for tests and the demo; a real check always gets a fresh one.
 */
export async function createSpotCheck(db: Db, user: SessionUser, input: SpotCheckInput, { now = new Date(), seed = newSeed() }: { now?: Date; seed?: number } = {}): Promise<CreateSpotCheckResult> {
	const scope = spotCheckScopeOf(user)
	if (!scope) return { ok: false, errors: { form: '您没有权限发起随机抽考' } }
	const errors: FormErrors = {}

	let under: { id: string; path: string } | null = null
	if (input.orgId) {
		const [org] = await db.select({ id: organizations.id, path: organizations.path }).from(organizations).where(eq(organizations.id, input.orgId))
		if (!org || !pathInScope(scope, org.path)) errors.orgId = '该单位不在您的管理范围内'
		else under = org
	} else if (!scope.all) {
		under = { id: scope.roots[0]!.orgId, path: scope.roots[0]!.path }
	} else errors.orgId = '请选择抽取范围（单位）'

	const template = await loadTemplate(db, templateAccess(user), input.templateId)
	if (!template) errors.templateId = '没有找到这份试卷规则，或您不能使用它'
	const badJobs = await unknownJobTypes(db, input.jobTypes)
	if (badJobs.length) errors.jobTypes = `工种不存在：${badJobs.join('、')}`
	if (input.industryCodes.length) {
		const known = new Set((await db.select({ code: industries.code }).from(industries).where(inArray(industries.code, input.industryCodes))).map((r) => r.code))
		const badIndustries = input.industryCodes.filter((c) => !known.has(c))
		if (badIndustries.length) errors.industryCodes = `行业不存在：${badIndustries.join('、')}`
	}
	if (input.closesAt <= now) errors.closesAt = '结束时间已过，请重新选择'
	if (Object.keys(errors).length || !under || !template) return { ok: false, errors }
	const subtree = under

	// The check (and its exam) belongs to the part of the caller's scope it was drawn in.
	const ownerOrgId = scope.all ? subtree.id : scope.roots.find((r) => subtree.path.startsWith(r.path))!.orgId
	const population: SpotCheckPopulation = { orgId: subtree.id, categories: input.categories, industryCodes: input.industryCodes, jobTypes: input.jobTypes, employmentTypes: input.employmentTypes }
	const spotCheckId = randomUUID()
	const examId = randomUUID()

	return db.transaction(async (tx): Promise<CreateSpotCheckResult> => {
		const members = await queryPopulation(tx, scope, subtree.path, population)
		if (!members.length) return { ok: false, errors: { population: '抽取范围内没有符合条件的人员，请放宽单位或人员条件' } }
		const sample = drawSpotCheckSample(seed, members, { size: sizeOf(input), minPerEnterprise: input.minPerEnterprise })
		if (!sample.positions.length) return { ok: false, errors: { size: '抽取人数为 0，请增大抽取数量' } }

		await tx.insert(exams).values({ id: examId, templateId: template.template.id, ownerOrgId, title: input.title, opensAt: input.opensAt, closesAt: input.closesAt, createdBy: user.id, createdAt: now })
		for (let i = 0; i < sample.personIds.length; i += 5000) await addAssignees(tx, examId, sample.personIds.slice(i, i + 5000), now)
		await tx.insert(spotChecks).values({
			id: spotCheckId,
			title: input.title,
			ownerOrgId,
			population,
			sampleSize: input.sampleSize,
			samplePercent: input.samplePercent,
			minPerEnterprise: input.minPerEnterprise,
			templateId: template.template.id,
			examId,
			opensAt: input.opensAt,
			closesAt: input.closesAt,
			seed: String(seed),
			populationSize: members.length,
			drawnAt: now,
			createdBy: user.id,
			createdAt: now,
		})
		await freezePopulation(tx, spotCheckId, members, sample.positions)
		await writeAudit(tx, {
			actorId: user.id,
			action: 'spot_check.create',
			targetType: 'spot_check',
			targetId: spotCheckId,
			orgId: ownerOrgId,
			detail: { examId, templateId: template.template.id, seed: String(seed), populationSize: members.length, drawn: sample.positions.length, ...population },
		})
		return { ok: true, spotCheckId, examId, populationSize: members.length, drawn: sample.positions.length }
	})
}

// ---- reading checks ----------------------------------------------------------------------------

export type SpotCheckRow = typeof spotChecks.$inferSelect

/** A spot check whose owner organisation is in the scope, with names for people; null otherwise. */
export async function loadSpotCheck(tx: DbOrTx, scope: SpotCheckScope, spotCheckId: string) {
	if (!isUuid(spotCheckId)) return null
	const [found] = await tx
		.select({ check: spotChecks, ownerName: ownerOrg.name, ownerPath: ownerOrg.path, templateTitle: examTemplates.title })
		.from(spotChecks)
		.innerJoin(ownerOrg, eq(ownerOrg.id, spotChecks.ownerOrgId))
		.innerJoin(examTemplates, eq(examTemplates.id, spotChecks.templateId))
		.where(and(eq(spotChecks.id, spotCheckId), orgPathInScope(scope, ownerOrg.path)))
	if (!found || !pathInScope(scope, found.ownerPath)) return null
	return found
}

/** The population filters in words, for the details page and the export. */
export async function describePopulation(tx: DbOrTx, population: SpotCheckPopulation) {
	const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, population.orgId))
	const jobNames = population.jobTypes.length ? await tx.select({ code: jobTypes.code, name: jobTypes.name }).from(jobTypes).where(inArray(jobTypes.code, population.jobTypes)) : []
	const industryNames = population.industryCodes.length ? await tx.select({ code: industries.code, name: industries.name }).from(industries).where(inArray(industries.code, population.industryCodes)) : []
	const list = (values: string[]) => (values.length ? values.join('、') : '不限')
	return {
		org: org?.name ?? '—',
		categories: list(population.categories.map((c) => PERSON_CATEGORIES[c as PersonCategory] ?? c)),
		industries: list(population.industryCodes.map((c) => industryNames.find((i) => i.code === c)?.name ?? c)),
		jobTypes: list(population.jobTypes.map((c) => jobNames.find((j) => j.code === c)?.name ?? c)),
		employmentTypes: list(population.employmentTypes.map((c) => EMPLOYMENT_TYPES[c as keyof typeof EMPLOYMENT_TYPES] ?? c)),
	}
}

/** Spot checks owned within the scope, newest first, with how many were drawn, took the exam and passed. */
export async function listSpotChecks(tx: DbOrTx, scope: SpotCheckScope, { page = 1, pageSize = 50 }: { page?: number; pageSize?: number } = {}) {
	const where = orgPathInScope(scope, ownerOrg.path)
	const rows = await tx
		.select({
			id: spotChecks.id,
			title: spotChecks.title,
			ownerName: ownerOrg.name,
			opensAt: spotChecks.opensAt,
			closesAt: spotChecks.closesAt,
			drawnAt: spotChecks.drawnAt,
			populationSize: spotChecks.populationSize,
			drawn: sql<number>`(select count(*) from ${spotCheckPopulation} p where p.spot_check_id = ${spotChecks.id} and p.drawn)::int`,
			taken: sql<number>`(select count(distinct a.person_id) from attempts a where a.exam_id = ${spotChecks.examId} and a.status = 'submitted')::int`,
			passed: sql<number>`(select count(distinct a.person_id) from attempts a where a.exam_id = ${spotChecks.examId} and a.passed)::int`,
		})
		.from(spotChecks)
		.innerJoin(ownerOrg, eq(ownerOrg.id, spotChecks.ownerOrgId))
		.where(where)
		.orderBy(desc(spotChecks.drawnAt), asc(spotChecks.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
	const [total] = await tx.select({ n: sql<number>`count(*)::int` }).from(spotChecks).innerJoin(ownerOrg, eq(ownerOrg.id, spotChecks.ownerOrgId)).where(where)
	return { total: total?.n ?? 0, rows }
}

export type SpotCheckResultRow = {
	personId: string
	name: string
	orgName: string
	category: PersonCategory
	status: ResultStatus
	score: number | null
	maxScore: number | null
	passed: boolean
	/** When the counted paper was handed in (or started, while still answering). */
	at: Date | null
}

/**
 * Per drawn person the exam's result (the best submitted attempt, as on the exam's results page;
 * the same function, so both pages agree), and the counts: drawn, took it, passed, rates.
 */
export async function spotCheckResults(db: Db, user: SessionUser, check: SpotCheckRow, now = new Date()) {
	const found = check.examId ? await examResults(db, examScopeOf(user), check.examId, now) : null
	const rows: SpotCheckResultRow[] = (found?.rows ?? []).map((r) => ({
		personId: r.personId,
		name: r.name,
		orgName: r.orgName,
		category: r.category,
		status: r.status,
		score: r.score,
		maxScore: r.maxScore,
		passed: r.passed,
		at: r.submittedAt ?? r.startedAt,
	}))
	const drawn = rows.length
	const taken = rows.filter((r) => r.status === 'submitted').length
	const passed = rows.filter((r) => r.passed).length
	return { rows, summary: { drawn, taken, passed, notTaken: drawn - taken, takenRate: rate(taken, drawn), passRate: rate(passed, taken) } }
}

// ---- 复核抽取 -----------------------------------------------------------------------------------

export type ReplayResult = {
	matches: boolean
	/** The exam went to exactly the drawn people. */
	assigneesMatch: boolean
	seed: string
	populationSize: number
	frozenSize: number
	recordedPositions: number[]
	replayedPositions: number[]
	/** The people the replay drew, in population order. */
	drawn: { position: number; personId: string; name: string; orgName: string }[]
}

/**
 * Re-runs the draw on the stored seed and the frozen population (never today's roster) and
 * compares it with the drawn flags recorded at draw time.
 */
export async function replaySpotCheck(tx: DbOrTx, check: SpotCheckRow): Promise<ReplayResult> {
	const [row] = await tx
		.select({
			list: sql<string | null>`string_agg(${spotCheckPopulation.personId}::text || ' ' || ${spotCheckPopulation.orgId}::text || ' ' || case when ${spotCheckPopulation.drawn} then '1' else '0' end, ',' order by ${spotCheckPopulation.position})`,
			positionsInOrder: sql<boolean>`coalesce(bool_and(${spotCheckPopulation.position} < ${check.populationSize}), true)`,
		})
		.from(spotCheckPopulation)
		.where(eq(spotCheckPopulation.spotCheckId, check.id))
	const frozen = parseMembers(row?.list ?? null)
	const members = frozen.map(([personId, orgId]) => ({ personId, orgId }))
	const recordedPositions = frozen.flatMap(([, , flag], position) => (flag === '1' ? [position] : []))
	let replayedPositions: number[] = []
	let sorted = true
	try {
		replayedPositions = drawSpotCheckSample(Number(check.seed), members, { size: sizeOf(check), minPerEnterprise: check.minPerEnterprise }).positions
	} catch {
		sorted = false // the frozen rows are not in person-id order: they were changed after the draw
	}
	const matches =
		sorted &&
		Boolean(row?.positionsInOrder) &&
		frozen.length === check.populationSize &&
		replayedPositions.length === recordedPositions.length &&
		replayedPositions.every((p, i) => p === recordedPositions[i])

	const drawnIds = replayedPositions.map((p) => members[p]!.personId)
	const assignees = check.examId ? await tx.select({ personId: examAssignees.personId }).from(examAssignees).where(eq(examAssignees.examId, check.examId)) : []
	const assigned = new Set(assignees.map((a) => a.personId))
	const recordedIds = new Set(recordedPositions.map((p) => members[p]!.personId))
	const assigneesMatch = assigned.size === recordedIds.size && [...recordedIds].every((id) => assigned.has(id))

	const names = drawnIds.length
		? await tx
				.select({ id: people.id, name: people.name, orgName: organizations.name })
				.from(people)
				.innerJoin(organizations, eq(organizations.id, people.orgId))
				.where(inArray(people.id, drawnIds.slice(0, 5000)))
		: []
	const byId = new Map(names.map((n) => [n.id, n]))
	return {
		matches,
		assigneesMatch,
		seed: check.seed,
		populationSize: check.populationSize,
		frozenSize: frozen.length,
		recordedPositions,
		replayedPositions,
		drawn: replayedPositions.map((position) => {
			const personId = members[position]!.personId
			return { position, personId, name: byId.get(personId)?.name ?? '—', orgName: byId.get(personId)?.orgName ?? '—' }
		}),
	}
}

/** 复核抽取 as a recorded act: the replay and its audit entry. */
export async function replayAndRecord(db: Db, user: SessionUser, check: SpotCheckRow) {
	const result = await replaySpotCheck(db, check)
	await writeAudit(db, {
		actorId: user.id,
		action: 'spot_check.replay',
		targetType: 'spot_check',
		targetId: check.id,
		orgId: check.ownerOrgId,
		detail: { matches: result.matches, assigneesMatch: result.assigneesMatch, seed: check.seed, populationSize: check.populationSize },
	})
	return result
}

// ---- Excel -------------------------------------------------------------------------------------

/** The results as a workbook: one row per drawn person, and a sheet with the check's facts. */
export async function spotCheckWorkbook(db: Db, user: SessionUser, found: NonNullable<Awaited<ReturnType<typeof loadSpotCheck>>>) {
	const { check } = found
	const { rows, summary } = await spotCheckResults(db, user, check)
	const filters = await describePopulation(db, check.population)
	const workbook = new ExcelJS.Workbook()
	const sheet = workbook.addWorksheet('抽考结果')
	sheet.columns = [
		{ header: '序号', width: 6 },
		{ header: '姓名', width: 10 },
		{ header: '单位', width: 24 },
		{ header: '人员类别', width: 14 },
		{ header: '状态', width: 8 },
		{ header: '最高成绩', width: 10 },
		{ header: '满分', width: 8 },
		{ header: '是否合格', width: 10 },
		{ header: '时间', width: 18 },
	]
	sheet.getRow(1).font = { bold: true }
	for (const [i, r] of rows.entries()) {
		sheet.addRow([
			i + 1,
			r.name,
			r.orgName,
			PERSON_CATEGORIES[r.category],
			RESULT_STATUS[r.status],
			r.score,
			r.maxScore,
			r.status === 'submitted' || r.passed ? (r.passed ? '合格' : '不合格') : '',
			r.at ? formatChinaTime(r.at) : '',
		])
	}
	const facts = workbook.addWorksheet('抽考信息')
	facts.columns = [{ width: 16 }, { width: 60 }]
	for (const line of [
		['抽考名称', check.title],
		['发起单位', found.ownerName],
		['试卷规则', found.templateTitle],
		['考试时间', `${formatChinaTime(check.opensAt)} 至 ${formatChinaTime(check.closesAt)}`],
		['抽取时间', formatChinaTime(check.drawnAt)],
		['随机种子', check.seed],
		['总体人数', check.populationSize],
		['抽取数量', describeSampleSize(check)],
		['抽取范围', filters.org],
		['人员类别', filters.categories],
		['行业', filters.industries],
		['工种', filters.jobTypes],
		['用工形式', filters.employmentTypes],
		['抽中人数', summary.drawn],
		['已交卷', summary.taken],
		['合格', summary.passed],
		['合格率', summary.passRate === null ? '—' : `${summary.passRate}%`],
	] as [string, string | number][])
		facts.addRow(line)
	const buffer = await workbook.xlsx.writeBuffer()
	return new Uint8Array(buffer as ArrayBuffer)
}
