import { and, count, eq } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, test } from 'vitest'
import { auditLog, competitionEntries, competitions, questionVersions } from '#db/schema.ts'
import type { Answer } from '#db/schema/bank.ts'
import { loadSessionUser } from '#app/auth/auth.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { DEMO_COMPETITION_SLUG } from '#app/demo/competition-demo.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { toChinaInput } from '#app/exams/exam-form.ts'
import { DUPLICATE_PHONE, type CompetitionInput } from '#app/outreach/competition-form.ts'
import { competitionScopeOf, saveCompetition, saveEntryAnswers, startEntry, submitEntry, type Competition, type Entry } from '#app/outreach/competitions.server.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as pageRoute from '#app/routes/competitions.$slug._index.tsx'
import * as editRoute from '#app/routes/competitions.$slug.edit.tsx'
import * as boardRoute from '#app/routes/competitions.$slug.leaderboard.tsx'
import * as entriesRoute from '#app/routes/competitions.$slug.manage.tsx'
import * as paperRoute from '#app/routes/competitions.$slug.paper.tsx'
import * as exportRoute from '#app/routes/competitions.$slug.results[.]xlsx.ts'
import * as listRoute from '#app/routes/competitions._index.tsx'
import * as manageRoute from '#app/routes/competitions.manage.tsx'
import * as newRoute from '#app/routes/competitions.new.tsx'
import { context, get, load, ORIGIN, orgIdByCode, run, signedIn, submit } from '#tests/fixtures/requests.ts'

// 知识竞赛 (issue 7): organisers create within their scope with the bank checked; the public
// registers (one attempt per phone), answers without ever seeing the key, and is ranked by score
// then 用时 with ties sharing a rank; late and expired entries are graded but not ranked; the
// organiser's export holds every entry in rank order and is audited.

type Auth = Awaited<ReturnType<typeof signedIn>>
let admin: Auth
let county: Auth
let dongshan: Auth
let editor: Auth
let enterprise: Auth
let worker: Auth

const MINUTE = 60_000

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	admin = await signedIn('13900000000')
	county = await signedIn('13900000001')
	dongshan = await signedIn('13900000002')
	enterprise = await signedIn('13900000003')
	editor = await signedIn('13900000004')
	worker = await signedIn('13900000010')
})

// ---- helpers ---------------------------------------------------------------------------------

/** The new-competition form as posted, with overrides. */
function form(over: Record<string, string | undefined> = {}) {
	const now = Date.now()
	return {
		title: '测试知识竞赛',
		slug: 'ceshi-jingsai',
		description: '## 规则\n\n每人一次机会。',
		opensAt: toChinaInput(new Date(now - 60 * MINUTE)),
		closesAt: toChinaInput(new Date(now + 7 * 24 * 60 * MINUTE)),
		timeLimitMinutes: '15',
		singleCount: '3',
		singlePoints: '10',
		multipleCount: '2',
		multiplePoints: '10',
		judgeCount: '2',
		judgePoints: '5',
		part: 'general',
		...over,
	}
}

let slugs = 0
/** A competition made through the domain function as the county regulator, at `now` (its window relative to it). */
async function competition(over: Partial<CompetitionInput> = {}, now = new Date()) {
	slugs++
	const input: CompetitionInput = {
		title: `竞赛 ${slugs}`,
		description: '',
		slug: `jingsai-${slugs}`,
		opensAt: new Date(now.getTime() - 60 * MINUTE),
		closesAt: new Date(now.getTime() + 24 * 60 * MINUTE),
		timeLimitMinutes: 15,
		rules: [
			{ type: 'single', count: 3, points: 10, part: 'general' },
			{ type: 'multiple', count: 2, points: 10, part: 'general' },
			{ type: 'judge', count: 2, points: 5, part: 'general' },
		],
		fixedPaper: false,
		...over,
	}
	const scope = competitionScopeOf((await loadSessionUser(county.personId))!)!
	const saved = await saveCompetition(db, scope, input, undefined, now)
	expect(saved).toEqual({ ok: true, slug: input.slug })
	return (await db.select().from(competitions).where(eq(competitions.slug, input.slug)))[0]!
}

const request = (method: 'GET' | 'POST', path: string, cookie: string | null, body?: URLSearchParams) =>
	new Request(new URL(path, ORIGIN), { method, headers: { ...(cookie ? { Cookie: cookie } : {}), ...(method === 'POST' ? { Origin: ORIGIN } : {}) }, body })

type Route = { loader?: (args: any) => unknown; action?: (args: any) => unknown }
/** A public page's GET, with this device's cookie. */
const view = (route: Route, path: string, slug: string, cookie: string | null = null) => run(() => route.loader!({ request: request('GET', path, cookie), params: { slug }, context }))
/** A public form POST; repeated keys for checkboxes. */
function post(route: Route, path: string, slug: string, fields: [string, string][], cookie: string | null = null) {
	return run(() => route.action!({ request: request('POST', path, cookie, new URLSearchParams(fields)), params: { slug }, context }))
}

