import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, asc, count, eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { attemptQuestions, auditLog, certificates, examAssignees, exams, examTemplates, organizations, people, questionVersions, roleAssignments } from '#db/schema.ts'
import type { Answer } from '#db/schema/bank.ts'
import { OPTION_LETTERS } from '#app/bank/question-file.ts'
import { certificatesOfPerson, listCertificates, verifyCertificate } from '#app/certificates/certificates.server.ts'
import { certificateKey, issueCertificateFor } from '#app/certificates/issue.server.ts'
import { newSerial, verifySerial } from '#app/certificates/serial.ts'
import { dataScopeOf } from '#app/auth/scope.ts'
import { loadSessionUser } from '#app/auth/auth.server.ts'
import { createSession } from '#app/auth/session.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { saveAnswer, startAttempt, submitAttempt } from '#app/exams/attempts.server.ts'
import { toShownLetters } from '#app/exams/grading.ts'
import { decryptPii } from '#app/people/pii.server.ts'
import { db, type Db } from '#app/utils/db.server.ts'
import * as certificateRoute from '#app/routes/certificates.$certificateId._index.tsx'
import * as listRoute from '#app/routes/certificates._index.tsx'
import * as pdfRoute from '#app/routes/certificates.$certificateId.pdf.ts'
import * as verifyRoute from '#app/routes/verify.$serial.tsx'
import * as verifyFormRoute from '#app/routes/verify._index.tsx'
import { pdfFonts, pdfText, qrCodeOf } from '#tests/fixtures/pdf.ts'
import { cookieFor, get, load, ORIGIN, orgIdByCode, peopleIdsOfOrg, run, signedIn, submit, context } from '#tests/fixtures/requests.ts'
import { addMonths, chinaDay } from '#app/utils/days.ts'

// Certificates (合格证): issued in the transaction that grades a passed attempt of a
// certificate-issuing exam, printed as a PDF (text, embedded subset font, a QR code that decodes
// to the verification address), verified publicly by serial (valid, expired, revoked, 查无此证 —
// a guessed serial without touching the database), revoked by the holder's managers only.

// The signing key, unless the test set-up already gives one.
process.env.CERTIFICATE_KEY ??= 'test-certificate-key-00000000000000000000'

const WORKER = '13900000010' // 李大山, 示范煤业, coal_underground
const CHEM_WORKER = '13900000011' // 周小龙, 示范化工
const COAL_ADMIN = '13900000003' // 赵立新, enterprise_admin of 示范煤业
const TOWNSHIP_REGULATOR = '13900000002' // 陈海涛, 东山乡 (示范煤业 is there)

type Auth = { token: string; personId: string }
let worker: Auth
let chem: Auth
let coalAdmin: Auth
let regulator: Auth
let chemAdmin: Auth // an enterprise_admin of 示范化工: another enterprise
let coalExamId: string
let chemExamId: string
let coalTemplateId: string
let pdfDir: string
// The certificate this file issues to 李大山 (the demo data may have issued others).
let issuedId: string
let expiredSerial: string

async function examOf(personId: string) {
	const [row] = await db.select({ id: exams.id, templateId: exams.templateId }).from(examAssignees).innerJoin(exams, eq(exams.id, examAssignees.examId)).where(eq(examAssignees.personId, personId))
	if (!row) throw new Error('the demo data gives this person no exam')
	return row
}

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	worker = await signedIn(WORKER)
	chem = await signedIn(CHEM_WORKER)
	coalAdmin = await signedIn(COAL_ADMIN)
	regulator = await signedIn(TOWNSHIP_REGULATOR)
	// Someone of 示范化工 made its enterprise_admin, with a password so a session resolves.
	const chemPersonId = (await peopleIdsOfOrg('demo-chem')).find((id) => id !== chem.personId)!
	await db.update(people).set({ passwordHash: 'not-used-here' }).where(eq(people.id, chemPersonId))
	await db.insert(roleAssignments).values({ personId: chemPersonId, role: 'enterprise_admin', orgId: await orgIdByCode('demo-chem') })
	chemAdmin = { token: (await createSession(chemPersonId)).token, personId: chemPersonId }

	const coal = await examOf(worker.personId)
	const chemExam = await examOf(chem.personId)
	coalExamId = coal.id
	coalTemplateId = coal.templateId
	chemExamId = chemExam.id
	// Both demo exams now issue a certificate valid for 12 months.
	await db.update(examTemplates).set({ issuesCertificate: true, certificateValidMonths: 12 }).where(eq(examTemplates.id, coal.templateId))
	await db.update(examTemplates).set({ issuesCertificate: true, certificateValidMonths: 12 }).where(eq(examTemplates.id, chemExam.templateId))
	pdfDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certificates-test-'))
})

