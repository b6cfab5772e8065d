import { count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { auditLog, offlineTrainingAttendees, offlineTrainings, people } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { MAX_ATTACHMENT_BYTES } from '#app/records/offline.ts'
import { db } from '#app/utils/db.server.ts'
import * as attachmentRoute from '#app/routes/trainings.$trainingId.attachment.ts'
import * as trainingPage from '#app/routes/trainings.$trainingId.tsx'
import * as trainingsList from '#app/routes/trainings._index.tsx'
import * as trainingsNew from '#app/routes/trainings.new.tsx'
import { expectSignInRedirect, formData, load, orgByCode, personByPhone, signedIn, submit, type Outcome } from '#tests/fixtures/requests.ts'
import { addDays, chinaDay } from '#app/utils/days.ts'

// 线下培训 records through the real routes: a record with its attendees and a sign-in sheet, the
// attachment's type read from its bytes, its size limit, the attachment served only within scope,
// and records that cannot be changed once saved.

type Auth = Awaited<ReturnType<typeof signedIn>>
let sysAdmin: Auth
let coalAdmin: Auth
let regulator: Auth
let worker: Auth
let coal: { id: string }
let chem: { id: string }
let coalPeople: string[]
let chemPeople: string[]

const today = () => chinaDay(new Date())

// A PNG signature followed by arbitrary bytes: enough for a type read from the first bytes.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 200 }, (_, i) => i % 256)])
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n')

function multipart(fields: Record<string, string | string[]>, file?: { bytes: Uint8Array; name: string; type: string }) {
	const body = formData(fields)
	body.append('attachment', file ? new File([new Uint8Array(file.bytes)], file.name, { type: file.type }) : new File([], '', { type: 'application/octet-stream' }))
	return body
}

const recordVia = (body: FormData, who: Auth) => submit(trainingsNew, '/trainings/new', body, who)
const attachmentOf = (id: string, who: Auth | null, query = '') => load(attachmentRoute, `/trainings/${id}/attachment${query}`, who, { trainingId: id })

function trainingIdFrom(outcome: Outcome) {
	expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
	const location = outcome.headers.get('Location')!
	expect(location).toMatch(/^\/trainings\/[0-9a-f-]{36}\?saved=1$/)
	return location.split('/')[2]!.split('?')[0]!
}

async function counts() {
	const n = async (table: typeof offlineTrainings | typeof offlineTrainingAttendees | typeof auditLog) => (await db.select({ n: count() }).from(table))[0]!.n
	return { trainings: await n(offlineTrainings), attendees: await n(offlineTrainingAttendees), audit: await n(auditLog) }
}

const drill = () => ({ orgId: coal.id, kind: 'drill', topic: '井下透水事故应急演练', heldOn: addDays(today(), -1), hours: '1.5', trainer: '通风区 王队长', personIds: coalPeople.slice(0, 3) })

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	sysAdmin = await signedIn('13900000000')
	regulator = await signedIn('13900000001')
	coalAdmin = await signedIn('13900000003')
	worker = await signedIn('13900000010')
	coal = await orgByCode('demo-coal')
	chem = await orgByCode('demo-chem')
	coalPeople = (await db.select({ id: people.id }).from(people).where(eq(people.orgId, coal.id))).map((r) => r.id)
	chemPeople = (await db.select({ id: people.id }).from(people).where(eq(people.orgId, chem.id))).map((r) => r.id)
})