const person = (name: string, phone: string, organization = '示范县某某单位'): [string, string][] => [
	['name', name],
	['phone', phone],
	['organization', organization],
]

/** Registers on the competition page; the device's cookie ("name=value") from Set-Cookie. */
async function register(c: Competition, name: string, phone: string, cookie: string | null = null) {
	const outcome = await post(pageRoute, `/competitions/${c.slug}`, c.slug, person(name, phone), cookie)
	const set = outcome.headers.get('Set-Cookie')
	return { outcome, set, cookie: set ? set.split(';')[0]! : cookie }
}

async function entryOf(c: Competition, phone: string): Promise<Entry> {
	const [row] = await db.select().from(competitionEntries).where(and(eq(competitionEntries.competitionId, c.id), eq(competitionEntries.phoneHash, phoneLookupHash(phone))))
	return row!
}

const entryCount = async () => (await db.select({ n: count() }).from(competitionEntries))[0]!.n
const competitionCount = async () => (await db.select({ n: count() }).from(competitions))[0]!.n
const auditCount = async (action: string) => (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0]!.n

/**
 * The right answer of each question as shown, worked out here from the bank's key and the option
 * order (the i-th option shown is the bank's optionOrder[i]), not with the app's grading helpers.
 */
async function keyOf(entry: Entry) {
	const out: { position: number; shown: Answer; wrong: Answer; points: number }[] = []
	for (const [i, item] of entry.paper!.entries()) {
		const [v] = await db.select().from(questionVersions).where(eq(questionVersions.id, item.versionId))
		const letters = 'ABCDEFGH'
		if (typeof v!.answer === 'boolean') out.push({ position: i + 1, shown: v!.answer, wrong: !v!.answer, points: item.points })
		else {
			const shown = item.optionOrder
				.map((bank, j) => ((v!.answer as string).includes(letters[bank]!) ? letters[j]! : ''))
				.join('')
			const wrong = letters.slice(0, item.optionOrder.length).split('').find((l) => !shown.includes(l))!
			out.push({ position: i + 1, shown, wrong, points: item.points })
		}
	}
	return out
}

/** Form fields answering each position: a letter per checkbox, "true"/"false" for 判断. */
const fields = (answers: { position: number; answer: Answer }[]): [string, string][] =>
	answers.flatMap(({ position, answer }) => (typeof answer === 'boolean' ? [[`q-${position}`, String(answer)]] : [...answer].map((l) => [`q-${position}`, l] as [string, string])))

// ---- organisers ------------------------------------------------------------------------------

