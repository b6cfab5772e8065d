import { randomUUID } from 'node:crypto'
import { unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type UploadHandler } from '@remix-run/node'
import { and, asc, count, desc, eq, inArray, isNull, like, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { offlineTrainingAttendees, offlineTrainings, organizations, people } from '#db/schema.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { isUuid } from '#app/utils/ids.ts'
import { attachmentName, attachmentTypeOf, MAX_ATTACHMENT_BYTES, type AttachmentType, type OfflineKind } from './offline.ts'
import type { OfflineTrainingInput } from './offline-form.ts'
import { managedOrgs, scopeHasPath, type ManagedEnterprise, type ManagerScope } from './plans-scope.server.ts'
import { chinaDay } from '#app/utils/days.ts'

// 线下培训 records: written once with their attendees and never changed or deleted (there is no
// function here that would), so the record stays what was attested on the day.

// ---- reading the posted form -----------------------------------------------------------------

export type Upload = { name: string; bytes: Uint8Array } | null
export type PostedTraining = { form: FormData; upload: Upload; tooLarge: boolean }

/**
 * Reads the multipart form: the `attachment` file up to 5 MB (a larger one is read to its end
 * and dropped, so the other fields still arrive and can be shown again), every other field as
 * text. A form posted without a file input (url-encoded) is read as it is.
 */
export async function readTrainingForm(request: Request): Promise<PostedTraining> {
	if (!(request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) return { form: await request.formData(), upload: null, tooLarge: false }
	let upload: Upload = null
	let tooLarge = false
	const attachmentHandler: UploadHandler = async ({ name, filename, data }) => {
		if (name !== 'attachment' || filename === undefined) return undefined
		const chunks: Uint8Array[] = []
		let size = 0
		for await (const chunk of data) {
			size += chunk.byteLength
			if (size <= MAX_ATTACHMENT_BYTES) chunks.push(chunk)
		}
		if (size > MAX_ATTACHMENT_BYTES) tooLarge = true
		// A form sent without choosing a file has an empty part with no name.
		else if (size > 0) upload = { name: filename, bytes: Buffer.concat(chunks) }
		return null
	}
	const form = await unstable_parseMultipartFormData(
		request,
		unstable_composeUploadHandlers(attachmentHandler, unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 })),
	)
	return { form, upload, tooLarge }
}

/** The attachment's problem in plain Chinese, or its real type and the name it is kept under. */
export function checkAttachment(posted: PostedTraining): { error: string } | { attachment: { name: string; type: AttachmentType; bytes: Uint8Array } | null } {
	if (posted.tooLarge) return { error: '附件不能超过 5 MB，请压缩照片后重新选择' }
	if (!posted.upload) return { attachment: null }
	const type = attachmentTypeOf(posted.upload.bytes)
	if (!type) return { error: '附件只能是 JPG、PNG 照片或 PDF 文件' }
	return { attachment: { name: attachmentName(posted.upload.name, type), type, bytes: posted.upload.bytes } }
}

// ---- recording -------------------------------------------------------------------------------

export type RecordTrainingResult = { ok: true; trainingId: string } | { ok: false; errors: FormErrors }

/**
 * Records a training of an enterprise of the manager's for attendees of that enterprise: every
 * check first, then the record, its attendees and the audit entry in one transaction.
 */
export async function recordOfflineTraining(
	db: Db,
	user: SessionUser,
	enterprise: ManagedEnterprise,
	input: OfflineTrainingInput,
	attachment: { name: string; type: AttachmentType; bytes: Uint8Array } | null,
	now = new Date(),
): Promise<RecordTrainingResult> {
	const errors: FormErrors = {}
	if (input.heldOn > chinaDay(now)) errors.heldOn = '培训日期不能晚于今天：只能记录已经举办的培训'
	if (input.heldOn < '2000-01-01') errors.heldOn = '培训日期不正确'
	const attendees = await db
		.select({ id: people.id })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(inArray(people.id, input.personIds), like(organizations.path, `${enterprise.path}%`), isNull(people.anonymisedAt)))
	if (attendees.length < input.personIds.length) errors.personIds = `名单中有 ${input.personIds.length - attendees.length} 人不属于${enterprise.name}`
	if (Object.keys(errors).length) return { ok: false, errors }

	const trainingId = randomUUID()
	await db.transaction(async (tx) => {
		await insertOfflineTraining(tx, { ...input, id: trainingId, orgId: enterprise.id, recordedBy: user.id, attachment }, now)
		await writeAudit(tx, {
			actorId: user.id,
			action: 'offline_training.create',
			targetType: 'offline_training',
			targetId: trainingId,
			orgId: enterprise.id,
			detail: { kind: input.kind, heldOn: input.heldOn, hours: input.hours, attendees: input.personIds.length, attachment: attachment ? { type: attachment.type, bytes: attachment.bytes.byteLength } : null },
		})
	})
	return { ok: true, trainingId }
}

export type NewOfflineTraining = {
	id?: string
	orgId: string
	kind: OfflineKind
	topic: string
	heldOn: string
	hours: number
	trainer: string
	personIds: string[]
	recordedBy: string | null
	attachment?: { name: string; type: AttachmentType; bytes: Uint8Array } | null
}

