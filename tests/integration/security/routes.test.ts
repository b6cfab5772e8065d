import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { context, cookieFor, get, post, run, type Outcome } from '#tests/fixtures/requests.ts'
import { setUpDemo, ROLES, type Demo, type Persona, type Role } from './demo.ts'
import { databaseFingerprint, fill, loadServerBuild, routesOf, startApp, type AppRoute, type Fn } from './harness.ts'

// Every route Remix serves, classified: public, any signed-in person, or some roles only. For each
// protected route, through its own loader and action (the modules of the server build):
// - anonymous GET and POST → a sign-in redirect (or 401 for the exam page's script), never data;
// - every role not allowed → 403 or 404;
// - the ids of another enterprise's or jurisdiction's records (or another person's) → 404;
// - a POST from another site (or with no Origin) to any action, through the HTTP stack → 403;
// and none of those writes anything; malformed ids and query strings never give a server error.
// The route list is Remix's own (see harness.ts): a route missing from TABLE fails the suite, so
// whoever adds a route says here who may use it and which records of others to try.
//
// Related guarantees tested elsewhere, not repeated here: who reads and manages which people and
// organisations in detail (tests/integration/scope.test.ts), sessions and sign-out
// (sessions.test.ts, security/sign-in.test.ts), isAllowedOrigin itself (tests/unit/origin.test.ts),
// headers and error pages over HTTP (security/http.test.ts).

type PersonaKey = keyof Demo['as']
type Ids = Demo['ids']
type Access = 'public' | 'signed-in' | readonly Role[]

type Entry = {
	/** Who may call the loader (and the action, unless `action` says otherwise). */
	access: Access
	action?: Access
	/** Values for the route's :params where the default sample (SAMPLE below) does not fit. */
	params?: (ids: Ids) => Record<string, string>
	/** Who can load the sample record (default: every allowed role). */
	sampleAs?: PersonaKey[]
	/** People for whom the sample (or the record given) is someone else's: 404 for them. */
	notTheirs?: (ids: Ids) => { as: PersonaKey; params?: Record<string, string>; query?: string }[]
	/** The loader only redirects elsewhere and returns no data, whoever asks. */
	loaderRedirects?: true
	/** A well-formed body for the POSTs (default: empty), so a refusal cannot be a mere 400. */
	body?: Record<string, string>
}

const ADMIN = ['system_admin'] as const
const CONTENT = ['system_admin', 'content_editor'] as const
const MANAGERS = ['system_admin', 'regulator', 'enterprise_admin'] as const
const ENTERPRISE = ['system_admin', 'enterprise_admin'] as const
const OVERSIGHT = ['system_admin', 'regulator'] as const
const ORGANISERS = ['system_admin', 'regulator', 'content_editor'] as const
const TEMPLATES = ['system_admin', 'regulator', 'enterprise_admin', 'content_editor'] as const

/** The people whose own records (or whose scope holds them) make up the samples. */
const HOLDER: PersonaKey[] = ['worker', 'system_admin', 'regulator', 'enterprise_admin']

const OUTSIDERS_OF_COAL = (extra: PersonaKey[] = []) => () => (['chemAdmin', 'xiheRegulator', ...extra] as PersonaKey[]).map((as) => ({ as }))

/** The demo 知识竞赛 belongs to the 县安委办: platform editors and township regulators do not manage it. */
const COUNTY_COMPETITION: Entry = {
	access: ORGANISERS,
	sampleAs: ['system_admin', 'regulator'],
	notTheirs: () => (['content_editor', 'dongshanRegulator', 'xiheRegulator'] as PersonaKey[]).map((as) => ({ as })),
}