describe('creating a competition', () => {
	test('a worker and an enterprise admin get 403 on every organiser page, and nothing is written', async () => {
		const before = { competitions: await competitionCount(), audit: await auditCount('competition.create') }
		for (const who of [worker, enterprise]) {
			expect((await load(manageRoute, '/competitions/manage', who)).status).toBe(403)
			expect((await load(newRoute, '/competitions/new', who)).status).toBe(403)
			expect((await submit(newRoute, '/competitions/new', form({ slug: 'not-allowed' }), who)).status).toBe(403)
			expect((await load(entriesRoute, `/competitions/${DEMO_COMPETITION_SLUG}/manage`, who, { slug: DEMO_COMPETITION_SLUG })).status).toBe(403)
			expect((await load(exportRoute, `/competitions/${DEMO_COMPETITION_SLUG}/results.xlsx`, who, { slug: DEMO_COMPETITION_SLUG })).status).toBe(403)
		}
		expect(await competitionCount()).toBe(before.competitions)
		expect(await auditCount('competition.create')).toBe(before.audit)
	})

	test('bad input: an error next to each field, nothing written', async () => {
		const before = await competitionCount()
		const outcome = await submit(newRoute, '/competitions/new', form({ title: '竞', slug: 'Not A Slug', singleCount: '0', multipleCount: '0', judgeCount: '', closesAt: toChinaInput(new Date(Date.now() - 2 * 60 * MINUTE)) }), county)
		expect(outcome.status).toBe(400)
		expect(Object.keys(outcome.data.errors).sort()).toEqual(['closesAt', 'singleCount', 'slug', 'title'])
		expect(outcome.data.values.title).toBe('竞')
		expect(await competitionCount()).toBe(before)
	})

	test('rules the bank cannot satisfy: the shortfall by question type, nothing written', async () => {
		const before = { competitions: await competitionCount(), audit: await auditCount('competition.create') }
		const outcome = await submit(newRoute, '/competitions/new', form({ slug: 'too-many', topics: '没有这个知识点' }), county)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.singleCount).toBe('题库中符合条件的单选题只有 0 道，还差 3 道')
		expect(outcome.data.errors.multipleCount).toBe('题库中符合条件的多选题只有 0 道，还差 2 道')
		expect(outcome.data.errors.form).toMatch(/题库不能满足试卷要求/)
		expect(await competitionCount()).toBe(before.competitions)
		expect(await auditCount('competition.create')).toBe(before.audit)
	})

	test('the county regulator creates one owned by their scope organisation, audited; the slug is then taken', async () => {
		const outcome = await submit(newRoute, '/competitions/new', form({ fixedPaper: '1' }), county)
		expect(outcome.status).toBe(302)
		expect(outcome.headers.get('Location')).toBe('/competitions/ceshi-jingsai/manage?saved=1')
		const [row] = await db.select().from(competitions).where(eq(competitions.slug, 'ceshi-jingsai'))
		expect(row).toMatchObject({ title: '测试知识竞赛', ownerOrgId: await orgIdByCode('demo-county'), timeLimitMinutes: 15, createdBy: county.personId })
		expect(row!.rules).toEqual([
			{ type: 'single', count: 3, points: 10, part: 'general' },
			{ type: 'multiple', count: 2, points: 10, part: 'general' },
			{ type: 'judge', count: 2, points: 5, part: 'general' },
		])
		// 固定试卷: drawn on save, by the rules, none of the questions twice.
		expect(row!.fixedPaper).toHaveLength(7)
		expect(new Set(row!.fixedPaper!.map((i) => i.questionId)).size).toBe(7)
		expect(row!.fixedPaper!.map((i) => i.points).sort()).toEqual([10, 10, 10, 10, 10, 5, 5].sort())
		const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'competition.create'), eq(auditLog.targetId, row!.id)))
		expect(audit).toMatchObject({ actorId: county.personId, orgId: row!.ownerOrgId, targetType: 'competition' })

		const again = await submit(newRoute, '/competitions/new', form(), county)
		expect(again.status).toBe(400)
		expect(again.data.errors.slug).toBe('这个链接名已被使用，请换一个')
	})

	test('scope: the township regulator gets 404 for the county’s; the platform editor’s is the platform’s, out of the regulators’ scope', async () => {
		for (const [route, path] of [
			[entriesRoute, '/competitions/ceshi-jingsai/manage'],
			[exportRoute, '/competitions/ceshi-jingsai/results.xlsx'],
			[editRoute, '/competitions/ceshi-jingsai/edit'],
		] as const)
			expect((await load(route, path, dongshan, { slug: 'ceshi-jingsai' })).status).toBe(404)
		expect((await submit(editRoute, '/competitions/ceshi-jingsai/edit', form({ title: '被改了' }), dongshan, { slug: 'ceshi-jingsai' })).status).toBe(404)
		const listed = await load(manageRoute, '/competitions/manage', dongshan)
		expect(listed.data.rows.map((r: { slug: string }) => r.slug)).not.toContain('ceshi-jingsai')
		expect((await load(entriesRoute, '/competitions/ceshi-jingsai/manage', county, { slug: 'ceshi-jingsai' })).status).toBe(200)
		expect((await load(entriesRoute, '/competitions/ceshi-jingsai/manage', admin, { slug: 'ceshi-jingsai' })).status).toBe(200)

		const byEditor = await submit(newRoute, '/competitions/new', form({ slug: 'pingtai-jingsai' }), editor)
		expect(byEditor.status).toBe(302)
		const [row] = await db.select().from(competitions).where(eq(competitions.slug, 'pingtai-jingsai'))
		expect(row!.ownerOrgId).toBeNull()
		expect((await load(entriesRoute, '/competitions/pingtai-jingsai/manage', county, { slug: 'pingtai-jingsai' })).status).toBe(404)
		expect((await load(entriesRoute, '/competitions/pingtai-jingsai/manage', editor, { slug: 'pingtai-jingsai' })).status).toBe(200)
		// The 县安委办's demo competition is in the county regulator's subtree, not in the editor's scope.
		expect((await load(entriesRoute, `/competitions/${DEMO_COMPETITION_SLUG}/manage`, county, { slug: DEMO_COMPETITION_SLUG })).status).toBe(200)
		expect((await load(entriesRoute, `/competitions/${DEMO_COMPETITION_SLUG}/manage`, editor, { slug: DEMO_COMPETITION_SLUG })).status).toBe(404)
	})

	test('before opening everything may change (the fixed paper is redrawn with new rules); after, only the name and description', async () => {
		const now = new Date()
		const upcoming = await competition({ opensAt: new Date(now.getTime() + 60 * MINUTE), fixedPaper: true })
		const path = `/competitions/${upcoming.slug}/edit`
		const loaded = await load(editRoute, path, county, { slug: upcoming.slug })
		expect(loaded.data.locked).toBe(false)
		const values = { ...loaded.data.values, scope: 'full', judgeCount: '4', title: '改过的竞赛' }
		const changed = await submit(editRoute, path, values, county, { slug: upcoming.slug })
		expect(changed.status).toBe(302)
		const [after] = await db.select().from(competitions).where(eq(competitions.id, upcoming.id))
		expect(after!.title).toBe('改过的竞赛')
		expect(after!.slug).toBe(upcoming.slug)
		expect(after!.fixedPaper).toHaveLength(9)
		expect(await db.select().from(auditLog).where(and(eq(auditLog.action, 'competition.update'), eq(auditLog.targetId, upcoming.id)))).toHaveLength(1)

		const running = await competition()
		const runningPath = `/competitions/${running.slug}/edit`
		expect((await load(editRoute, runningPath, county, { slug: running.slug })).data.locked).toBe(true)
		const refused = await submit(editRoute, runningPath, { ...form(), scope: 'full', timeLimitMinutes: '60' }, county, { slug: running.slug })
		expect(refused.status).toBe(409)
		expect((await db.select().from(competitions).where(eq(competitions.id, running.id)))[0]!.timeLimitMinutes).toBe(15)
		const renamed = await submit(editRoute, runningPath, { scope: 'details', title: '新名称', description: '新说明' }, county, { slug: running.slug })
		expect(renamed.status).toBe(302)
		expect((await db.select().from(competitions).where(eq(competitions.id, running.id)))[0]).toMatchObject({ title: '新名称', description: '新说明', timeLimitMinutes: 15 })
	})
})

