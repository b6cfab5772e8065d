import { randomUUID } from 'node:crypto'
import { and, desc, eq } from 'drizzle-orm'
import { jobTypes, operationCertificates, people, personJobTypes } from '#db/schema.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { maskIdNumber } from '#app/people/identity.ts'
import { decryptPii, encryptPii, idNumberLookupHash } from '#app/people/pii.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import type { OperationCertificateInput } from './operation-certificate-form.ts'

// 特种作业操作证 on record. The number carries the 身份证号, so it is stored like one: encrypted,
// with a keyed hash, and shown masked (T1427**********1234).

export const maskCertificateNumber = (n: string) => `T${maskIdNumber(n.slice(1))}`

/** The person's special-operation job types: the ones a certificate can be recorded for. */
export async function specialJobsOf(tx: DbOrTx, personId: string) {
	return tx
		.select({ code: jobTypes.code, name: jobTypes.name, certificateName: jobTypes.certificateName })
		.from(personJobTypes)
		.innerJoin(jobTypes, eq(jobTypes.code, personJobTypes.jobTypeCode))
		.where(and(eq(personJobTypes.personId, personId), eq(jobTypes.specialOperation, true)))
}

export async function operationCertificatesOf(tx: DbOrTx, personId: string) {
	const rows = await tx
		.select({ id: operationCertificates.id, jobTypeName: jobTypes.name, certificateName: jobTypes.certificateName, numberEnc: operationCertificates.numberEnc, issuer: operationCertificates.issuer, issuedOn: operationCertificates.issuedOn, validUntil: operationCertificates.validUntil })
		.from(operationCertificates)
		.innerJoin(jobTypes, eq(jobTypes.code, operationCertificates.jobTypeCode))
		.where(eq(operationCertificates.personId, personId))
		.orderBy(desc(operationCertificates.validUntil))
	return rows.map(({ numberEnc, ...r }) => ({ ...r, number: maskCertificateNumber(decryptPii(numberEnc)) }))
}

export type RecordCertificateResult = { ok: true; id: string } | { ok: false; errors: FormErrors }

export async function recordOperationCertificate(db: Db, actor: SessionUser, personId: string, input: OperationCertificateInput): Promise<RecordCertificateResult> {
	const special = await specialJobsOf(db, personId)
	if (!special.some((j) => j.code === input.jobTypeCode)) return { ok: false, errors: { jobTypeCode: '请选择此人的特种作业工种' } }
	const [person] = await db.select({ orgId: people.orgId, idNumberHash: people.idNumberHash }).from(people).where(eq(people.id, personId))
	// The number is T + the holder's own 身份证号: one for somebody else is a typing mistake.
	if (person!.idNumberHash && person!.idNumberHash !== idNumberLookupHash(input.number.slice(1))) {
		return { ok: false, errors: { number: '证书编号中的身份证号与此人登记的身份证号不一致' } }
	}
	const id = randomUUID()
	await db.transaction(async (tx) => {
		await tx.insert(operationCertificates).values({ id, personId, jobTypeCode: input.jobTypeCode, numberEnc: encryptPii(input.number), numberHash: idNumberLookupHash(input.number), issuer: input.issuer, issuedOn: input.issuedOn, validUntil: input.validUntil, recordedBy: actor.id })
		await writeAudit(tx, { actorId: actor.id, action: 'operation_certificate.record', targetType: 'person', targetId: personId, orgId: person!.orgId, detail: { jobTypeCode: input.jobTypeCode, validUntil: input.validUntil } })
	})
	return { ok: true, id }
}