const TABLE: Record<string, Entry> = {
	root: { access: 'public' },
	'routes/_index': { access: 'public' },
	'routes/admin._index': { access: ADMIN },
	'routes/articles._index': { access: 'public' },
	'routes/articles.$slug': { access: 'public', params: () => ({ slug: 'no-such-article' }) },
	'routes/attempts.$attemptId._index': { access: 'signed-in', sampleAs: ['worker'], notTheirs: () => [{ as: 'chemWorker' }, { as: 'enterprise_admin' }, { as: 'system_admin' }] },
	'routes/attempts.$attemptId.answers': {
		access: 'signed-in',
		body: { position: '1', answer: 'A', clientSeq: '1' },
		notTheirs: () => [{ as: 'chemWorker' }, { as: 'enterprise_admin' }],
	},
	'routes/attempts.$attemptId.events': { access: 'signed-in', sampleAs: ['worker'], body: { kind: 'hidden' }, notTheirs: () => [{ as: 'chemWorker' }, { as: 'enterprise_admin' }] },
	'routes/attempts.$attemptId.result': {
		access: 'signed-in',
		sampleAs: ['worker'],
		notTheirs: (ids) => [{ as: 'chemWorker' }, { as: 'enterprise_admin' }, { as: 'worker', params: { attemptId: ids.otherAttempt } }],
	},
	'routes/audit': { access: ADMIN },
	'routes/bank._index': { access: CONTENT },
	'routes/bank.$questionId': { access: CONTENT },
	'routes/bank.export': { access: CONTENT },
	'routes/bank.import': { access: CONTENT },
	'routes/bank.new': { access: CONTENT },
	'routes/bank.template': { access: CONTENT },
	'routes/campaigns': { access: 'public' },
	'routes/cases._index': { access: 'public' },
	'routes/cases.$slug': { access: 'public', params: () => ({ slug: 'coal-mine-gas-explosion' }) },
	'routes/certificates._index': { access: 'signed-in' },
	'routes/certificates.$certificateId._index': {
		access: 'signed-in',
		action: ENTERPRISE,
		sampleAs: ['system_admin', 'regulator', 'enterprise_admin'],
		notTheirs: OUTSIDERS_OF_COAL(['chemWorker', 'worker']),
	},
	'routes/certificates.$certificateId.pdf': {
		access: 'signed-in',
		sampleAs: ['system_admin', 'regulator', 'enterprise_admin'],
		notTheirs: OUTSIDERS_OF_COAL(['chemWorker', 'worker']),
	},
	'routes/check.$token': { access: MANAGERS, notTheirs: OUTSIDERS_OF_COAL() },
	'routes/competitions._index': { access: 'public' },
	'routes/competitions.$slug._index': { access: 'public' },
	'routes/competitions.$slug.edit': COUNTY_COMPETITION,
	'routes/competitions.$slug.leaderboard': { access: 'public' },
	'routes/competitions.$slug.manage': COUNTY_COMPETITION,
	// Participants hold an entry cookie, not an account.
	'routes/competitions.$slug.paper': { access: 'public' },
	'routes/competitions.$slug.results[.]xlsx': COUNTY_COMPETITION,
	'routes/competitions.manage': { access: ORGANISERS },
	'routes/competitions.new': { access: ORGANISERS },
	'routes/editor._index': { access: ['content_editor'] },
	'routes/editor.articles._index': { access: CONTENT },
	'routes/editor.articles.$articleId': { access: CONTENT, params: () => ({ articleId: 'new' }) },
	'routes/editor.courses._index': { access: CONTENT },
	'routes/editor.courses.$courseId._index': { access: CONTENT },
	'routes/editor.courses.$courseId.lessons.$lessonId': { access: CONTENT },
	'routes/editor.courses.new': { access: CONTENT },
	'routes/editor.preview': { access: CONTENT },
	'routes/ent._index': { access: ['enterprise_admin'] },
	'routes/exam-templates._index': { access: TEMPLATES },
	'routes/exam-templates.$templateId': {
		access: TEMPLATES,
		notTheirs: (ids) => (['chemAdmin', 'xiheRegulator'] as PersonaKey[]).map((as) => ({ as, params: { templateId: ids.coalTemplate } })),
	},
	'routes/exam-templates.new': { access: TEMPLATES },
	'routes/exams._index': { access: MANAGERS },
	// The exam as its taker sees it: only people on its list.
	'routes/exams.$examId': { access: 'signed-in', sampleAs: ['worker'], notTheirs: () => [{ as: 'chemWorker' }, { as: 'chemAdmin' }] },
	'routes/exams.$examId_.export': { access: MANAGERS, notTheirs: OUTSIDERS_OF_COAL() },
	'routes/exams.$examId_.results': { access: MANAGERS, notTheirs: OUTSIDERS_OF_COAL() },
	'routes/exams.new': { access: MANAGERS },
	'routes/glossary': { access: 'public' },
	'routes/gov._index': { access: ['regulator'] },
	'routes/gov.dashboard': { access: OVERSIGHT, notTheirs: (ids) => [{ as: 'xiheRegulator', query: `orgId=${ids.coalOrg}` }] },
	'routes/healthz': { access: 'public' },
	'routes/inspections._index': { access: OVERSIGHT },
	'routes/inspections.$inspectionId': { access: OVERSIGHT, notTheirs: () => [{ as: 'xiheRegulator' }] },
	'routes/inspections.$inspectionId_.quizzes.$quizId': { access: OVERSIGHT, notTheirs: () => [{ as: 'xiheRegulator' }] },
	'routes/inspections.new': { access: OVERSIGHT },
	'routes/job-types': { access: 'public' },
	'routes/learn.$courseId._index': { access: 'signed-in', sampleAs: ['worker'] },
	'routes/learn.$courseId.$lessonId': { access: 'signed-in', sampleAs: ['worker'] },
	'routes/login': { access: 'public' },
	'routes/logout': { access: 'public' },
	'routes/me._index': { access: 'signed-in' },
	'routes/me.code': { access: 'signed-in' },
	'routes/orgs._index': { access: MANAGERS },
	'routes/orgs.$orgId': { access: MANAGERS, notTheirs: OUTSIDERS_OF_COAL() },
	'routes/password': { access: 'signed-in' },
	'routes/people._index': { access: MANAGERS },
	// A person's own file is theirs to read.
	'routes/people.$personId._index': { access: 'signed-in', sampleAs: HOLDER, notTheirs: OUTSIDERS_OF_COAL(['chemWorker']) },
	'routes/people.$personId.delete': { access: ENTERPRISE, params: (ids) => ({ personId: ids.miner }), notTheirs: OUTSIDERS_OF_COAL() },
	'routes/people.$personId.edit': { access: ENTERPRISE, notTheirs: OUTSIDERS_OF_COAL() },
	'routes/people.$personId.file[.]pdf': { access: 'signed-in', sampleAs: HOLDER, notTheirs: OUTSIDERS_OF_COAL(['chemWorker']) },
	'routes/people.$personId.file[.]xlsx': { access: 'signed-in', sampleAs: HOLDER, notTheirs: OUTSIDERS_OF_COAL(['chemWorker']) },
	'routes/people.$personId.operation-certificates': { access: ENTERPRISE, notTheirs: OUTSIDERS_OF_COAL() },
	'routes/people.$personId.password': { access: ENTERPRISE, loaderRedirects: true, notTheirs: OUTSIDERS_OF_COAL() },
	'routes/people.$personId.records': { access: 'signed-in', sampleAs: HOLDER, notTheirs: OUTSIDERS_OF_COAL(['chemWorker']) },
	'routes/people.$personId.violations': { access: MANAGERS, notTheirs: OUTSIDERS_OF_COAL() },
	'routes/people.export[.]xlsx': { access: MANAGERS },
	'routes/people.import': { access: ENTERPRISE },
	'routes/people.import-template': { access: ENTERPRISE },
	'routes/people.new': { access: ENTERPRISE },
	'routes/plans._index': { access: ENTERPRISE },
	'routes/plans.$planId': { access: ENTERPRISE, notTheirs: () => [{ as: 'chemAdmin' }] },
	'routes/plans.new': { access: ENTERPRISE },
	'routes/practice._index': { access: 'signed-in' },
	'routes/practice.session': { access: 'signed-in' },
	'routes/practice.wrong': { access: 'signed-in' },
	'routes/quiz._index': { access: 'public' },
	// 逢查必考: anyone at the site joins by the code.
	'routes/quiz.$code': { access: 'public' },
	'routes/registers.leaders': { access: OVERSIGHT },
	'routes/registers.leaders[.]xlsx': { access: OVERSIGHT },
	'routes/robots[.]txt': { access: 'public' },
	'routes/rules._index': { access: ADMIN },
	'routes/rules.$jobType': { access: ADMIN },
	'routes/self-test._index': { access: 'public' },
	'routes/self-test.r.$id': { access: 'public' },
	'routes/sitemap[.]xml': { access: 'public' },
	'routes/spot-checks._index': { access: OVERSIGHT },
	'routes/spot-checks.$spotCheckId': { access: OVERSIGHT, notTheirs: () => [{ as: 'xiheRegulator' }, { as: 'dongshanRegulator' }] },
	'routes/spot-checks.$spotCheckId.export[.]xlsx': { access: OVERSIGHT, notTheirs: () => [{ as: 'xiheRegulator' }, { as: 'dongshanRegulator' }] },
	'routes/spot-checks.new': { access: OVERSIGHT },
	'routes/trainings._index': { access: ENTERPRISE },
	'routes/trainings.$trainingId': { access: ENTERPRISE, notTheirs: () => [{ as: 'chemAdmin' }] },
	'routes/trainings.$trainingId.attachment': { access: ENTERPRISE, notTheirs: () => [{ as: 'chemAdmin' }] },
	'routes/trainings.new': { access: ENTERPRISE },
	'routes/verify._index': { access: 'public' },
	'routes/verify.$serial': { access: 'public' },
	'routes/wujin._index': { access: 'public' },
	'routes/wujin.$setting': { access: 'public', params: () => ({ setting: 'enterprise' }) },
}