// ---- registering -----------------------------------------------------------------------------

describe('registering', () => {
	test('bad input: an error next to each field, nothing written', async () => {
		const c = await competition()
		const before = await entryCount()
		const outcome = await post(pageRoute, `/competitions/${c.slug}`, c.slug, person('张', '12345', '村'))
		expect(outcome.status).toBe(400)
		expect(Object.keys(outcome.data.errors).sort()).toEqual(['name', 'organization', 'phone'])
		expect(outcome.headers.get('Set-Cookie')).toBeNull()
		expect(await entryCount()).toBe(before)
	})

	test('only while open: before the opening and after the close it is refused', async () => {
		const now = new Date()
		const upcoming = await competition({ opensAt: new Date(now.getTime() + 60 * MINUTE) })
		const past = new Date(now.getTime() - 3 * 24 * 60 * MINUTE)
		const closed = await competition({ opensAt: new Date(past.getTime() - 60 * MINUTE), closesAt: new Date(past.getTime() + 60 * MINUTE) }, past)
		const before = await entryCount()
		const early = await register(upcoming, '王小明', '13700009001')
		expect(early.outcome.status).toBe(400)
		expect(early.outcome.data.errors.form).toBe('竞赛尚未开始，开始后才能报名')
		const late = await register(closed, '王小明', '13700009001')
		expect(late.outcome.data.errors.form).toBe('竞赛已经结束，不能再报名')
		expect(await entryCount()).toBe(before)
		expect((await view(pageRoute, `/competitions/${closed.slug}`, closed.slug)).data.state).toBe('closed')
	})

	test('registers with the phone encrypted; the cookie is HttpOnly, SameSite=Lax and scoped to the competition', async () => {
		const c = await competition()
		const before = await entryCount()
		const { outcome, set } = await register(c, ' 刘芳 ', '139 0001 0001')
		expect(outcome.status).toBe(302)
		expect(outcome.headers.get('Location')).toBe(`/competitions/${c.slug}/paper`)
		expect(set).toMatch(new RegExp(`^competition_entry=[A-Za-z0-9_-]{43}; Path=/competitions/${c.slug}; HttpOnly; SameSite=Lax; Expires=`))
		expect(await entryCount()).toBe(before + 1)
		const entry = await entryOf(c, '13900010001')
		expect(entry).toMatchObject({ name: '刘芳', status: 'registered', phoneHash: phoneLookupHash('13900010001') })
		expect(entry.phoneEnc).not.toContain('13900010001')
		// The table keeps only the token's hash.
		expect(entry.tokenHash).not.toBe(set!.split(';')[0]!.split('=')[1])
		expect(entry.tokenHash).toMatch(/^[0-9a-f]{64}$/)
	})

	test('the same phone again: refused without the entry’s cookie, resumed with it; a race ends with one entry', async () => {
		const c = await competition()
		const first = await register(c, '陈静', '13900010002')
		const before = await entryCount()
		const again = await register(c, '陈静', '13900010002')
		expect(again.outcome.status).toBe(409)
		expect(again.outcome.data.errors).toEqual({ phone: DUPLICATE_PHONE })
		// Another device's cookie does not help either.
		const other = await register(c, '别人', '13900010003')
		expect((await register(c, '陈静', '13900010002', other.cookie)).outcome.data.errors).toEqual({ phone: DUPLICATE_PHONE })
		const resumed = await register(c, '陈静', '13900010002', first.cookie)
		expect(resumed.outcome.status).toBe(302)
		expect(resumed.outcome.headers.get('Location')).toBe(`/competitions/${c.slug}/paper`)
		expect(resumed.set).toBeNull()
		expect(await entryCount()).toBe(before + 1) // only 别人

		const racing = await Promise.all([register(c, '赵甲', '13900010004'), register(c, '赵乙', '13900010004')])
		expect(racing.map((r) => r.outcome.status).sort()).toEqual([302, 409])
		expect(racing.find((r) => r.outcome.status === 409)!.outcome.data.errors).toEqual({ phone: DUPLICATE_PHONE })
		expect(await entryCount()).toBe(before + 2)

		// The competition page knows this device's entry, by its masked name.
		expect((await view(pageRoute, `/competitions/${c.slug}`, c.slug, first.cookie)).data.entry).toEqual({ name: '陈*', done: false })
	})
})

