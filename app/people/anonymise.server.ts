import { and, eq, isNull } from 'drizzle-orm'
import { certificates, jobTypes, operationCertificates, people, personJobTypes, roleAssignments, sessions } from '#db/schema.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { maskCertificateNumber } from '#app/records/operation-certificates.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import { chinaDay, type Day } from '#app/utils/days.ts'
import type { PersonCategory } from './labels.ts'
import { decryptPii, encryptPii } from './pii.server.ts'
import { ANONYMISED_NAME, recordsRetainedUntil } from './retention.ts'

// 删除人员: never a hard DELETE (the database refuses one, see db/migrations/0009_immutable_records.sql).
// The person's identity goes — name, phone, 身份证号, password, sessions, roles, and the name
// and 身份证号 in the snapshots of their certificates and 特种作业操作证 — and their training
// records stay, tied to an anonymous row, until `recordsRetainedUntil`.

/** Whether this person holds a 特种作业 job type (which sets the longer retention). */
async function holdsSpecialJob(tx: DbOrTx, personId: string) {
	const [row] = await tx
		.select({ code: personJobTypes.jobTypeCode })
		.from(personJobTypes)
		.innerJoin(jobTypes, eq(jobTypes.code, personJobTypes.jobTypeCode))
		.where(and(eq(personJobTypes.personId, personId), eq(jobTypes.specialOperation, true)))
		.limit(1)
	return Boolean(row)
}

/** When the records of this person would be kept until, were they deleted today (for the confirm page). */
export async function retentionIfDeleted(db: Db, person: { id: string; category: PersonCategory }, now = new Date()): Promise<Day> {
	return recordsRetainedUntil(chinaDay(now), { category: person.category, specialOperation: await holdsSpecialJob(db, person.id) })
}

/**
 * Anonymises a person in one transaction with its audit entry. Returns the day their records are
 * kept until, or null if they were already anonymised (a second click, or someone else first).
 */
export async function anonymisePerson(db: Db, actor: SessionUser, personId: string, now = new Date()): Promise<{ recordsRetainedUntil: Day } | null> {
	return db.transaction(async (tx) => {
		const [person] = await tx
			.select({ id: people.id, orgId: people.orgId, category: people.category })
			.from(people)
			.where(and(eq(people.id, personId), isNull(people.anonymisedAt)))
			.for('update')
		if (!person) return null
		const specialOperation = await holdsSpecialJob(tx, person.id)
		const retainedUntil = recordsRetainedUntil(chinaDay(now), { category: person.category, specialOperation })
		await tx
			.update(people)
			.set({
				name: ANONYMISED_NAME,
				// phone_enc is required: an encrypted empty string. The hash must stay unique and
				// never equal a phone's (those are base64url, without a colon).
				phoneEnc: encryptPii(''),
				phoneHash: `anonymised:${person.id}`,
				idNumberEnc: null,
				idNumberHash: null,
				passwordHash: null,
				mustChangePassword: false,
				passwordChangedAt: null,
				anonymisedAt: now,
				recordsRetainedUntil: retainedUntil,
				updatedAt: now,
			})
			.where(eq(people.id, person.id))
		await tx.delete(sessions).where(eq(sessions.personId, person.id))
		await tx.delete(roleAssignments).where(eq(roleAssignments.personId, person.id))
		await tx.update(certificates).set({ holderName: ANONYMISED_NAME, holderIdMasked: '' }).where(eq(certificates.personId, person.id))
		// The 操作证 number is T + 身份证号: only its masked form is kept.
		const licences = await tx.select({ id: operationCertificates.id, numberEnc: operationCertificates.numberEnc }).from(operationCertificates).where(eq(operationCertificates.personId, person.id))
		for (const l of licences) {
			await tx
				.update(operationCertificates)
				.set({ numberEnc: encryptPii(maskCertificateNumber(decryptPii(l.numberEnc))), numberHash: `anonymised:${l.id}` })
				.where(eq(operationCertificates.id, l.id))
		}
		await writeAudit(tx, {
			actorId: actor.id,
			action: 'person.anonymise',
			targetType: 'person',
			targetId: person.id,
			orgId: person.orgId,
			detail: { category: person.category, specialOperation, recordsRetainedUntil: retainedUntil },
		})
		return { recordsRetainedUntil: retainedUntil }
	})
}
