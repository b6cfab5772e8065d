import { randomUUID } from 'node:crypto'
import { asc, eq, inArray } from 'drizzle-orm'
import { attempts, certificates, examTemplates, exams, jobTypes, organizations, people, personJobTypes } from '#db/schema.ts'
import { maskIdNumber } from '#app/people/identity.ts'
import { decryptPii } from '#app/people/pii.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { certificateJobTypes, certificateTitle, expiryFor } from './certificate.ts'
import { newSerial, verifySerial } from './serial.ts'
import { chinaDay } from '#app/utils/days.ts'

// Issuing a certificate when an attempt of a certificate-issuing exam passes: called by
// submitAttempt inside the transaction that grades the attempt, so a passed attempt and its
// certificate are written together or not at all.

export function certificateKey() {
	const key = getEnv().CERTIFICATE_KEY
	if (!key) throw new Error('CERTIFICATE_KEY is not set')
	return key
}

/** The canonical serial if its signature holds under this deployment's key; null otherwise (no database look-up). */
export const verifyCertificateSerial = (input: string) => verifySerial(input, certificateKey())

type Attempt = typeof attempts.$inferSelect
type Template = Pick<typeof examTemplates.$inferSelect, 'id' | 'title' | 'purpose' | 'jobTypes' | 'issuesCertificate' | 'certificateValidMonths'>

/**
 * Issues the certificate of a passed attempt, once: with the holder's name, masked 身份证号, job
 * types and enterprise as they are now (a snapshot, so the public page never decrypts anything
 * and later edits of the person do not change a certificate already printed). Does nothing for
 * an attempt that did not pass or a template that issues no certificate; returns the
 * certificate (the existing one if it was already issued).
 */
export async function issueCertificateFor(tx: DbOrTx, attempt: Attempt, template: Template, now: Date) {
	if (!template.issuesCertificate || attempt.status !== 'submitted' || !attempt.passed || attempt.score === null) return null
	const [existing] = await tx.select().from(certificates).where(eq(certificates.attemptId, attempt.id))
	if (existing) return existing

	const [holder] = await tx
		.select({ name: people.name, idNumberEnc: people.idNumberEnc, orgId: people.orgId, orgName: organizations.name })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(eq(people.id, attempt.personId))
	if (!holder) throw new Error('the attempt has no person')
	const [exam] = await tx.select({ title: exams.title }).from(exams).where(eq(exams.id, attempt.examId))
	const held = (await tx.select({ code: personJobTypes.jobTypeCode }).from(personJobTypes).where(eq(personJobTypes.personId, attempt.personId))).map((r) => r.code)
	const codes = certificateJobTypes(template.jobTypes, held)
	const jobTypeNames = codes.length
		? (await tx.select({ name: jobTypes.name }).from(jobTypes).where(inArray(jobTypes.code, codes)).orderBy(asc(jobTypes.sortOrder), asc(jobTypes.code))).map((r) => r.name)
		: []

	const key = certificateKey()
	const year = Number(chinaDay(now).slice(0, 4))
	// A serial's random part is 40 bits; a clash with one already issued is retried.
	for (let tries = 0; tries < 5; tries++) {
		const id = randomUUID()
		const serial = newSerial(key, year)
		const [inserted] = await tx
			.insert(certificates)
			.values({
				id,
				serial,
				personId: attempt.personId,
				attemptId: attempt.id,
				templateId: template.id,
				title: certificateTitle(template.purpose),
				holderName: holder.name,
				holderIdMasked: holder.idNumberEnc ? maskIdNumber(decryptPii(holder.idNumberEnc)) : '',
				jobTypeNames,
				orgName: holder.orgName,
				examTitle: exam?.title ?? template.title,
				score: attempt.score,
				maxScore: attempt.maxScore,
				issuedAt: now,
				expiresOn: expiryFor(now, template.certificateValidMonths),
			})
			.onConflictDoNothing()
			.returning()
		if (inserted) {
			await writeAudit(tx, { actorId: null, action: 'certificate.issue', targetType: 'certificate', targetId: inserted.id, orgId: holder.orgId, detail: { attemptId: attempt.id, serial } })
			return inserted
		}
		// Issued meanwhile for the same attempt (the unique attempt index): that one stands.
		const [same] = await tx.select().from(certificates).where(eq(certificates.attemptId, attempt.id))
		if (same) return same
	}
	throw new Error('could not find a free certificate serial')
}
