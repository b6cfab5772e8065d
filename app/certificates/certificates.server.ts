import { and, asc, count, desc, eq, gte, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm'
import { certificates, organizations, people } from '#db/schema.ts'
import { peopleInScope } from '#app/auth/auth.server.ts'
import type { DataScope } from '#app/auth/scope.ts'
import { maskName } from '#app/people/identity.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import { certificateStatus, type CertificateStatus } from './certificate.ts'
import { verifyCertificateSerial } from './issue.server.ts'
import { normalizeSerial } from './serial.ts'
import { chinaDay } from '#app/utils/days.ts'

// Reading certificates: a person's own, one by id (the caller checks scope), the public
// verification by serial, the managers' list; and revoking one.

export type Certificate = typeof certificates.$inferSelect

/** A person's certificates, newest first, each with its status now (for the worker's home). */
export async function certificatesOfPerson(db: DbOrTx, personId: string, now = new Date()) {
	const rows = await db.select().from(certificates).where(eq(certificates.personId, personId)).orderBy(desc(certificates.issuedAt))
	return rows.map((c) => ({
		id: c.id,
		serial: c.serial,
		title: c.title,
		examTitle: c.examTitle,
		jobTypeNames: c.jobTypeNames,
		score: c.score,
		maxScore: c.maxScore,
		issuedOn: chinaDay(c.issuedAt),
		expiresOn: c.expiresOn,
		status: certificateStatus(c, now),
	}))
}

/** One certificate with where its holder sits now (for the scope check), or null. */
export async function certificateById(db: DbOrTx, id: string) {
	const [row] = await db
		.select({ certificate: certificates, holderOrgId: people.orgId, holderOrgPath: organizations.path })
		.from(certificates)
		.innerJoin(people, eq(people.id, certificates.personId))
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(eq(certificates.id, id))
	if (!row) return null
	let revokedByName: string | null = null
	if (row.certificate.revokedBy) {
		const [by] = await db.select({ name: people.name }).from(people).where(eq(people.id, row.certificate.revokedBy))
		revokedByName = by?.name ?? null
	}
	return { certificate: row.certificate, holderOrgId: row.holderOrgId, holderOrgPath: row.holderOrgPath, revokedByName }
}

/**
 * What the public verification page may show: the certificate, its status and the holder's
 * masked name and job types; no enterprise, score or 身份证号.
 */
export type PublicVerification =
	| { found: false; serial: string }
	| {
			found: true
			serial: string
			status: CertificateStatus
			title: string
			holderNameMasked: string
			jobTypeNames: string[]
			issuedOn: string
			expiresOn: string | null
			revokedOn: string | null
			revokedReason: string | null
	  }

/**
 * 证书核验: a serial whose signature fails is 查无此证 at once, without touching the database;
 * a well-signed one is looked up.
 */
export async function verifyCertificate(db: DbOrTx, input: string, now = new Date()): Promise<PublicVerification> {
	const serial = verifyCertificateSerial(input)
	if (!serial) return { found: false, serial: input.trim().slice(0, 40) }
	const [c] = await db.select().from(certificates).where(eq(certificates.serial, serial))
	if (!c) return { found: false, serial }
	return {
		found: true,
		serial,
		status: certificateStatus(c, now),
		title: c.title,
		holderNameMasked: maskName(c.holderName),
		jobTypeNames: c.jobTypeNames,
		issuedOn: chinaDay(c.issuedAt),
		expiresOn: c.expiresOn,
		revokedOn: c.revokedAt ? chinaDay(c.revokedAt) : null,
		revokedReason: c.revokedAt ? c.revokedReason : null,
	}
}

export class CertificateError extends Error {
	constructor(
		message: string,
		public readonly status = 409,
	) {
		super(message)
	}
}

/** Revokes a certificate with a reason, once; the audit entry goes in the same transaction. */
export async function revokeCertificate(db: Db, input: { certificateId: string; reason: string; actorId: string; orgId: string }, now = new Date()) {
	return db.transaction(async (tx) => {
		const [revoked] = await tx
			.update(certificates)
			.set({ revokedAt: now, revokedReason: input.reason, revokedBy: input.actorId })
			.where(and(eq(certificates.id, input.certificateId), isNull(certificates.revokedAt)))
			.returning()
		if (!revoked) throw new CertificateError('该证书已被撤销，不能重复撤销')
		await writeAudit(tx, { actorId: input.actorId, action: 'certificate.revoke', targetType: 'certificate', targetId: revoked.id, orgId: input.orgId, detail: { serial: revoked.serial } })
		return revoked
	})
}

export type CertificateFilter = { q?: string; status?: CertificateStatus }
export type CertificateSort = 'issuedAt' | 'holder' | 'expiresOn' | 'score'

/** The managers' list: certificates of the people in scope, filtered, sorted and paged. */
export async function listCertificates(
	db: DbOrTx,
	scope: DataScope,
	filter: CertificateFilter,
	{ page, pageSize, sort, desc: descending }: { page: number; pageSize: number; sort: CertificateSort; desc: boolean },
	now = new Date(),
) {
	const today = chinaDay(now)
	const conditions: (SQL | undefined)[] = [peopleInScope(scope)]
	const q = filter.q?.trim()
	if (q) conditions.push(or(eq(certificates.serial, normalizeSerial(q) ?? q), sql`strpos(${certificates.holderName}, ${q}) > 0`))
	if (filter.status === 'revoked') conditions.push(isNotNull(certificates.revokedAt))
	if (filter.status === 'expired') conditions.push(isNull(certificates.revokedAt), isNotNull(certificates.expiresOn), lt(certificates.expiresOn, today))
	if (filter.status === 'valid') conditions.push(isNull(certificates.revokedAt), or(isNull(certificates.expiresOn), gte(certificates.expiresOn, today)))
	const where = and(...conditions)
	const column = { issuedAt: certificates.issuedAt, holder: certificates.holderName, expiresOn: certificates.expiresOn, score: certificates.score }[sort]
	const order = descending ? desc(column) : asc(column)
	const base = db.select({ n: count() }).from(certificates).innerJoin(people, eq(people.id, certificates.personId)).innerJoin(organizations, eq(organizations.id, people.orgId))
	const [{ n: total }] = (await base.where(where)) as [{ n: number }]
	const rows = await db
		.select({
			id: certificates.id,
			serial: certificates.serial,
			holderName: certificates.holderName,
			orgName: certificates.orgName,
			title: certificates.title,
			jobTypeNames: certificates.jobTypeNames,
			score: certificates.score,
			maxScore: certificates.maxScore,
			issuedAt: certificates.issuedAt,
			expiresOn: certificates.expiresOn,
			revokedAt: certificates.revokedAt,
		})
		.from(certificates)
		.innerJoin(people, eq(people.id, certificates.personId))
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(where)
		.orderBy(order, desc(certificates.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
	return {
		total,
		rows: rows.map((r) => ({ ...r, issuedOn: chinaDay(r.issuedAt), status: certificateStatus(r, now) })),
	}
}