describe('recording a training', () => {
	test('with attendees and a sign-in sheet: one record, its attendees, the file as sent, an audit entry', async () => {
		const before = await counts()
		const id = trainingIdFrom(await recordVia(multipart(drill(), { bytes: PNG, name: 'C:\\照片\\签到表.png', type: 'image/png' }), coalAdmin))
		const [row] = await db.select().from(offlineTrainings).where(eq(offlineTrainings.id, id))
		expect(row).toMatchObject({ orgId: coal.id, kind: 'drill', topic: '井下透水事故应急演练', heldOn: addDays(today(), -1), hours: 1.5, trainer: '通风区 王队长', recordedBy: coalAdmin.personId, attachmentType: 'image/png', attachmentName: '签到表.png' })
		expect(new Uint8Array(row!.attachment!)).toEqual(PNG)
		const attendees = await db.select({ personId: offlineTrainingAttendees.personId }).from(offlineTrainingAttendees).where(eq(offlineTrainingAttendees.trainingId, id))
		expect(attendees.map((a) => a.personId).sort()).toEqual(coalPeople.slice(0, 3).sort())
		const [audit] = await db.select().from(auditLog).where(eq(auditLog.targetId, id))
		expect(audit).toMatchObject({ action: 'offline_training.create', actorId: coalAdmin.personId, orgId: coal.id })
		expect(audit!.detail).toMatchObject({ kind: 'drill', attendees: 3, hours: 1.5, attachment: { type: 'image/png', bytes: PNG.byteLength } })
		expect(await counts()).toEqual({ trainings: before.trainings + 1, attendees: before.attendees + 3, audit: before.audit + 1 })

		const page = await load(trainingPage, `/trainings/${id}`, coalAdmin, { trainingId: id })
		expect(page.status).toBe(200)
		expect(page.data.training).toMatchObject({ kind: '应急演练', hours: '1.5', attachment: { name: '签到表.png', isImage: true } })
		expect(page.data.attendees).toHaveLength(3)
		const list = await load(trainingsList, '/trainings?kind=drill', coalAdmin)
		expect(list.data.rows.find((r: { id: string }) => r.id === id)).toMatchObject({ kind: '应急演练', attendees: 3, hasAttachment: true })
	})

	test('without a file, from a form with an empty file input', async () => {
		const id = trainingIdFrom(await recordVia(multipart({ ...drill(), kind: 'pre_shift', topic: '班前会：雨季防汛', hours: '0.5' }), coalAdmin))
		const [row] = await db.select().from(offlineTrainings).where(eq(offlineTrainings.id, id))
		expect(row).toMatchObject({ kind: 'pre_shift', hours: 0.5, attachment: null, attachmentType: null })
		expect((await attachmentOf(id, coalAdmin)).status).toBe(404)
	})

	test('a file that is not JPEG, PNG or PDF is refused by its bytes, whatever its name and type say; nothing is written', async () => {
		const before = await counts()
		const html = new TextEncoder().encode('<html><script>alert(1)</script></html>')
		const outcome = await recordVia(multipart(drill(), { bytes: html, name: '签到表.jpg', type: 'image/jpeg' }), coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.attachment).toBe('附件只能是 JPG、PNG 照片或 PDF 文件')
		// What was typed comes back.
		expect(outcome.data.values).toMatchObject({ topic: '井下透水事故应急演练', hours: '1.5', personIds: coalPeople.slice(0, 3) })
		expect(await counts()).toEqual(before)
	})

	test('a file over 5 MB is refused with the other fields kept; nothing is written', async () => {
		const before = await counts()
		const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1)
		big.set([0xff, 0xd8, 0xff, 0xe0])
		const outcome = await recordVia(multipart(drill(), { bytes: big, name: 'big.jpg', type: 'image/jpeg' }), coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.attachment).toBe('附件不能超过 5 MB，请压缩照片后重新选择')
		expect(outcome.data.values.topic).toBe('井下透水事故应急演练')
		expect(await counts()).toEqual(before)
	})

	test('bad fields, a future day and attendees of another enterprise are refused; nothing is written', async () => {
		const before = await counts()
		let outcome = await recordVia(multipart({ ...drill(), hours: '1.25', kind: 'party', topic: '' }), coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors).toMatchObject({ hours: '学时请填写数字，最多一位小数，例如 2 或 0.5', kind: '请选择培训形式', topic: '请填写培训主题' })
		outcome = await recordVia(multipart({ ...drill(), hours: '0' }), coalAdmin)
		expect(outcome.data.errors.hours).toBe('学时应在 0.1 到 200 之间')
		outcome = await recordVia(multipart({ ...drill(), heldOn: addDays(today(), 1) }), coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.heldOn).toBe('培训日期不能晚于今天：只能记录已经举办的培训')
		outcome = await recordVia(multipart({ ...drill(), personIds: [coalPeople[0]!, chemPeople[0]!] }), coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.personIds).toBe('名单中有 1 人不属于示范煤业有限公司')
		outcome = await recordVia(multipart({ ...drill(), personIds: [] }), coalAdmin)
		expect(outcome.data.errors.personIds).toBe('请勾选参加培训的人员')
		expect(await counts()).toEqual(before)
	})
})