afterAll(() => {
	if (pdfDir) fs.rmSync(pdfDir, { recursive: true, force: true })
})

// ---- taking an exam ----------------------------------------------------------------------------

/** The right and a wrong answer of every question of an attempt, as its taker saw the options. */
async function keyOf(attemptId: string) {
	const rows = await db
		.select({ position: attemptQuestions.position, optionOrder: attemptQuestions.optionOrder, answer: questionVersions.answer })
		.from(attemptQuestions)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
		.where(eq(attemptQuestions.attemptId, attemptId))
		.orderBy(asc(attemptQuestions.position))
	return rows.map((r) => {
		const right: Answer = typeof r.answer === 'string' ? toShownLetters(r.answer, r.optionOrder) : r.answer
		const wrong: Answer = typeof right === 'boolean' ? !right : [...OPTION_LETTERS.slice(0, r.optionOrder.length)].find((l) => !right.includes(l))!
		return { position: r.position, right, wrong }
	})
}

/** Starts an attempt, answers every question right (or wrong) and submits it. */
async function takeExam(examId: string, personId: string, answerRight: boolean, now = new Date()) {
	const attemptId = await startAttempt(db, examId, personId, now)
	for (const q of await keyOf(attemptId)) {
		await saveAnswer(db, { attemptId, personId, position: q.position, answer: answerRight ? q.right : q.wrong, clientSeq: 1 }, now)
	}
	const closed = await submitAttempt(db, attemptId, 'person', now)
	return closed!
}

async function certificatesOf(personId: string) {
	return db.select().from(certificates).where(eq(certificates.personId, personId)).orderBy(asc(certificates.issuedAt))
}

/** Serials of the certificates held by people of these organisations (and below), from the table. */
async function serialsUnder(orgCode: string) {
	const [org] = await db.select().from(organizations).where(eq(organizations.code, orgCode))
	const rows = await db
		.select({ serial: certificates.serial })
		.from(certificates)
		.innerJoin(people, eq(people.id, certificates.personId))
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(like(organizations.path, `${org!.path}%`))
	return rows.map((r) => r.serial).sort()
}

/** A template like the demo coal one, and an exam of it for these people, inserted directly. */
async function makeExam(personIds: string[], options: { issuesCertificate: boolean; certificateValidMonths?: number | null; opensAt: Date; closesAt: Date }) {
	const [coal] = await db.select().from(examTemplates).where(eq(examTemplates.id, coalTemplateId))
	const templateId = randomUUID()
	await db.insert(examTemplates).values({
		id: templateId,
		title: '测试发证规则',
		purpose: 'pre_job',
		jobTypes: coal!.jobTypes,
		timeLimitMinutes: 45,
		passMark: 80,
		attemptsAllowed: 1,
		rules: coal!.rules,
		issuesCertificate: options.issuesCertificate,
		certificateValidMonths: options.certificateValidMonths ?? null,
	})
	const examId = randomUUID()
	await db.insert(exams).values({ id: examId, templateId, title: '测试发证考试', opensAt: options.opensAt, closesAt: options.closesAt })
	await db.insert(examAssignees).values(personIds.map((personId) => ({ examId, personId })))
	return examId
}

const downloadPdf = (certificateId: string, auth: Auth | null) => load(pdfRoute, `/certificates/${certificateId}/pdf`, auth, { certificateId })

/** The PDF route's response body as a file (run() reads bodies as text, which would spoil a PDF). */
async function pdfFile(certificateId: string, auth: Auth) {
	const response = (await pdfRoute.loader({ request: get(`/certificates/${certificateId}/pdf`, auth), params: { certificateId }, context })) as Response
	expect(response.status).toBe(200)
	expect(response.headers.get('Content-Type')).toBe('application/pdf')
	const bytes = Buffer.from(await response.arrayBuffer())
	const file = path.join(pdfDir, `${randomUUID()}.pdf`)
	fs.writeFileSync(file, bytes)
	return { file, bytes }
}

const verify = (serial: string) => load(verifyRoute, `/verify/${encodeURIComponent(serial)}`, null, { serial })

// ---- the tests ----------------------------------------------------------------------------------