/** Writes a training and its attendees (inside the caller's transaction); returns its id. */
export async function insertOfflineTraining(tx: DbOrTx, t: NewOfflineTraining, now = new Date()) {
	const id = t.id ?? randomUUID()
	await tx.insert(offlineTrainings).values({
		id,
		orgId: t.orgId,
		kind: t.kind,
		topic: t.topic,
		heldOn: t.heldOn,
		hours: t.hours,
		trainer: t.trainer,
		attachmentName: t.attachment?.name ?? null,
		attachmentType: t.attachment?.type ?? null,
		attachment: t.attachment ? Buffer.from(t.attachment.bytes) : null,
		recordedBy: t.recordedBy,
		createdAt: now,
	})
	const ids = [...new Set(t.personIds)]
	for (let i = 0; i < ids.length; i += 1000) {
		await tx.insert(offlineTrainingAttendees).values(ids.slice(i, i + 1000).map((personId) => ({ trainingId: id, personId })))
	}
	return id
}

// ---- reading ---------------------------------------------------------------------------------

const recorders = alias(people, 'recorders')

export type TrainingSort = 'heldOn' | 'topic' | 'hours'

/** Trainings of the manager's enterprises, newest first by default, a page at a time. */
export async function listOfflineTrainings(
	tx: DbOrTx,
	scope: ManagerScope,
	{ page, pageSize, sort, descending, kind }: { page: number; pageSize: number; sort: TrainingSort; descending: boolean; kind?: OfflineKind },
) {
	const where = and(managedOrgs(scope), kind ? eq(offlineTrainings.kind, kind) : undefined)
	const column = { heldOn: offlineTrainings.heldOn, topic: offlineTrainings.topic, hours: offlineTrainings.hours }[sort]
	const rows = await tx
		.select({
			id: offlineTrainings.id,
			kind: offlineTrainings.kind,
			topic: offlineTrainings.topic,
			heldOn: offlineTrainings.heldOn,
			hours: offlineTrainings.hours,
			trainer: offlineTrainings.trainer,
			hasAttachment: sql<boolean>`${offlineTrainings.attachment} is not null`,
			orgName: organizations.name,
			attendees: sql<number>`(select count(*)::int from ${offlineTrainingAttendees} where ${offlineTrainingAttendees.trainingId} = ${offlineTrainings.id})`,
		})
		.from(offlineTrainings)
		.innerJoin(organizations, eq(organizations.id, offlineTrainings.orgId))
		.where(where)
		.orderBy(descending ? desc(column) : asc(column), desc(offlineTrainings.createdAt), asc(offlineTrainings.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
	const [total] = await tx.select({ n: count() }).from(offlineTrainings).innerJoin(organizations, eq(organizations.id, offlineTrainings.orgId)).where(where)
	return { rows, total: total?.n ?? 0 }
}

/** One training of the manager's (null outside their scope), its attendees and attachment facts (not bytes). */
export async function offlineTrainingDetail(tx: DbOrTx, scope: ManagerScope, trainingId: string) {
	if (!isUuid(trainingId)) return null
	const [training] = await tx
		.select({
			id: offlineTrainings.id,
			kind: offlineTrainings.kind,
			topic: offlineTrainings.topic,
			heldOn: offlineTrainings.heldOn,
			hours: offlineTrainings.hours,
			trainer: offlineTrainings.trainer,
			attachmentName: offlineTrainings.attachmentName,
			attachmentType: offlineTrainings.attachmentType,
			attachmentBytes: sql<number | null>`octet_length(${offlineTrainings.attachment})`,
			createdAt: offlineTrainings.createdAt,
			orgName: organizations.name,
			orgPath: organizations.path,
			recordedByName: recorders.name,
		})
		.from(offlineTrainings)
		.innerJoin(organizations, eq(organizations.id, offlineTrainings.orgId))
		.leftJoin(recorders, eq(recorders.id, offlineTrainings.recordedBy))
		.where(and(eq(offlineTrainings.id, trainingId), managedOrgs(scope)))
	if (!training || !scopeHasPath(scope, training.orgPath)) return null
	const attendees = await tx
		.select({ id: people.id, name: people.name, position: people.position, category: people.category })
		.from(offlineTrainingAttendees)
		.innerJoin(people, eq(people.id, offlineTrainingAttendees.personId))
		.where(eq(offlineTrainingAttendees.trainingId, training.id))
		.orderBy(asc(people.name), asc(people.id))
	return { training, attendees }
}

/** The attachment of a training of the manager's, or null (no such training, out of scope, or none attached). */
export async function offlineAttachment(tx: DbOrTx, scope: ManagerScope, trainingId: string) {
	if (!isUuid(trainingId)) return null
	const [row] = await tx
		.select({ name: offlineTrainings.attachmentName, type: offlineTrainings.attachmentType, bytes: offlineTrainings.attachment, orgPath: organizations.path })
		.from(offlineTrainings)
		.innerJoin(organizations, eq(organizations.id, offlineTrainings.orgId))
		.where(and(eq(offlineTrainings.id, trainingId), managedOrgs(scope)))
	if (!row || !scopeHasPath(scope, row.orgPath) || !row.bytes) return null
	// The type was set from the file's own bytes when it was saved; check again rather than trust the column.
	const type = attachmentTypeOf(row.bytes)
	if (!type) return null
	return { name: row.name ?? `签到表`, type, bytes: row.bytes }
}