describe('scope', () => {
	test('the attachment is served with its real type, a disposition and nosniff, to the enterprise’s managers only', async () => {
		const coalTraining = trainingIdFrom(await recordVia(multipart(drill(), { bytes: PDF, name: '签到表 三月.pdf', type: 'application/octet-stream' }), coalAdmin))
		const chemTraining = trainingIdFrom(
			await recordVia(multipart({ ...drill(), orgId: chem.id, topic: '化工厂区应急演练', personIds: chemPeople.slice(0, 2) }, { bytes: PNG, name: 'chem.png', type: 'image/png' }), sysAdmin),
		)

		const inline = await attachmentOf(coalTraining, coalAdmin)
		expect(inline.status).toBe(200)
		expect(inline.headers.get('Content-Type')).toBe('application/pdf')
		expect(inline.headers.get('X-Content-Type-Options')).toBe('nosniff')
		expect(inline.headers.get('Content-Disposition')).toBe(`inline; filename="sign-in-sheet.pdf"; filename*=UTF-8''${encodeURIComponent('签到表 三月.pdf')}`)
		expect(inline.data).toBe(new TextDecoder().decode(PDF))
		const download = await attachmentOf(coalTraining, coalAdmin, '?download=1')
		expect(download.headers.get('Content-Disposition')).toMatch(/^attachment; /)

		// Another enterprise's training: as if it did not exist.
		expect((await attachmentOf(chemTraining, coalAdmin)).status).toBe(404)
		expect((await load(trainingPage, `/trainings/${chemTraining}`, coalAdmin, { trainingId: chemTraining })).status).toBe(404)
		const list = await load(trainingsList, '/trainings', coalAdmin)
		expect(list.data.rows.some((r: { id: string }) => r.id === chemTraining)).toBe(false)
		expect((await attachmentOf(chemTraining, sysAdmin)).headers.get('Content-Type')).toBe('image/png')
		// Workers (even attendees) and regulators do not manage training records.
		const attendee = await personByPhone('13900000010')
		expect(coalPeople.slice(0, 3)).toContain(attendee.id)
		for (const who of [worker, regulator]) {
			expect((await attachmentOf(coalTraining, who)).status).toBe(403)
			expect((await load(trainingsList, '/trainings', who)).status).toBe(403)
		}
		expectSignInRedirect(await attachmentOf(coalTraining, null), `/trainings/${coalTraining}/attachment`)
		expect((await attachmentOf('not-a-uuid', coalAdmin)).status).toBe(404)
	})

	test('a manager of 示范煤业 cannot record a training for 示范化工; nothing is written', async () => {
		const before = await counts()
		const outcome = await recordVia(multipart({ ...drill(), orgId: chem.id, personIds: chemPeople.slice(0, 2) }), coalAdmin)
		expect(outcome.status).toBe(404)
		expect((await load(trainingsNew, `/trainings/new?orgId=${chem.id}`, coalAdmin)).status).toBe(404)
		expect(await counts()).toEqual(before)
	})
})

describe('records cannot be changed', () => {
	test('no route changes or deletes a saved record: the pages have no action, and posting the form again adds a new record', async () => {
		const id = trainingIdFrom(await recordVia(multipart(drill(), { bytes: PNG, name: 'a.png', type: 'image/png' }), coalAdmin))
		const snapshot = async () => JSON.stringify(await db.select().from(offlineTrainings).where(eq(offlineTrainings.id, id))) + JSON.stringify(await db.select().from(offlineTrainingAttendees).where(eq(offlineTrainingAttendees.trainingId, id)))
		const before = await snapshot()
		// Remix answers a POST to a route without an action with 405.
		expect('action' in trainingPage).toBe(false)
		expect('action' in attachmentRoute).toBe(false)
		// An id smuggled into the form is ignored: the post makes a new record and leaves this one alone.
		const again = trainingIdFrom(await recordVia(multipart({ ...drill(), id, trainingId: id, topic: '改过的主题', personIds: [coalPeople[5]!] }), coalAdmin))
		expect(again).not.toBe(id)
		expect(await snapshot()).toBe(before)
		const page = await load(trainingPage, `/trainings/${id}`, coalAdmin, { trainingId: id })
		expect(page.data.training.topic).toBe('井下透水事故应急演练')
	})
})
