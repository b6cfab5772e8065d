import { and, count, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import {
	attempts,
	auditLog,
	certificates,
	jobTypes,
	lessonProgress,
	operationCertificates,
	people,
	roleAssignments,
	sessions,
} from '#db/schema.ts'
import { hashPassword } from '#app/auth/password.server.ts'
import { signIn } from '#app/auth/sign-in.server.ts'
import { createSession } from '#app/auth/session.server.ts'
import { loadSessionUser } from '#app/auth/auth.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { recordHeartbeat } from '#app/courses/learning.server.ts'
import { anonymisePerson } from '#app/people/anonymise.server.ts'
import { decryptPii } from '#app/people/pii.server.ts'
import { headcount } from '#app/people/stats.server.ts'
import { personFileOf } from '#app/records/person-file.server.ts'
import { personFacts } from '#app/records/person-file.ts'
import { clearanceSummary } from '#app/records/summary.server.ts'
import { db, queryRows } from '#app/utils/db.server.ts'
import { addMonths, chinaDay } from '#app/utils/days.ts'
import * as deleteRoute from '#app/routes/people.$personId.delete.tsx'
import * as editRoute from '#app/routes/people.$personId.edit.tsx'
import * as personRoute from '#app/routes/people.$personId._index.tsx'
import * as rosterRoute from '#app/routes/people._index.tsx'
import { completeCourses, newWorker, submittedAttempt, preJobTemplateOf } from '#tests/fixtures/records.ts'
import { load, orgByCode, peopleIdsOfOrg, peopleSnapshot, rowCounts, signedIn, submit } from '#tests/fixtures/requests.ts'

// 删除人员: the person is anonymised (identity gone, no sign-in), never deleted; their training
// records stay until the retention day of their category; only their enterprise's admins and
// system admins may do it. The database itself refuses to change or delete training records.

type Auth = { token: string; personId: string }
let coalAdmin: Auth
let sysAdmin: Auth
let worker: Auth
let regulator: Auth
let chemAdmin: Auth
let coalPath: string
let specialJob: string

const deletePage = (id: string, who: Auth) => load(deleteRoute, `/people/${id}/delete`, who, { personId: id })
const deletePost = (id: string, who: Auth, body: Record<string, string> = { confirm: 'yes' }) => submit(deleteRoute, `/people/${id}/delete`, body, who, { personId: id })

/** The message of a database error, through drizzle's wrapper. */
async function refusal(query: Promise<unknown>) {
	try {
		await query
	} catch (error) {
		const e = error as Error & { cause?: Error }
		return e.cause?.message ?? e.message
	}
	throw new Error('the database accepted the statement')
}

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	coalAdmin = await signedIn('13900000003')
	sysAdmin = await signedIn('13900000000')
	worker = await signedIn('13900000010')
	regulator = await signedIn('13900000002') // 东山乡, over 示范煤业
	// An enterprise_admin of 示范化工: another enterprise.
	const chemPersonId = (await peopleIdsOfOrg('demo-chem'))[0]!
	await db.update(people).set({ passwordHash: 'not-used-here' }).where(eq(people.id, chemPersonId))
	await db.insert(roleAssignments).values({ personId: chemPersonId, role: 'enterprise_admin', orgId: (await orgByCode('demo-chem')).id })
	chemAdmin = { token: (await createSession(chemPersonId)).token, personId: chemPersonId }
	coalPath = (await orgByCode('demo-coal')).path
	specialJob = (await db.select({ code: jobTypes.code }).from(jobTypes).where(eq(jobTypes.specialOperation, true)).limit(1))[0]!.code
})