/** The value of each :param in the samples: a real demo record within the demo 示范煤业. */
const SAMPLE: Record<string, (ids: Ids) => string> = {
	attemptId: (ids) => ids.attempt,
	certificateId: (ids) => ids.certificate,
	code: (ids) => ids.joinCode,
	courseId: (ids) => ids.course,
	examId: (ids) => ids.exam,
	id: () => crypto.randomUUID(),
	inspectionId: (ids) => ids.inspection,
	jobType: () => 'coal_underground',
	lessonId: (ids) => ids.lesson,
	orgId: (ids) => ids.coalOrg,
	personId: (ids) => ids.worker,
	planId: (ids) => ids.plan,
	questionId: (ids) => ids.question,
	quizId: (ids) => ids.quiz,
	serial: (ids) => ids.serial,
	slug: (ids) => ids.competition,
	spotCheckId: (ids) => ids.spotCheck,
	templateId: (ids) => ids.platformTemplate,
	token: (ids) => ids.personCode,
	trainingId: (ids) => ids.training,
}

let demo: Demo
let routes: (AppRoute & { entry: Entry })[] = []
let allRoutes: AppRoute[] = []
let app: Awaited<ReturnType<typeof startApp>>
let closeBuild: (() => Promise<void>) | undefined

beforeAll(async () => {
	const { build, close } = await loadServerBuild()
	closeBuild = close
	allRoutes = routesOf(build)
	routes = allRoutes.flatMap((r) => (TABLE[r.id] ? [{ ...r, entry: TABLE[r.id]! }] : []))
	demo = await setUpDemo()
	app = await startApp(build)
}, 240_000)