// ---- answering -------------------------------------------------------------------------------

describe('answering', () => {
	test('without the cookie the paper sends you to the competition page', async () => {
		const c = await competition()
		const outcome = await view(paperRoute, `/competitions/${c.slug}/paper`, c.slug)
		expect(outcome.status).toBe(302)
		expect(outcome.headers.get('Location')).toBe(`/competitions/${c.slug}`)
		expect((await post(paperRoute, `/competitions/${c.slug}/paper`, c.slug, [['intent', 'start']])).headers.get('Location')).toBe(`/competitions/${c.slug}`)
	})

	test('开始答题 draws the paper and starts the clock; the page never carries the key', async () => {
		const c = await competition()
		const { cookie } = await register(c, '周明', '13900010010')
		const path = `/competitions/${c.slug}/paper`
		expect((await view(paperRoute, path, c.slug, cookie)).data.view).toBe('start')
		const started = await post(paperRoute, path, c.slug, [['intent', 'start']], cookie)
		expect(started.status).toBe(302)
		const entry = await entryOf(c, '13900010010')
		expect(entry.status).toBe('started')
		expect(entry.deadlineAt!.getTime() - entry.startedAt!.getTime()).toBe(15 * MINUTE)
		expect(entry.paper).toHaveLength(7)
		expect(entry.maxScore).toBe(60)

		const page = await view(paperRoute, path, c.slug, cookie)
		expect(page.data.view).toBe('paper')
		expect(page.data.questions).toHaveLength(7)
		expect(page.data.secondsLeft).toBeGreaterThan(14 * 60)
		const serialized = JSON.stringify(page.data)
		expect(serialized).not.toMatch(/"(answer|right|explanation|review)"/)
		for (const item of entry.paper!) {
			const [v] = await db.select().from(questionVersions).where(eq(questionVersions.id, item.versionId))
			expect(serialized).not.toContain(v!.explanation)
			const shown = page.data.questions.find((q: { stem: string }) => q.stem === v!.stem)
			expect(shown.options).toEqual(v!.type === 'judge' ? [] : item.optionOrder.map((k) => v!.options[k]))
		}
		// A second 开始答题 changes nothing.
		await post(paperRoute, path, c.slug, [['intent', 'start']], cookie)
		expect((await entryOf(c, '13900010010')).startedAt).toEqual(entry.startedAt)
	})

	test('交卷: the score equals an independent computation; one attempt only; the result has rank and review', async () => {
		const c = await competition()
		const { cookie } = await register(c, '吴刚', '13900010011')
		const path = `/competitions/${c.slug}/paper`
		await post(paperRoute, path, c.slug, [['intent', 'start']], cookie)
		const key = await keyOf(await entryOf(c, '13900010011'))
		// Right on odd positions, wrong on even ones, the last one left blank.
		const given = key.slice(0, -1).map((k) => ({ position: k.position, answer: k.position % 2 ? k.shown : k.wrong }))
		const expected = key.filter((k) => k.position % 2 && k.position < key.length).reduce((n, k) => n + k.points, 0)

		// Saved as they change (with JavaScript), then 交卷 with the whole form.
		const saved = await post(paperRoute, path, c.slug, [['intent', 'save'], ...fields(given.slice(0, 2))], cookie)
		expect(saved.data).toEqual({ saved: true, error: null })
		expect((await view(paperRoute, path, c.slug, cookie)).data.given).toEqual({ ...Object.fromEntries(key.map((k) => [String(k.position), null])), ...Object.fromEntries(given.slice(0, 2).map((g) => [String(g.position), g.answer])) })

		const done = await post(paperRoute, path, c.slug, [['intent', 'submit'], ...fields(given)], cookie)
		expect(done.status).toBe(302)
		const entry = await entryOf(c, '13900010011')
		expect(entry).toMatchObject({ status: 'submitted', score: expected, maxScore: 60 })
		expect(entry.durationMs).toBe(entry.submittedAt!.getTime() - entry.startedAt!.getTime())

		const result = await view(paperRoute, path, c.slug, cookie)
		expect(result.data).toMatchObject({ view: 'result', status: 'submitted', score: expected, maxScore: 60, rank: 1 })
		expect(result.data.review).toHaveLength(7)
		expect(result.data.review.map((r: { awarded: number }) => r.awarded).reduce((a: number, b: number) => a + b, 0)).toBe(expected)
		expect(result.data.review.map((r: { right: Answer }) => r.right)).toEqual(key.map((k) => k.shown))
		expect(result.data.review.every((r: { explanation: string }) => r.explanation.length > 0)).toBe(true)

		// No second attempt: 交卷 and 开始答题 again change nothing; registering again opens the result.
		await post(paperRoute, path, c.slug, [['intent', 'submit'], ...fields(key.map((k) => ({ position: k.position, answer: k.shown })))], cookie)
		await post(paperRoute, path, c.slug, [['intent', 'start']], cookie)
		expect(await entryOf(c, '13900010011')).toEqual(entry)
		expect((await register(c, '吴刚', '13900010011', cookie)).outcome.headers.get('Location')).toBe(path)
		expect((await view(pageRoute, `/competitions/${c.slug}`, c.slug, cookie)).data.entry).toEqual({ name: '吴*', done: true })
	})

	test('late 交卷: the posted answers are refused, the saved ones graded, not on the board', async () => {
		const now = new Date()
		const c = await competition({ opensAt: new Date(now.getTime() - 2 * 60 * MINUTE) }, new Date(now.getTime() - 3 * 60 * MINUTE))
		const { cookie } = await register(c, '郑强', '13900010012')
		const begun = new Date(now.getTime() - 20 * MINUTE)
		await startEntry(db, c, await entryOf(c, '13900010012'), begun)
		const key = await keyOf(await entryOf(c, '13900010012'))
		// One right answer saved in time, ten minutes in.
		const early = new URLSearchParams(fields([{ position: 1, answer: key[0]!.shown }]))
		expect(await saveEntryAnswers(db, (await entryOf(c, '13900010012')).id, toFormData(early), new Date(begun.getTime() + 10 * MINUTE))).toBe(true)
		// A save now, after the deadline and its grace, is refused.
		const path = `/competitions/${c.slug}/paper`
		const refused = await post(paperRoute, path, c.slug, [['intent', 'save'], ...fields(key.map((k) => ({ position: k.position, answer: k.shown })))], cookie)
		expect(refused.status).toBe(409)
		// 交卷 now, 5 minutes after the deadline, with every answer right.
		const done = await post(paperRoute, path, c.slug, [['intent', 'submit'], ...fields(key.map((k) => ({ position: k.position, answer: k.shown })))], cookie)
		expect(done.status).toBe(302)
		const entry = await entryOf(c, '13900010012')
		expect(entry).toMatchObject({ status: 'late', score: key[0]!.points, durationMs: null })
		expect(entry.answers['2']).toBeNull()
		expect(entry.submittedAt!.getTime()).toBeGreaterThan(entry.deadlineAt!.getTime() + 30_000)
		const result = await view(paperRoute, path, c.slug, cookie)
		expect(result.data).toMatchObject({ view: 'result', status: 'late', score: key[0]!.points, rank: null })
		const board = await view(boardRoute, `/competitions/${c.slug}/leaderboard`, c.slug, cookie)
		expect(board.data.rows).toEqual([])
		expect(board.data.mine).toMatchObject({ status: 'late', rank: null, score: key[0]!.points })
	})

	test('expired: no 交卷 by the deadline; the next board view closes it with the saved answers, not ranked', async () => {
		const now = new Date()
		const c = await competition({ opensAt: new Date(now.getTime() - 2 * 60 * MINUTE) }, new Date(now.getTime() - 3 * 60 * MINUTE))
		const { cookie } = await register(c, '冯雨', '13900010013')
		const other = await register(c, '冯晴', '13900010014')
		const begun = new Date(now.getTime() - 16 * MINUTE)
		for (const phone of ['13900010013', '13900010014']) await startEntry(db, c, await entryOf(c, phone), begun)
		const key = await keyOf(await entryOf(c, '13900010013'))
		await saveEntryAnswers(db, (await entryOf(c, '13900010013')).id, toFormData(new URLSearchParams(fields(key.slice(0, 2).map((k) => ({ position: k.position, answer: k.shown }))))), new Date(begun.getTime() + MINUTE))
		expect((await entryOf(c, '13900010013')).status).toBe('started')

		// Anyone's view of the board closes both.
		const board = await view(boardRoute, `/competitions/${c.slug}/leaderboard`, c.slug)
		expect(board.data.rows).toEqual([])
		expect(await entryOf(c, '13900010013')).toMatchObject({ status: 'expired', score: key[0]!.points + key[1]!.points, maxScore: 60, submittedAt: null, durationMs: null })
		expect(await entryOf(c, '13900010014')).toMatchObject({ status: 'expired', score: 0 })
		const result = await view(paperRoute, `/competitions/${c.slug}/paper`, c.slug, cookie)
		expect(result.data).toMatchObject({ view: 'result', status: 'expired', rank: null })
		// A 交卷 arriving after that changes nothing.
		await post(paperRoute, `/competitions/${c.slug}/paper`, c.slug, [['intent', 'submit'], ...fields(key.map((k) => ({ position: k.position, answer: k.shown })))], other.cookie)
		expect((await entryOf(c, '13900010014')).status).toBe('expired')
	})
})