describe('deleting a person', () => {
	test('anonymises their identity, ends sign-in, keeps every record, and leaves the roster', async () => {
		// A demo worker of 示范煤业 with a certificate and a 特种作业操作证 (机修焊工).
		const [holder] = await queryRows<{ id: string }>(sql`select p.id from people p join organizations o on o.id = p.org_id
			where o.code = 'demo-coal' and exists (select 1 from certificates c where c.person_id = p.id)
			and exists (select 1 from operation_certificates oc where oc.person_id = p.id) order by p.name limit 1`)
		const id = holder!.id
		const [before] = await db.select().from(people).where(eq(people.id, id))
		const phone = decryptPii(before!.phoneEnc)
		const idNumber = before!.idNumberEnc ? decryptPii(before!.idNumberEnc) : null
		expect(idNumber).toMatch(/^\d{17}[\dX]$/)
		// Give them an account, a session and a role, all of which must go.
		await db.update(people).set({ passwordHash: await hashPassword('Delete@2026-me') }).where(eq(people.id, id))
		await createSession(id)
		await db.insert(roleAssignments).values({ personId: id, role: 'content_editor', orgId: before!.orgId })
		expect((await signIn(phone, 'Delete@2026-me', '198.51.100.7')).ok).toBe(true)

		const records = async () => ({
			attempts: (await db.select({ n: count() }).from(attempts).where(eq(attempts.personId, id)))[0]!.n,
			lessons: (await db.select({ n: count() }).from(lessonProgress).where(eq(lessonProgress.personId, id)))[0]!.n,
			certificates: (await db.select({ n: count() }).from(certificates).where(eq(certificates.personId, id)))[0]!.n,
			licences: (await db.select({ n: count() }).from(operationCertificates).where(eq(operationCertificates.personId, id)))[0]!.n,
		})
		const kept = await records()
		expect(kept.attempts).toBeGreaterThan(0)
		expect(kept.lessons).toBeGreaterThan(0)
		const staffBefore = await headcount(db, coalPath)
		const summaryBefore = await clearanceSummary(coalPath)

		// The confirm step: the page says until when records are kept; posting without the box writes nothing.
		const page = await deletePage(id, coalAdmin)
		expect(page.status).toBe(200)
		expect(page.data.retainedUntil).toBe(addMonths(chinaDay(new Date()), 72))
		const [snapshot, counts] = [await peopleSnapshot(), await rowCounts()]
		const unconfirmed = await deletePost(id, coalAdmin, {})
		expect(unconfirmed.status).toBe(400)
		expect(unconfirmed.data.errors.confirm).toBe('请勾选确认后再删除')
		expect(await peopleSnapshot()).toBe(snapshot)
		expect(await rowCounts()).toEqual(counts)

		const done = await deletePost(id, coalAdmin)
		expect(done.status).toBe(302)
		expect(done.headers.get('Location')).toBe(`/people/${id}`)

		// Identity: nothing of the name, phone or 身份证号 (nor their look-up hashes) in any column.
		const [after] = await db.select().from(people).where(eq(people.id, id))
		const row = JSON.stringify(after)
		for (const secret of [before!.name, phone, idNumber!, before!.phoneHash, before!.idNumberHash!, before!.phoneEnc]) expect(row).not.toContain(secret)
		expect(after!.name).toBe('已注销人员')
		expect(decryptPii(after!.phoneEnc)).toBe('')
		// Never a phone's hash: those are base64url, without a colon.
		expect(after!.phoneHash).toBe(`anonymised:${id}`)
		expect(before!.phoneHash).not.toContain(':')
		expect(after!.idNumberEnc).toBeNull()
		expect(after!.idNumberHash).toBeNull()
		expect(after!.passwordHash).toBeNull()
		expect(after!.anonymisedAt).toBeInstanceOf(Date)
		// A 特种作业人员 (机修焊工 holds a 特种作业 job type): six years.
		expect(after!.recordsRetainedUntil).toBe(addMonths(chinaDay(new Date()), 72))

		// No sign-in, no session, no role.
		expect((await signIn(phone, 'Delete@2026-me', '198.51.100.7')).ok).toBe(false)
		expect(await loadSessionUser(id)).toBeNull()
		expect((await db.select({ n: count() }).from(sessions).where(eq(sessions.personId, id)))[0]!.n).toBe(0)
		expect((await db.select({ n: count() }).from(roleAssignments).where(eq(roleAssignments.personId, id)))[0]!.n).toBe(0)

		// Records: all still there; the certificate and licence snapshots no longer name them.
		expect(await records()).toEqual(kept)
		for (const c of await db.select().from(certificates).where(eq(certificates.personId, id))) {
			expect(c.holderName).toBe('已注销人员')
			expect(c.holderIdMasked).toBe('')
		}
		for (const l of await db.select().from(operationCertificates).where(eq(operationCertificates.personId, id))) {
			expect(decryptPii(l.numberEnc)).toMatch(/^T\d{4}\*{10}[\dX]{4}$/)
			expect(l.numberHash).toBe(`anonymised:${l.id}`)
		}
		const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'person.anonymise'), eq(auditLog.targetId, id)))
		expect(audit).toMatchObject({ actorId: coalAdmin.personId, orgId: before!.orgId })
		expect(JSON.stringify(audit!.detail)).not.toContain(phone)

		// Gone from the roster and the counts of current staff.
		const roster = await load(rosterRoute, `/people?q=${encodeURIComponent(before!.name)}`, coalAdmin)
		expect(roster.data.rows.map((r: { id: string }) => r.id)).not.toContain(id)
		const anonymousRoster = await load(rosterRoute, `/people?q=${encodeURIComponent('已注销人员')}`, coalAdmin)
		expect(anonymousRoster.data.total).toBe(0)
		expect((await headcount(db, coalPath)).total).toBe(staffBefore.total - 1)
		expect((await clearanceSummary(coalPath)).total).toBe(summaryBefore.total - 1)

		// The person page and 一人一档 still open, read-only, marked 已注销.
		const personPage = await load(personRoute, `/people/${id}`, coalAdmin, { personId: id })
		expect(personPage.status).toBe(200)
		expect(personPage.data.person.name).toBe('已注销人员')
		expect(personPage.data.canManage).toBe(false)
		// No 上岗资格 from the day of deletion: the page says why.
		expect(personPage.data.clearance.cleared).toBe(false)
		expect(personPage.data.clearance.reasons.map((r: { kind: string }) => r.kind)).toContain('deregistered')
		const file = await personFileOf(db, id, { generatedBy: '测试' })
		const facts = Object.fromEntries(personFacts(file!))
		expect(facts['人员状态']).toContain('已注销')
		expect(facts['身份证号']).toBe('未登记')
		expect(file!.records.length).toBeGreaterThan(0)
		expect(file!.certificates.length).toBe(kept.certificates)
		expect((await load(editRoute, `/people/${id}/edit`, coalAdmin, { personId: id })).status).toBe(403)
		expect((await deletePost(id, sysAdmin)).status).toBe(403)
	})

	test('keeps records 6 years for 特种作业人员, 3 for 主要负责人, 安全管理人员 and everyone else', async () => {
		const today = chinaDay(new Date())
		const cases = [
			{ category: 'special_operator' as const, jobs: [], years: 6 },
			{ category: 'general' as const, jobs: [specialJob], years: 6 },
			{ category: 'principal' as const, jobs: [], years: 3 },
			{ category: 'safety_manager' as const, jobs: [], years: 3 },
			{ category: 'general' as const, jobs: ['coal_underground'], years: 3 },
		]
		const actor = (await loadSessionUser(sysAdmin.personId))!
		for (const c of cases) {
			const id = await newWorker('demo-coal', c.jobs, { category: c.category })
			await submittedAttempt(id, await preJobTemplateOf('coal_underground'), new Date(), true)
			const result = await anonymisePerson(db, actor, id)
			expect(result, `${c.category} ${c.jobs}`).toEqual({ recordsRetainedUntil: addMonths(today, 12 * c.years) })
			const [row] = await db.select({ until: people.recordsRetainedUntil }).from(people).where(eq(people.id, id))
			expect(row!.until).toBe(addMonths(today, 12 * c.years))
			expect((await db.select({ n: count() }).from(attempts).where(eq(attempts.personId, id)))[0]!.n).toBe(1)
			// A second deletion changes nothing.
			expect(await anonymisePerson(db, actor, id)).toBeNull()
		}
	})

	test('only the enterprise’s admins and system admins may delete, and nobody themselves; refusals write nothing', async () => {
		const target = await newWorker('demo-coal', ['coal_underground'])
		const snapshot = await peopleSnapshot()
		const counts = await rowCounts()
		// Another enterprise's admin: the person is outside their scope.
		expect((await deletePage(target, chemAdmin)).status).toBe(404)
		expect((await deletePost(target, chemAdmin)).status).toBe(404)
		// The township regulator reads the person but does not manage people.
		expect((await deletePage(target, regulator)).status).toBe(403)
		expect((await deletePost(target, regulator)).status).toBe(403)
		// A worker: another person is outside their scope; their own record is not theirs to delete.
		expect((await deletePost(target, worker)).status).toBe(404)
		expect((await deletePost(worker.personId, worker)).status).toBe(403)
		// An admin cannot delete themselves.
		expect((await deletePost(coalAdmin.personId, coalAdmin)).status).toBe(403)
		expect((await deletePost('not-a-uuid', coalAdmin)).status).toBe(404)
		expect(await peopleSnapshot()).toBe(snapshot)
		expect(await rowCounts()).toEqual(counts)
		// A system admin may.
		expect((await deletePost(target, sysAdmin)).status).toBe(302)
		expect((await db.select({ at: people.anonymisedAt }).from(people).where(eq(people.id, target)))[0]!.at).toBeInstanceOf(Date)
	})
})