describe('issuing', () => {
	test('failing a certificate-issuing exam issues none; passing issues exactly one, with its snapshot', async () => {
		const chemBefore = await certificatesOf(chem.personId)
		const failed = await takeExam(chemExamId, chem.personId, false)
		expect(failed.passed).toBe(false)
		expect(await certificatesOf(chem.personId)).toEqual(chemBefore)

		const before = await certificatesOf(worker.personId)
		const now = new Date()
		const passed = await takeExam(coalExamId, worker.personId, true, now)
		expect(passed).toMatchObject({ status: 'submitted', passed: true, score: 100 })
		const issued = (await certificatesOf(worker.personId)).filter((x) => !before.some((b) => b.id === x.id))
		expect(issued).toHaveLength(1)
		const [c] = issued as [typeof certificates.$inferSelect]
		issuedId = c.id
		const [holder] = await db.select().from(people).where(eq(people.id, worker.personId))
		const idNumber = decryptPii(holder!.idNumberEnc!)
		expect(c).toMatchObject({
			attemptId: passed.id,
			templateId: coalTemplateId,
			title: '岗前安全培训合格证',
			holderName: '李大山',
			holderIdMasked: `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`,
			jobTypeNames: ['煤矿井下作业人员'],
			orgName: '示范煤业有限公司',
			score: 100,
			maxScore: 100,
			expiresOn: addMonths(chinaDay(now), 12),
			revokedAt: null,
		})
		const [exam] = await db.select().from(exams).where(eq(exams.id, coalExamId))
		expect(c.examTitle).toBe(exam!.title)
		expect(c.issuedAt.getTime()).toBe(now.getTime())
		expect(verifySerial(c.serial, certificateKey())).toBe(c.serial)
		expect(c.serial.startsWith(`AQ${chinaDay(now).slice(0, 4)}-`)).toBe(true)
		const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, 'certificate.issue'), eq(auditLog.targetId, c.id)))
		expect(audit).toHaveLength(1)
		expect(JSON.stringify(audit[0]!.detail)).not.toContain(idNumber)

		// Idempotent: submitting again or issuing again for the same attempt changes nothing.
		await submitAttempt(db, passed.id, 'person', new Date())
		const [template] = await db.select().from(examTemplates).where(eq(examTemplates.id, coalTemplateId))
		const again = await issueCertificateFor(db, passed, template!, new Date())
		expect(again!.id).toBe(c.id)
		expect(await certificatesOf(worker.personId)).toHaveLength(before.length + 1)

		// The worker's own list: newest first, so this one leads.
		const mine = await certificatesOfPerson(db, worker.personId)
		expect(mine).toHaveLength(before.length + 1)
		expect(mine[0]).toEqual(expect.objectContaining({ id: c.id, serial: c.serial, status: 'valid', issuedOn: chinaDay(now) }))
		expect((await certificatesOfPerson(db, chem.personId)).map((x) => x.id)).toEqual(chemBefore.map((x) => x.id).reverse())
	})

	test('passing an exam whose template issues no certificate issues none', async () => {
		const others = (await peopleIdsOfOrg('demo-coal')).filter((id) => id !== worker.personId)
		const personId = others[0]!
		const now = new Date()
		const examId = await makeExam([personId], { issuesCertificate: false, opensAt: new Date(now.getTime() - 3600_000), closesAt: new Date(now.getTime() + 3600_000) })
		const before = await certificatesOf(personId)
		const passed = await takeExam(examId, personId, true, now)
		expect(passed.passed).toBe(true)
		expect(await certificatesOf(personId)).toEqual(before)
	})
})

async function theCertificate() {
	if (!issuedId) throw new Error('no certificate issued yet')
	const [c] = await db.select().from(certificates).where(eq(certificates.id, issuedId))
	return c!
}