const toFormData = (params: URLSearchParams) => {
	const fd = new FormData()
	for (const [k, v] of params) fd.append(k, v)
	return fd
}

// ---- the board and the export ----------------------------------------------------------------

describe('the leaderboard and the export', () => {
	let c: Competition
	const PHONES = ['13900020001', '13900020002', '13900020003', '13900020004', '13900020005']
	const NAMES = ['欧阳明轩', '李雷', '韩梅梅', '张三丰', '钱多']
	let cookies: (string | null)[] = []
	let max = 0
	let firstPoints = 0

	beforeAll(async () => {
		const now = new Date()
		c = await competition({ fixedPaper: true, opensAt: new Date(now.getTime() - 2 * 60 * MINUTE) }, new Date(now.getTime() - 3 * 60 * MINUTE))
		cookies = []
		for (const [i, phone] of PHONES.entries()) cookies.push((await register(c, NAMES[i]!, phone)).cookie)
		const key = await keyOf({ paper: c.fixedPaper } as Entry)
		max = key.reduce((n, k) => n + k.points, 0)
		firstPoints = key[0]!.points
		const all = key.map((k) => ({ position: k.position, answer: k.shown }))
		const allButFirst = all.map((a, i) => (i === 0 ? { ...a, answer: key[0]!.wrong } : a))
		const begun = new Date(now.getTime() - 30 * MINUTE)
		// [who, answers, started (minutes after `begun`), minutes used]. 欧阳明轩 and 李雷: all right in
		// 5:00 (a tie; 李雷 handed in later); 韩梅梅: all right in 6:00; 张三丰: one wrong in 2:00;
		// 钱多 starts and never hands in.
		const plan: [number, typeof all, number, number][] = [
			[0, all, 0, 5],
			[1, all, 1, 5],
			[2, all, 0, 6],
			[3, allButFirst, 0, 2],
		]
		for (const [i, , startedAfter] of plan) await startEntry(db, c, await entryOf(c, PHONES[i]!), new Date(begun.getTime() + startedAfter * MINUTE))
		await startEntry(db, c, await entryOf(c, PHONES[4]!), begun)
		for (const [i, answers, startedAfter, minutes] of plan) await submitEntry(db, c, (await entryOf(c, PHONES[i]!)).id, toFormData(new URLSearchParams(fields(answers))), new Date(begun.getTime() + (startedAfter + minutes) * MINUTE))
	})

	test('ranked by score then 用时, the tie shares first place, names masked; the late-comer is not there', async () => {
		const board = await view(boardRoute, `/competitions/${c.slug}/leaderboard`, c.slug)
		expect(board.status).toBe(200)
		expect(board.data.rows).toEqual([
			{ rank: 1, name: '欧**轩', organization: '示范县某某单位', score: max, used: '05:00' },
			{ rank: 1, name: '李*', organization: '示范县某某单位', score: max, used: '05:00' },
			{ rank: 3, name: '韩*梅', organization: '示范县某某单位', score: max, used: '06:00' },
			{ rank: 4, name: '张*丰', organization: '示范县某某单位', score: max - firstPoints, used: '02:00' },
		])
		expect(await entryOf(c, PHONES[4]!)).toMatchObject({ status: 'expired' })
		// 你的名次 on the participant's own device.
		expect((await view(boardRoute, `/competitions/${c.slug}/leaderboard`, c.slug, cookies[2]!)).data.mine).toMatchObject({ rank: 3, score: max, used: '06:00' })
		expect((await view(boardRoute, `/competitions/${c.slug}/leaderboard`, c.slug, cookies[1]!)).data.mine).toMatchObject({ rank: 1 })
		expect((await view(paperRoute, `/competitions/${c.slug}/paper`, c.slug, cookies[3]!)).data.rank).toBe(4)
	})

	test('no phone number and no full name in what the public pages are rendered from', async () => {
		const pages = [
			await view(boardRoute, `/competitions/${c.slug}/leaderboard`, c.slug, cookies[0]!),
			await view(pageRoute, `/competitions/${c.slug}`, c.slug, cookies[0]!),
			await run(() => listRoute.loader({ request: get('/competitions'), params: {}, context })),
		]
		for (const page of pages) {
			expect(page.status).toBe(200)
			const serialized = JSON.stringify(page.data)
			for (const phone of PHONES) {
				expect(serialized).not.toContain(phone)
				expect(serialized).not.toContain(phone.slice(-4))
			}
			for (const name of NAMES.filter((n) => n.length > 1)) expect(serialized).not.toContain(name)
		}
	})

	test('the organiser sees names in full and phones masked, in rank order', async () => {
		const outcome = await load(entriesRoute, `/competitions/${c.slug}/manage`, county, { slug: c.slug })
		expect(outcome.status).toBe(200)
		expect(outcome.data.rows.map((r: { name: string; rank: number | null; phone: string }) => [r.rank, r.name, r.phone])).toEqual([
			[1, '欧阳明轩', '139****0001'],
			[1, '李雷', '139****0002'],
			[3, '韩梅梅', '139****0003'],
			[4, '张三丰', '139****0004'],
			[null, '钱多', '139****0005'],
		])
	})

	test('results.xlsx: every entry in rank order with the full phone, and an audit entry', async () => {
		const before = await auditCount('competition.export')
		expect((await load(exportRoute, `/competitions/${c.slug}/results.xlsx`, dongshan, { slug: c.slug })).status).toBe(404)
		const response = (await exportRoute.loader({ request: get(`/competitions/${c.slug}/results.xlsx`, county), params: { slug: c.slug }, context })) as Response
		expect(response.status).toBe(200)
		expect(response.headers.get('Content-Type')).toMatch(/spreadsheetml/)
		const workbook = new ExcelJS.Workbook()
		await workbook.xlsx.load(await response.arrayBuffer())
		const sheet = workbook.worksheets[0]!
		const rows = sheet.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : v)))
		expect(rows[0]).toEqual(['名次', '姓名', '手机号', '单位', '得分', '满分', '用时', '交卷时间', '状态'])
		expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[5], r[6], r[8]])).toEqual([
			[1, '欧阳明轩', '13900020001', max, max, '05:00', '已交卷'],
			[1, '李雷', '13900020002', max, max, '05:00', '已交卷'],
			[3, '韩梅梅', '13900020003', max, max, '06:00', '已交卷'],
			[4, '张三丰', '13900020004', max - firstPoints, max, '02:00', '已交卷'],
			['', '钱多', '13900020005', 0, max, '', '超时未交卷（不计排名）'],
		])
		expect(rows[1]![7]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
		expect(await auditCount('competition.export')).toBe(before + 1)
		const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'competition.export'), eq(auditLog.targetId, c.id)))
		expect(audit).toMatchObject({ actorId: county.personId, targetId: c.id, detail: { entries: 5, ranked: 4 } })
		expect(JSON.stringify(audit!.detail)).not.toContain('1390002')
	})
})