describe('training records are immutable in the database', () => {
	test('a submitted attempt, its answers and study time cannot be changed or deleted; nor can a person be hard-deleted', async () => {
		const id = await newWorker('demo-coal', ['coal_underground'])
		const lesson = await queryRows<{ id: string; course_id: string }>(sql`select l.id, l.course_id from lessons l order by l.id limit 1`)
		await completeCourses(id, [lesson[0]!.course_id], new Date())
		await submittedAttempt(id, await preJobTemplateOf('coal_underground'), new Date(), false)
		const [attempt] = await db.select().from(attempts).where(eq(attempts.personId, id))

		expect(await refusal(db.update(attempts).set({ score: 100, passed: true }).where(eq(attempts.id, attempt!.id)))).toContain('已交卷的考试记录不可修改')
		expect(await refusal(db.execute(sql`delete from attempts where id = ${attempt!.id}`))).toContain('培训记录不可删除')
		expect(await refusal(db.execute(sql`insert into attempt_answers (attempt_id, position, answer, client_seq, saved_at) values (${attempt!.id}, 1, '[0]'::jsonb, 99, now())`))).toContain(
			'已交卷的考试记录不可修改',
		)
		expect(await refusal(db.execute(sql`delete from lesson_progress where person_id = ${id}`))).toContain('培训记录不可删除')
		expect(await refusal(db.execute(sql`update lesson_progress set studied_seconds = 0 where person_id = ${id}`))).toContain('学时不可减少或改写')
		expect(await refusal(db.execute(sql`update lesson_progress set completed_at = null where person_id = ${id}`))).toContain('学时不可减少或改写')
		// Deleting the person would cascade to their study time: refused.
		expect(await refusal(db.execute(sql`delete from people where id = ${id}`))).toContain('培训记录不可删除')
		const [cert] = await db.select().from(certificates).limit(1)
		expect(await refusal(db.update(certificates).set({ score: 1 }).where(eq(certificates.id, cert!.id)))).toContain('证书记录不可修改')
		expect(await refusal(db.execute(sql`delete from certificates where id = ${cert!.id}`))).toContain('培训记录不可删除')

		// What the app legitimately does still works: time added, the attempt unchanged — and a
		// heartbeat after the lesson's minimum was lowered below the time already studied (its cap
		// now under the recorded time) keeps that time rather than failing.
		await db.execute(sql`update lesson_progress set studied_seconds = studied_seconds + 30 where person_id = ${id}`)
		const [progress] = await db.select().from(lessonProgress).where(and(eq(lessonProgress.personId, id), eq(lessonProgress.lessonId, lesson[0]!.id)))
		const after = await recordHeartbeat(db, id, { id: lesson[0]!.id, minMinutes: 0 }, true)
		expect(after.studiedSeconds).toBe(progress!.studiedSeconds)
		const [unchanged] = await db.select().from(attempts).where(eq(attempts.id, attempt!.id))
		expect(unchanged).toEqual(attempt)
		expect((await db.select({ n: count() }).from(people).where(eq(people.id, id)))[0]!.n).toBe(1)
	})
})