afterAll(async () => {
	await app?.close()
	await closeBuild?.()
})

// ---- requests --------------------------------------------------------------------------------

const accessOf = (r: { entry: Entry }, kind: 'loader' | 'action') => (kind === 'action' ? (r.entry.action ?? r.entry.access) : r.entry.access)
const isPublic = (access: Access) => access === 'public'

function paramsOf(r: AppRoute & { entry: Entry }, override: Record<string, string> = {}) {
	const given = { ...r.entry.params?.(demo.ids), ...override }
	return Object.fromEntries(r.params.map((name) => [name, given[name] ?? SAMPLE[name]?.(demo.ids) ?? `(no sample for :${name})`]))
}

type Call = { route: AppRoute; kind: 'loader' | 'action'; params: Record<string, string>; query?: string; who: Persona | null; label: string }

async function call({ route, kind, params, query, who }: Call): Promise<Outcome | Error> {
	const path = fill(route.path, params) + (query ? `?${query}` : '')
	const fn = (kind === 'loader' ? route.loader : route.action) as Fn
	const request = kind === 'loader' ? get(path, who) : post(path, TABLE[route.id]?.body ?? {}, who)
	try {
		return await run(() => fn({ request, params, context }))
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error))
	}
}

const describeOutcome = (o: Outcome) => `${o.status}${o.headers.get('Location') ? ` → ${o.headers.get('Location')}` : ''} ${JSON.stringify(o.data).slice(0, 120)}`

