import { randomUUID } from 'node:crypto'
import { and, asc, count, desc as descending, eq, ilike, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { industries, jobTypes, organizations, people, personJobTypes, roleAssignments } from '#db/schema.ts'
import { peopleInScope } from '#app/auth/auth.server.ts'
import type { DataScope } from '#app/auth/scope.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import { statusOf, type Clearance, type ClearanceStatus } from '#app/records/clearance.ts'
import { clearanceOfPeople } from '#app/records/clearance.server.ts'
import { maskIdNumber, maskPhone } from './identity.ts'
import type { EmploymentType, PersonCategory } from './labels.ts'
import { decryptPii, encryptPii, idNumberLookupHash, phoneLookupHash } from './pii.server.ts'
import { chinaDay } from '#app/utils/days.ts'

export type NewPerson = {
	orgId: string
	name: string
	phone: string
	idNumber?: string
	category: PersonCategory
	employmentType: EmploymentType
	position?: string
	hiredOn?: string | null
	jobTypes?: string[]
	passwordHash?: string | null
	mustChangePassword?: boolean
}

/** Field-level conflicts (phone or 身份证号 already used), checked before any write. */
export async function identityConflicts(tx: DbOrTx, input: { phone: string; idNumber?: string }, exceptPersonId?: string) {
	const errors: Record<string, string> = {}
	const [byPhone] = await tx.select({ id: people.id }).from(people).where(eq(people.phoneHash, phoneLookupHash(input.phone)))
	if (byPhone && byPhone.id !== exceptPersonId) errors.phone = '该手机号已被其他人员使用'
	if (input.idNumber) {
		const [byId] = await tx.select({ id: people.id }).from(people).where(eq(people.idNumberHash, idNumberLookupHash(input.idNumber)))
		if (byId && byId.id !== exceptPersonId) errors.idNumber = '该身份证号已登记'
	}
	return errors
}

export async function unknownJobTypes(tx: DbOrTx, codes: string[]) {
	if (!codes.length) return []
	const found = await tx.select({ code: jobTypes.code }).from(jobTypes).where(inArray(jobTypes.code, codes))
	const known = new Set(found.map((j) => j.code))
	return codes.filter((c) => !known.has(c))
}

function piiColumns(input: { phone: string; idNumber?: string | null }) {
	return {
		phoneEnc: encryptPii(input.phone),
		phoneHash: phoneLookupHash(input.phone),
		idNumberEnc: input.idNumber ? encryptPii(input.idNumber) : null,
		idNumberHash: input.idNumber ? idNumberLookupHash(input.idNumber) : null,
	}
}

export async function createPerson(tx: DbOrTx, input: NewPerson) {
	const id = randomUUID()
	await tx.insert(people).values({
		id,
		orgId: input.orgId,
		name: input.name,
		...piiColumns(input),
		category: input.category,
		employmentType: input.employmentType,
		position: input.position ?? '',
		hiredOn: input.hiredOn ?? null,
		passwordHash: input.passwordHash ?? null,
		mustChangePassword: input.mustChangePassword ?? false,
	})
	await setJobTypes(tx, id, input.jobTypes ?? [])
	return id
}

export async function updatePerson(tx: DbOrTx, id: string, input: Omit<NewPerson, 'passwordHash' | 'mustChangePassword'>) {
	await tx
		.update(people)
		.set({
			orgId: input.orgId,
			name: input.name,
			...piiColumns(input),
			category: input.category,
			employmentType: input.employmentType,
			position: input.position ?? '',
			hiredOn: input.hiredOn ?? null,
			updatedAt: new Date(),
		})
		.where(eq(people.id, id))
	await setJobTypes(tx, id, input.jobTypes ?? [])
}

async function setJobTypes(tx: DbOrTx, personId: string, codes: string[]) {
	await tx.delete(personJobTypes).where(eq(personJobTypes.personId, personId))
	const unique = [...new Set(codes)]
	if (unique.length) await tx.insert(personJobTypes).values(unique.map((jobTypeCode) => ({ personId, jobTypeCode })))
}

/** One person as shown on screen: identity masked unless `reveal` asks for the clear values (edit forms). */
export async function personDetail(tx: DbOrTx, id: string, { reveal = false } = {}) {
	const [row] = await tx
		.select({
			id: people.id,
			name: people.name,
			orgId: people.orgId,
			orgName: organizations.name,
			orgPath: organizations.path,
			orgKind: organizations.kind,
			industryName: industries.name,
			phoneEnc: people.phoneEnc,
			idNumberEnc: people.idNumberEnc,
			category: people.category,
			employmentType: people.employmentType,
			position: people.position,
			hiredOn: people.hiredOn,
			hasAccount: people.passwordHash,
			mustChangePassword: people.mustChangePassword,
			anonymisedAt: people.anonymisedAt,
			recordsRetainedUntil: people.recordsRetainedUntil,
		})
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.leftJoin(industries, eq(industries.code, organizations.industryCode))
		.where(eq(people.id, id))
	if (!row) return null
	const phone = decryptPii(row.phoneEnc)
	const idNumber = row.idNumberEnc ? decryptPii(row.idNumberEnc) : null
	const jobs = await tx
		.select({ code: jobTypes.code, name: jobTypes.name, specialOperation: jobTypes.specialOperation, certificateName: jobTypes.certificateName })
		.from(personJobTypes)
		.innerJoin(jobTypes, eq(jobTypes.code, personJobTypes.jobTypeCode))
		.where(eq(personJobTypes.personId, id))
		.orderBy(asc(jobTypes.sortOrder))
	const roles = await tx.select({ role: roleAssignments.role }).from(roleAssignments).where(eq(roleAssignments.personId, id))
	const { phoneEnc: _p, idNumberEnc: _i, hasAccount, ...rest } = row
	return {
		...rest,
		hasAccount: Boolean(hasAccount),
		phoneMasked: maskPhone(phone),
		idNumberMasked: idNumber ? maskIdNumber(idNumber) : null,
		phone: reveal ? phone : undefined,
		idNumber: reveal ? idNumber : undefined,
		jobTypes: jobs,
		roles: roles.map((r) => r.role),
	}
}

const under = alias(organizations, 'under')

export type PeopleFilter = {
	q?: string
	category?: PersonCategory
	employmentType?: EmploymentType
	jobType?: string
	// Everyone under this organisation (a township, an enterprise).
	orgId?: string
	status?: ClearanceStatus
}

export type PeopleSort = 'name' | 'org' | 'category' | 'employmentType'

/**
 * The roster's filters, except `status` (derived, see listPeople), as a condition on people
 * joined with their organizations, within the scope.
 */
function peopleWhere(tx: DbOrTx, scope: DataScope, filter: PeopleFilter) {
	// Deleted (anonymised) people are no longer on the roster; their records stay.
	const conditions: (SQL | undefined)[] = [peopleInScope(scope), isNull(people.anonymisedAt)]
	if (filter.q) conditions.push(or(ilike(people.name, `%${filter.q}%`), ilike(organizations.name, `%${filter.q}%`)))
	if (filter.category) conditions.push(eq(people.category, filter.category))
	if (filter.employmentType) conditions.push(eq(people.employmentType, filter.employmentType))
	if (filter.orgId) conditions.push(inArray(people.orgId, tx.select({ id: under.id }).from(under).where(like(under.path, sql`(select ${organizations.path} from ${organizations} where ${organizations.id} = ${filter.orgId}) || '%'`))))
	if (filter.jobType)
		conditions.push(
			inArray(
				people.id,
				tx.select({ id: personJobTypes.personId }).from(personJobTypes).where(eq(personJobTypes.jobTypeCode, filter.jobType)),
			),
		)
	return and(...conditions)
}

function peopleOrder(sort: PeopleSort, desc: boolean) {
	const sortColumn = { name: people.name, org: organizations.name, category: people.category, employmentType: people.employmentType }[sort]
	return desc ? [descending(sortColumn), descending(people.id)] : [asc(sortColumn), asc(people.id)]
}

export async function listPeople(
	tx: DbOrTx,
	scope: DataScope,
	filter: PeopleFilter,
	{ page, pageSize, sort, desc }: { page: number; pageSize: number; sort: PeopleSort; desc: boolean },
	asOf = chinaDay(new Date()),
) {
	const where = peopleWhere(tx, scope, filter)
	const order = peopleOrder(sort, desc)
	const columns = { id: people.id, name: people.name, orgName: organizations.name, category: people.category, employmentType: people.employmentType, phoneEnc: people.phoneEnc }

	let total: number
	let rows: { id: string; name: string; orgName: string; category: PersonCategory; employmentType: EmploymentType; phoneEnc: string }[]
	let clearance: Map<string, Clearance>
	if (filter.status) {
		// Clearance is derived, not stored: work it out for everyone matching, keep the status asked
		// for, then page. One set-wise pass (see scripts/bench-clearance.ts for 20,000 people).
		const matching = await tx.select({ id: people.id }).from(people).innerJoin(organizations, eq(organizations.id, people.orgId)).where(where).orderBy(...order)
		clearance = await clearanceOfPeople({ personIds: matching.map((r) => r.id) }, asOf, tx)
		const kept = matching.filter((r) => statusOf(clearance.get(r.id)!) === filter.status).map((r) => r.id)
		total = kept.length
		const pageIds = kept.slice((page - 1) * pageSize, page * pageSize)
		const found = pageIds.length ? await tx.select(columns).from(people).innerJoin(organizations, eq(organizations.id, people.orgId)).where(inArray(people.id, pageIds)) : []
		rows = pageIds.map((id) => found.find((r) => r.id === id)!)
	} else {
		rows = await tx
			.select(columns)
			.from(people)
			.innerJoin(organizations, eq(organizations.id, people.orgId))
			.where(where)
			.orderBy(...order)
			.limit(pageSize)
			.offset((page - 1) * pageSize)
		const [counted] = await tx.select({ n: count() }).from(people).innerJoin(organizations, eq(organizations.id, people.orgId)).where(where)
		total = counted?.n ?? 0
		clearance = await clearanceOfPeople({ personIds: rows.map((r) => r.id) }, asOf, tx)
	}
	const jobs = rows.length
		? await tx
				.select({ personId: personJobTypes.personId, name: jobTypes.name })
				.from(personJobTypes)
				.innerJoin(jobTypes, eq(jobTypes.code, personJobTypes.jobTypeCode))
				.where(inArray(personJobTypes.personId, rows.map((r) => r.id)))
		: []
	return {
		total,
		rows: rows.map(({ phoneEnc, ...r }) => {
			const c = clearance.get(r.id)!
			return {
				...r,
				phoneMasked: maskPhone(decryptPii(phoneEnc)),
				jobTypes: jobs.filter((j) => j.personId === r.id).map((j) => j.name),
				clearance: { cleared: c.cleared, expiringSoon: c.expiringSoon, reasons: c.reasons.map((x) => x.text) },
			}
		}),
	}
}

/**
 * Everyone the roster's filters match, not paged (for the roster export): the same filters,
 * scope and order as listPeople, identity masked, each with their full clearance on `asOf`.
 */
export async function allPeopleMatching(
	tx: DbOrTx,
	scope: DataScope,
	filter: PeopleFilter,
	{ sort, desc }: { sort: PeopleSort; desc: boolean },
	asOf = chinaDay(new Date()),
) {
	const where = peopleWhere(tx, scope, filter)
	const rows = await tx
		.select({ id: people.id, name: people.name, orgName: organizations.name, category: people.category, employmentType: people.employmentType, phoneEnc: people.phoneEnc, idNumberEnc: people.idNumberEnc })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(where)
		.orderBy(...peopleOrder(sort, desc))
	const clearance = await clearanceOfPeople({ personIds: rows.map((r) => r.id) }, asOf, tx)
	const kept = filter.status ? rows.filter((r) => statusOf(clearance.get(r.id)!) === filter.status) : rows
	// The job types of everyone matching, by the same condition (no list of ids as parameters).
	const jobs = kept.length
		? await tx
				.select({ personId: personJobTypes.personId, name: jobTypes.name })
				.from(personJobTypes)
				.innerJoin(jobTypes, eq(jobTypes.code, personJobTypes.jobTypeCode))
				.where(inArray(personJobTypes.personId, tx.select({ id: people.id }).from(people).innerJoin(organizations, eq(organizations.id, people.orgId)).where(where)))
				.orderBy(asc(jobTypes.sortOrder))
		: []
	const jobsOf = new Map<string, string[]>()
	for (const j of jobs) jobsOf.set(j.personId, [...(jobsOf.get(j.personId) ?? []), j.name])
	return kept.map(({ phoneEnc, idNumberEnc, ...r }) => ({
		...r,
		phoneMasked: maskPhone(decryptPii(phoneEnc)),
		idNumberMasked: idNumberEnc ? maskIdNumber(decryptPii(idNumberEnc)) : null,
		jobTypes: jobsOf.get(r.id) ?? [],
		clearance: clearance.get(r.id)!,
	}))
}

/** The job-type catalogue in display order, for forms and filters. */
export function listJobTypes(tx: DbOrTx) {
	return tx.select({ code: jobTypes.code, name: jobTypes.name }).from(jobTypes).orderBy(asc(jobTypes.sortOrder))
}