describe('the PDF', () => {
	test('has the holder’s name and the serial as text, an embedded subset font, and a QR code of the verification address', async () => {
		const c = await theCertificate()
		const { file, bytes } = await pdfFile(c.id, worker)
		expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
		expect(bytes.length).toBeLessThan(200 * 1024)

		const text = pdfText(file)
		expect(text).toContain('李大山')
		expect(text).toContain(c.serial)
		expect(text).toContain('岗前安全培训合格证')
		expect(text).toContain(c.holderIdMasked)
		expect(text).toContain('煤矿井下作业人员')
		expect(text).toContain('示范煤业有限公司')
		const [holder] = await db.select().from(people).where(eq(people.id, worker.personId))
		expect(text).not.toContain(decryptPii(holder!.idNumberEnc!))

		const fonts = pdfFonts(file)
		expect(fonts.length).toBeGreaterThan(0)
		for (const font of fonts) {
			expect(font.name).toMatch(/^[A-Z]{6}\+NotoSansSC-/)
			expect(font.emb, font.name).toBe('yes')
			expect(font.sub, font.name).toBe('yes')
		}

		expect(qrCodeOf(file)).toBe(`${ORIGIN}/verify/${c.serial}`)
	})

	test('the QR code follows the address the request came to', async () => {
		const c = await theCertificate()
		const request = new Request(`https://anquan.example.cn/certificates/${c.id}/pdf`, { headers: { Cookie: cookieFor(worker.token) } })
		const response = (await pdfRoute.loader({ request, params: { certificateId: c.id }, context })) as Response
		const file = path.join(pdfDir, 'other-origin.pdf')
		fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()))
		expect(qrCodeOf(file)).toBe(`https://anquan.example.cn/verify/${c.serial}`)
	})

	test('the holder and managers whose scope includes the holder may download it; nobody else', async () => {
		const c = await theCertificate()
		for (const auth of [worker, coalAdmin, regulator]) expect((await downloadPdf(c.id, auth)).status).toBe(200)
		for (const auth of [chem, chemAdmin]) expect((await downloadPdf(c.id, auth)).status).toBe(404)
		const anonymous = await downloadPdf(c.id, null)
		expect(anonymous.status).toBe(302)
		expect(anonymous.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
		// Ids that are no certificate, or no id at all.
		expect((await downloadPdf(randomUUID(), coalAdmin)).status).toBe(404)
		expect((await downloadPdf('not-an-id', coalAdmin)).status).toBe(404)
	})
})

describe('public verification', () => {
	test('a real serial says 有效 with the masked name, job type, title and dates — nothing more', async () => {
		const c = await theCertificate()
		const page = await verify(c.serial)
		expect(page.status).toBe(200)
		expect(page.headers.get('Cache-Control')).toBe('no-store')
		expect(page.data).toEqual({
			found: true,
			serial: c.serial,
			status: 'valid',
			title: '岗前安全培训合格证',
			holderNameMasked: '李*山',
			jobTypeNames: ['煤矿井下作业人员'],
			issuedOn: chinaDay(c.issuedAt),
			expiresOn: c.expiresOn,
			revokedOn: null,
			revokedReason: null,
		})
		const shown = JSON.stringify(page.data)
		expect(shown).not.toContain('李大山')
		expect(shown).not.toContain(c.holderIdMasked)
		expect(shown).not.toContain('示范煤业')
		// Typed in lower case without dashes: the same certificate.
		const typed = await verify(c.serial.toLowerCase().replaceAll('-', ''))
		expect(typed.data).toMatchObject({ found: true, serial: c.serial, status: 'valid' })
	})

	test('a guessed or altered serial is 查无此证, decided without the database', async () => {
		const c = await theCertificate()
		const last = c.serial.at(-1)!
		const altered = c.serial.slice(0, -1) + (last === 'Z' ? 'Y' : 'Z')
		for (const serial of [altered, 'AQ2026-00000000-000000', 'not-a-serial', '']) {
			const page = await verify(serial)
			expect(page.status, serial).toBe(404)
			expect(page.data.found, serial).toBe(false)
		}
		// Proof that no query runs: a "database" that fails on any use is never touched for a badly
		// signed serial, and is touched for a well-signed one.
		const noDatabase = new Proxy({} as Db, {
			get() {
				throw new Error('the database was used')
			},
		})
		expect(await verifyCertificate(noDatabase, altered)).toEqual({ found: false, serial: altered })
		expect(await verifyCertificate(noDatabase, 'AQ2026-ABCDEFGH-JKMNPQ')).toMatchObject({ found: false })
		await expect(verifyCertificate(noDatabase, c.serial)).rejects.toThrow('the database was used')
		// A well-signed serial that was never issued is looked up, and not found.
		const unissued = newSerial(certificateKey(), 2026)
		const page = await verify(unissued)
		expect(page.status).toBe(404)
		expect(page.data).toEqual({ found: false, serial: unissued })
	})

	test('/verify sends a typed serial on to its page, and says what is wrong with a malformed one', async () => {
		const c = await theCertificate()
		const typed = await load(verifyFormRoute, `/verify?serial=${encodeURIComponent(` ${c.serial.toLowerCase()} `)}`)
		expect(typed.status).toBe(302)
		expect(typed.headers.get('Location')).toBe(`/verify/${c.serial}`)
		const empty = await load(verifyFormRoute, '/verify?serial=')
		expect(empty.status).toBe(400)
		expect(empty.data.error).toMatch(/请输入证书编号/)
		const malformed = await load(verifyFormRoute, '/verify?serial=AQ12345')
		expect(malformed.status).toBe(400)
		expect(malformed.data.error).toMatch(/格式不对/)
		const blank = await load(verifyFormRoute, '/verify')
		expect(blank.status).toBe(200)
		expect(blank.data.error).toBeUndefined()
	})

	test('a certificate past its expiry day says 已过期', async () => {
		const others = (await peopleIdsOfOrg('demo-coal')).filter((id) => id !== worker.personId)
		const personId = others[1]!
		const then = new Date('2024-01-10T02:00:00Z')
		const examId = await makeExam([personId], { issuesCertificate: true, certificateValidMonths: 1, opensAt: new Date('2024-01-01T00:00:00Z'), closesAt: new Date('2024-02-01T00:00:00Z') })
		const passed = await takeExam(examId, personId, true, then)
		expect(passed.passed).toBe(true)
		const [c] = await db.select().from(certificates).where(eq(certificates.attemptId, passed.id))
		expiredSerial = c!.serial
		expect(c).toMatchObject({ expiresOn: '2024-02-10', title: '岗前安全培训合格证' })
		expect(c!.serial.startsWith('AQ2024-')).toBe(true)
		const page = await verify(c!.serial)
		expect(page.status).toBe(200)
		expect(page.data).toMatchObject({ found: true, status: 'expired', expiresOn: '2024-02-10' })
		// Verified on a day before its expiry, it was valid.
		expect(await verifyCertificate(db, c!.serial, new Date('2024-02-10T12:00:00Z'))).toMatchObject({ status: 'valid' })
	})
})