/** A refusal carries a short message at most: never the page's data. */
const isBare = (o: Outcome) => typeof o.data === 'string' && o.data.length < 300

function signInRedirectFor(o: Outcome, path: string) {
	return o.status === 302 && o.headers.get('Location') === `/login?redirectTo=${encodeURIComponent(path)}` && isBare(o)
}

/** Runs the calls and lists the ones whose outcome `ok` does not accept. */
async function problemsOf(calls: Call[], ok: (o: Outcome, c: Call) => boolean) {
	const problems: string[] = []
	for (const c of calls) {
		const outcome = await call(c)
		if (outcome instanceof Error) problems.push(`${c.label}: threw ${outcome.message}`)
		else if (!ok(outcome, c)) problems.push(`${c.label}: ${describeOutcome(outcome)}`)
	}
	return problems
}

function kindsOf(r: AppRoute) {
	return [...(r.loader ? (['loader'] as const) : []), ...(r.action ? (['action'] as const) : [])]
}

const verb = (kind: 'loader' | 'action') => (kind === 'loader' ? 'GET' : 'POST')

// ---- the table --------------------------------------------------------------------------------

describe('the route table', () => {
	test('classifies every route of the server build, and only those', () => {
		expect(allRoutes.length).toBeGreaterThan(100)
		const unclassified = allRoutes.filter((r) => !TABLE[r.id]).map((r) => `新路由 ${r.id}（${r.path}）没有安全测试：请在 tests/integration/security/routes.test.ts 的 TABLE 中为它登记访问规则`)
		expect(unclassified).toEqual([])
		const gone = Object.keys(TABLE).filter((id) => !allRoutes.some((r) => r.id === id))
		expect(gone, 'TABLE 中的这些路由已不存在').toEqual([])
	})

	test('has a sample for every :param, and an action rule only where there is an action', () => {
		const missing = routes.flatMap((r) => Object.entries(paramsOf(r)).filter(([, v]) => v.startsWith('(no sample')).map(([k]) => `${r.id} :${k}`))
		expect(missing).toEqual([])
		expect(routes.filter((r) => r.entry.action && !r.action).map((r) => r.id)).toEqual([])
		expect(routes.filter((r) => r.entry.loaderRedirects && !r.loader).map((r) => r.id)).toEqual([])
	})
})

// ---- refusals ----------------------------------------------------------------------------------