describe('the demo competition', () => {
	test('the 县安委办’s competition is open with six entries on the board, two tied for first', async () => {
		const [demo] = await db.select().from(competitions).where(eq(competitions.slug, DEMO_COMPETITION_SLUG))
		expect(demo!.ownerOrgId).toBe(await orgIdByCode('county-safety-office'))
		const list = await run(() => listRoute.loader({ request: get('/competitions'), params: {}, context }))
		expect(list.data.open.map((o: { slug: string }) => o.slug)).toContain(DEMO_COMPETITION_SLUG)
		const board = await view(boardRoute, `/competitions/${DEMO_COMPETITION_SLUG}/leaderboard`, DEMO_COMPETITION_SLUG)
		expect(board.data.rows.map((r: { rank: number }) => r.rank)).toEqual([1, 1, 3, 4, 5, 6])
		expect(board.data.rows.map((r: { score: number }) => r.score)).toEqual([100, 100, 90, 90, 70, 60])
		expect(board.data.rows[2].name).toBe('欧**轩')
		const page = await view(pageRoute, `/competitions/${DEMO_COMPETITION_SLUG}`, DEMO_COMPETITION_SLUG)
		expect(page.data).toMatchObject({ state: 'open', paper: '共 10 题，满分 100 分，限时 15 分钟', owner: '示范县安全生产委员会办公室' })
		expect(page.data.html).toContain('<h2>竞赛规则</h2>')
	})
})