describe('revocation', () => {
	const revoke = (id: string, reason: string | undefined, auth: Auth) => submit(certificateRoute, `/certificates/${id}`, { reason }, auth, { certificateId: id })
	const revokedCount = async () => (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'certificate.revoke')))[0]!.n

	test('the holder sees the page without a 撤销 form; the enterprise_admin sees it with one; other enterprises get 404', async () => {
		const c = await theCertificate()
		const own = await load(certificateRoute, `/certificates/${c.id}`, worker, { certificateId: c.id })
		expect(own.status).toBe(200)
		expect(own.data).toMatchObject({ isHolder: true, canRevoke: false, certificate: { serial: c.serial, holderName: '李大山', status: 'valid' } })
		const managed = await load(certificateRoute, `/certificates/${c.id}`, coalAdmin, { certificateId: c.id })
		expect(managed.data).toMatchObject({ isHolder: false, canRevoke: true })
		const regulated = await load(certificateRoute, `/certificates/${c.id}`, regulator, { certificateId: c.id })
		expect(regulated.data).toMatchObject({ canRevoke: false })
		for (const auth of [chem, chemAdmin]) expect((await load(certificateRoute, `/certificates/${c.id}`, auth, { certificateId: c.id })).status).toBe(404)
	})

	test('a worker, a regulator and another enterprise’s manager cannot revoke; a reason is required', async () => {
		const c = await theCertificate()
		const before = await revokedCount()
		expect((await revoke(c.id, '测试撤销', worker)).status).toBe(403)
		expect((await revoke(c.id, '测试撤销', regulator)).status).toBe(403)
		expect((await revoke(c.id, '测试撤销', chemAdmin)).status).toBe(404)
		expect((await revoke(c.id, '测试撤销', chem)).status).toBe(404)
		const noReason = await revoke(c.id, undefined, coalAdmin)
		expect(noReason.status).toBe(400)
		expect(noReason.data.errors.reason).toMatch(/撤销原因/)
		const blank = await revoke(c.id, '   ', coalAdmin)
		expect(blank.status).toBe(400)
		expect((await theCertificate()).revokedAt).toBeNull()
		expect(await revokedCount()).toBe(before)
		expect((await verify(c.serial)).data.status).toBe('valid')
	})

	test('the enterprise_admin revokes with a reason: written with its audit entry, and verification says 已撤销', async () => {
		const c = await theCertificate()
		const done = await revoke(c.id, '考试存在替考行为', coalAdmin)
		expect(done.status).toBe(302)
		expect(done.headers.get('Location')).toBe(`/certificates/${c.id}`)
		const after = await theCertificate()
		expect(after.revokedAt).not.toBeNull()
		expect(after).toMatchObject({ revokedReason: '考试存在替考行为', revokedBy: coalAdmin.personId })
		const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, 'certificate.revoke'), eq(auditLog.targetId, c.id)))
		expect(audit).toHaveLength(1)
		expect(audit[0]).toMatchObject({ actorId: coalAdmin.personId, orgId: await orgIdByCode('demo-coal') })

		const page = await verify(c.serial)
		expect(page.status).toBe(200)
		expect(page.data).toMatchObject({ found: true, status: 'revoked', revokedOn: chinaDay(after.revokedAt!), revokedReason: '考试存在替考行为', holderNameMasked: '李*山' })

		// Once only; the page no longer offers the form.
		const twice = await revoke(c.id, '再次撤销', coalAdmin)
		expect(twice.status).toBe(409)
		expect(twice.data.errors.form).toMatch(/已被撤销/)
		expect((await theCertificate()).revokedReason).toBe('考试存在替考行为')
		const managed = await load(certificateRoute, `/certificates/${c.id}`, coalAdmin, { certificateId: c.id })
		expect(managed.data).toMatchObject({ canRevoke: false, certificate: { status: 'revoked', revokedReason: '考试存在替考行为', revokedByName: '赵立新' } })
		expect((await certificatesOfPerson(db, worker.personId)).find((x) => x.id === c.id)!.status).toBe('revoked')

		// The PDF says so too.
		const { file } = await pdfFile(c.id, worker)
		expect(pdfText(file)).toContain('已撤销')
	})
})