describe('refused', () => {
	test('anonymous: every non-public loader and action asks to sign in (401 for scripts), and nothing is written', async () => {
		const calls = routes.flatMap((r) =>
			kindsOf(r)
				.filter((kind) => !isPublic(accessOf(r, kind)))
				.map((kind) => ({ route: r, kind, params: paramsOf(r), who: null, label: `anonymous ${verb(kind)} ${r.id}` })),
		)
		expect(calls.length).toBeGreaterThan(100)
		const before = await databaseFingerprint()
		const problems = await problemsOf(calls, (o, c) => {
			const path = fill(c.route.path, c.params)
			if (c.kind === 'loader' && TABLE[c.route.id]!.loaderRedirects) return o.status === 302 && !o.headers.get('Location')?.startsWith('/login') && isBare(o)
			return signInRedirectFor(o, path) || (o.status === 401 && isBare(o))
		})
		expect(problems).toEqual([])
		expect(await databaseFingerprint()).toEqual(before)
	})

	test('wrong roles: every role a route does not allow gets 403 or 404, and nothing is written', async () => {
		const calls: Call[] = []
		for (const r of routes) {
			for (const kind of kindsOf(r)) {
				const access = accessOf(r, kind)
				if (typeof access === 'string') continue
				for (const role of ROLES.filter((role) => !access.includes(role))) {
					calls.push({ route: r, kind, params: paramsOf(r), who: demo.as[role], label: `${role} ${verb(kind)} ${r.id}` })
				}
			}
		}
		expect(calls.length).toBeGreaterThan(200)
		const before = await databaseFingerprint()
		const problems = await problemsOf(calls, (o, c) => {
			if (c.kind === 'loader' && TABLE[c.route.id]!.loaderRedirects) return o.status === 302 && isBare(o)
			return (o.status === 403 || o.status === 404) && isBare(o)
		})
		expect(problems).toEqual([])
		expect(await databaseFingerprint()).toEqual(before)
	})

	test('other organisations’ and other people’s records, by id: 404 for the loader and the action, and nothing is written', async () => {
		const calls: Call[] = []
		for (const r of routes) {
			for (const other of r.entry.notTheirs?.(demo.ids) ?? []) {
				for (const kind of kindsOf(r)) {
					calls.push({ route: r, kind, params: paramsOf(r, other.params), query: other.query, who: demo.as[other.as], label: `${other.as} ${verb(kind)} ${r.id}` })
				}
			}
		}
		expect(calls.length).toBeGreaterThan(80)
		const before = await databaseFingerprint()
		const problems = await problemsOf(calls, (o, c) => {
			if (c.kind === 'loader' && TABLE[c.route.id]!.loaderRedirects) return o.status === 302 && isBare(o)
			return o.status === 404 && isBare(o)
		})
		expect(problems).toEqual([])
		expect(await databaseFingerprint()).toEqual(before)
	})

	test('malformed ids and slugs: 4xx or an empty result, never a server error, on every route that takes one', async () => {
		const GARBAGE = ['not-a-uuid', "' or 1=1 --", '../../etc/passwd', '\u0000', '%00', '１２３', '<script>alert(1)</script>', '9'.repeat(300), '00000000-0000-0000-0000-000000000000']
		const calls: Call[] = []
		for (const r of routes.filter((r) => r.params.length > 0)) {
			const access = accessOf(r, 'loader')
			const who = access === 'public' ? null : demo.as[typeof access === 'string' ? 'worker' : access[0]!]
			for (const value of GARBAGE) {
				const params = Object.fromEntries(r.params.map((name) => [name, value]))
				for (const kind of kindsOf(r)) calls.push({ route: r, kind, params, who, label: `${verb(kind)} ${r.id} with ${JSON.stringify(value.slice(0, 20))}` })
			}
		}
		const problems = await problemsOf(calls, (o) => o.status < 500)
		expect(problems).toEqual([])
	})

	test('malformed query strings: never a server error on any page', async () => {
		// The names the loaders read (grep searchParams in app/), and those of the list pages.
		const NAMES = ['asOf', 'cause', 'code', 'confirm', 'desc', 'done', 'download', 'format', 'industry', 'job', 'jobType', 'late', 'order', 'orgId', 'page', 'part', 'q', 'saved', 'seed', 'serial', 'set', 'setting', 'sort', 'status', 'templateId', 'until', 'category']
		const calls: Call[] = []
		for (const r of routes.filter((r) => r.loader)) {
			const access = accessOf(r, 'loader')
			const who = access === 'public' ? null : demo.as[typeof access === 'string' ? 'worker' : access[0]!]
			// A NUL (%00) never gets this far: the server refuses such URLs (security/http.test.ts).
			for (const value of ["'", '9'.repeat(30)]) {
				const query = new URLSearchParams(NAMES.map((name) => [name, value])).toString()
				calls.push({ route: r, kind: 'loader', params: paramsOf(r), query, who, label: `GET ${r.id}?…=${JSON.stringify(value)}` })
			}
		}
		const problems = await problemsOf(calls, (o) => o.status < 500)
		expect(problems).toEqual([])
	})
})

// ---- and allowed -------------------------------------------------------------------------------

describe('allowed', () => {
	test('public routes answer anonymous GETs without asking to sign in', async () => {
		const calls = routes
			.filter((r) => r.loader && isPublic(accessOf(r, 'loader')))
			.map((r) => ({ route: r, kind: 'loader' as const, params: paramsOf(r), who: null, label: `anonymous GET ${r.id}` }))
		const problems = await problemsOf(calls, (o) => o.status < 500 && o.status !== 401 && o.status !== 403 && !o.headers.get('Location')?.startsWith('/login'))
		expect(problems).toEqual([])
	})

	test('every role a route allows loads the sample (the refusals above are not for want of data)', async () => {
		const calls: Call[] = []
		for (const r of routes.filter((r) => r.loader && !r.entry.loaderRedirects)) {
			const access = accessOf(r, 'loader')
			if (access === 'public') continue
			const who = r.entry.sampleAs ?? (access === 'signed-in' ? [...ROLES] : [...access])
			for (const as of who) calls.push({ route: r, kind: 'loader', params: paramsOf(r), who: demo.as[as], label: `${as} GET ${r.id}` })
		}
		const problems = await problemsOf(calls, (o) => o.status < 400 && !o.headers.get('Location')?.startsWith('/login'))
		expect(problems).toEqual([])
	})
})

// ---- CSRF --------------------------------------------------------------------------------------

describe('cross-site requests', () => {
	const REFUSED = '请求来源不被允许'

	/** POSTs the route's form body to its sample path over HTTP, as someone allowed to post there. */
	function postOver(r: AppRoute & { entry: Entry }, headers: Record<string, string>) {
		const access = accessOf(r, 'action')
		const who = access === 'public' ? null : demo.as[typeof access === 'string' ? (r.entry.sampleAs?.[0] ?? 'worker') : access[0]!]
		return fetch(app.url + fill(r.path, paramsOf(r)), {
			method: 'POST',
			redirect: 'manual',
			headers: { ...headers, ...(who ? { Cookie: cookieFor(who.token) } : {}) },
			body: new URLSearchParams(r.entry.body ?? {}),
		})
	}

	test('a POST to any action from another site, with no Origin, or with a forged X-Forwarded-Host is refused before the action runs', async () => {
		const withAction = routes.filter((r) => r.action)
		expect(withAction.length).toBeGreaterThan(40)
		const before = await databaseFingerprint()
		const problems: string[] = []
		const attempts: [string, Record<string, string>][] = [
			['another site', { Origin: 'https://evil.example' }],
			['a look-alike site', { Origin: `${app.url}.evil.example` }],
			['no Origin', {}],
			['Origin null', { Origin: 'null' }],
			['a forged X-Forwarded-Host', { Origin: 'https://evil.example', 'X-Forwarded-Host': 'evil.example' }],
		]
		for (const r of withAction) {
			for (const [how, headers] of attempts) {
				const res = await postOver(r, headers)
				const text = await res.text()
				if (res.status !== 403 || !text.includes(REFUSED) || res.headers.has('Set-Cookie')) problems.push(`${how} → POST ${r.id}: ${res.status} ${text.slice(0, 80)}`)
			}
		}
		expect(problems).toEqual([])
		expect(await databaseFingerprint()).toEqual(before)
	})

	test('the same POSTs from this site’s own pages reach the routes (the refusal above is the Origin check’s)', async () => {
		const problems: string[] = []
		for (const r of routes.filter((r) => r.action)) {
			// Anonymous, so nothing is changed: the route answers (sign-in, 400, 404 …), not the check.
			const res = await fetch(app.url + fill(r.path, paramsOf(r)), { method: 'POST', redirect: 'manual', headers: { Origin: app.url }, body: new URLSearchParams() })
			const text = await res.text()
			if (text.includes(REFUSED) || res.status >= 500) problems.push(`POST ${r.id}: ${res.status} ${text.slice(0, 80)}`)
		}
		expect(problems).toEqual([])
	})
})