describe('the managers’ list', () => {
	const serialsOf = (outcome: { data: { rows: { serial: string }[] } }) => outcome.data.rows.map((r) => r.serial).sort()

	test('lists the certificates within the caller’s scope only, with filters', async () => {
		const c = await theCertificate()
		const coal = await serialsUnder('demo-coal')
		const chemSerials = await serialsUnder('demo-chem')
		expect(coal).toContain(c.serial)
		expect(coal).toContain(expiredSerial)
		const page = (query = '', auth: Auth = coalAdmin) => load(listRoute, `/certificates${query}`, auth)

		const list = await page('?page=1')
		expect(list.status).toBe(200)
		expect(coal.length).toBeLessThanOrEqual(20) // one page holds them all
		expect(list.data.total).toBe(coal.length)
		expect(serialsOf(list)).toEqual(coal)

		const other = await page('', chemAdmin)
		expect(other.data.total).toBe(chemSerials.length)
		expect(serialsOf(other)).not.toContain(c.serial)
		// A worker sees their own.
		const own = await page('', worker)
		expect(serialsOf(own)).toEqual((await certificatesOf(worker.personId)).map((x) => x.serial).sort())

		const revoked = await page('?status=revoked')
		expect(serialsOf(revoked)).toContain(c.serial)
		expect(revoked.data.rows.every((r: { status: string }) => r.status === 'revoked')).toBe(true)
		const expired = await page('?status=expired')
		expect(serialsOf(expired)).toContain(expiredSerial)
		expect(expired.data.rows.every((r: { status: string }) => r.status === 'expired')).toBe(true)
		const valid = await page('?status=valid')
		expect(serialsOf(valid)).not.toContain(c.serial)
		expect(serialsOf(valid)).not.toContain(expiredSerial)
		expect(valid.data.rows.every((r: { status: string }) => r.status === 'valid')).toBe(true)
		expect(valid.data.total + expired.data.total + revoked.data.total).toBe(coal.length)

		expect(serialsOf(await page(`?q=${c.serial.toLowerCase()}`))).toEqual([c.serial])
		const byName = await page(`?q=${encodeURIComponent('大山')}`)
		expect(serialsOf(byName)).toContain(c.serial)
		expect(byName.data.rows.every((r: { holderName: string }) => r.holderName.includes('大山'))).toBe(true)

		// A system admin's scope: every certificate.
		const admin = await loadSessionUser((await signedIn('13900000000')).personId)
		const all = await listCertificates(db, dataScopeOf(admin!), {}, { page: 1, pageSize: 20, sort: 'issuedAt', desc: true })
		expect(all.total).toBe((await db.select({ n: count() }).from(certificates))[0]!.n)
		expect(await run(() => listRoute.loader({ request: get('/certificates'), params: {}, context }))).toMatchObject({ status: 302 })
	})
})
