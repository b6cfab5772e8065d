import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import { and, eq } from 'drizzle-orm'
import { PNG } from 'pngjs'
import { beforeAll, describe, expect, test } from 'vitest'
import { articles, competitions, courses, lessons } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { CONTENT_DIR } from '#app/content/catalogue.server.ts'
import { readShippedCourses } from '#app/content/read.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { currentOrNextCampaign, OUTREACH_SETTINGS } from '#app/outreach/content-files.ts'
import { glossaryHref } from '#app/outreach/glossary-links.ts'
import { PRIVATE_PATHS } from '#app/outreach/indexing.ts'
import { readShippedCampaigns, readShippedCases, readShippedOutreachPages } from '#app/outreach/read.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { db } from '#app/utils/db.server.ts'
import { SHARE_IMAGE } from '#app/utils/meta.ts'
import * as articleRoute from '#app/routes/articles.$slug.tsx'
import * as articlesRoute from '#app/routes/articles._index.tsx'
import * as campaignsRoute from '#app/routes/campaigns.tsx'
import * as caseRoute from '#app/routes/cases.$slug.tsx'
import * as casesRoute from '#app/routes/cases._index.tsx'
import * as glossaryRoute from '#app/routes/glossary.tsx'
import * as homeRoute from '#app/routes/_index.tsx'
import * as lessonRoute from '#app/routes/learn.$courseId.$lessonId.tsx'
import * as robotsRoute from '#app/routes/robots[.]txt.ts'
import * as sitemapRoute from '#app/routes/sitemap[.]xml.ts'
import * as verifyRoute from '#app/routes/verify._index.tsx'
import * as verifySerialRoute from '#app/routes/verify.$serial.tsx'
import * as wujinIndexRoute from '#app/routes/wujin._index.tsx'
import * as wujinRoute from '#app/routes/wujin.$setting.tsx'
import { load, ORIGIN, signedIn } from '#tests/fixtures/requests.ts'

// The public education pages: no sign-in, content read from content/.

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
})

const thisYear = () => Number(chinaDay(new Date()).slice(0, 4))

describe('五进 pages', () => {
	test('the index lists the five settings in order with their summaries', async () => {
		const { pages } = await readShippedOutreachPages(CONTENT_DIR)
		const outcome = await load(wujinIndexRoute, '/wujin')
		expect(outcome.status).toBe(200)
		expect(outcome.data.settings.map((s: { label: string }) => s.label)).toEqual(['进企业', '进农村', '进社区', '进学校', '进家庭'])
		for (const s of outcome.data.settings) {
			expect(s.summary).toBe(pages.find((p) => p.slug === s.setting)!.frontMatter.summary)
		}
	})

	test('each setting page loads anonymously with its body rendered and its related cases by title', async () => {
		const { cases } = await readShippedCases(CONTENT_DIR)
		const { pages } = await readShippedOutreachPages(CONTENT_DIR)
		for (const setting of Object.keys(OUTREACH_SETTINGS)) {
			const page = pages.find((p) => p.slug === setting)!
			const outcome = await load(wujinRoute, `/wujin/${setting}`, null, { setting })
			expect(outcome.status, setting).toBe(200)
			expect(outcome.data.title).toBe(page.frontMatter.title)
			expect(outcome.data.html).toContain('<h2>')
			expect(outcome.data.html).not.toContain('## ')
			expect(outcome.data.relatedCases.length, setting).toBeGreaterThan(0)
			expect(outcome.data.relatedCases).toEqual(
				page.frontMatter.cases.map((slug) => ({ slug, title: cases.find((c) => c.slug === slug)!.frontMatter.title })),
			)
			expect(outcome.data.selfTestTopics).toEqual(page.frontMatter.selfTestTopics)
		}
	})

	test('the family page links the electric-bicycle fire case', async () => {
		const outcome = await load(wujinRoute, '/wujin/family', null, { setting: 'family' })
		expect(outcome.data.relatedCases.map((c: { slug: string }) => c.slug)).toContain('ebike-residential-fire')
		expect(outcome.data.html).toContain('电动自行车')
	})

	test('an unknown setting, or a name that only exists on Object.prototype, is 404', async () => {
		for (const setting of ['factory', 'constructor', 'ENTERPRISE', '']) {
			const outcome = await load(wujinRoute, `/wujin/${setting}`, null, { setting })
			expect(outcome.status, setting).toBe(404)
		}
	})
})

describe('campaign calendar', () => {
	test('lists this year’s campaigns in date order with the three named campaigns on their dates', async () => {
		const year = thisYear()
		const outcome = await load(campaignsRoute, '/campaigns')
		expect(outcome.status).toBe(200)
		const calendar = outcome.data.calendar as { slug: string; name: string; start: string; end: string }[]
		const byName = (name: string) => calendar.find((c) => c.name === name)
		expect(byName('安全生产月')).toMatchObject({ start: `${year}-06-01`, end: `${year}-06-30` })
		expect(byName('消防宣传月')).toMatchObject({ start: `${year}-11-01`, end: `${year}-11-30` })
		expect(byName('全国防灾减灾日')).toMatchObject({ start: `${year}-05-12`, end: `${year}-05-12` })
		const week = byName('防灾减灾宣传周')!
		expect(week.start <= `${year}-05-12` && `${year}-05-12` <= week.end).toBe(true)
		const starts = calendar.map((c) => c.start)
		expect(starts).toEqual([...starts].sort())
		expect(starts.every((s) => s.startsWith(`${year}-`))).toBe(true)
		// A rule-based day resolves to a date: 3 月最后一个星期一.
		const schoolDay = new Date(`${calendar.find((c) => c.slug === 'school-safety-day')!.start}T00:00:00Z`)
		expect(schoolDay.getUTCDay()).toBe(1)
		expect(schoolDay.getUTCMonth()).toBe(2)
		expect(schoolDay.getUTCDate()).toBeGreaterThan(24)
	})

	test('marks the campaign that is current or next today', async () => {
		const { campaigns } = await readShippedCampaigns(CONTENT_DIR)
		const expected = currentOrNextCampaign(campaigns, new Date(`${chinaDay(new Date())}T00:00:00Z`))!
		const outcome = await load(campaignsRoute, '/campaigns')
		expect(outcome.data.featured).toMatchObject({ slug: expected.campaign.slug, current: expected.current })
	})
})

describe('home page', () => {
	test('features the current or next campaign and offers sign-in to visitors', async () => {
		const { campaigns } = await readShippedCampaigns(CONTENT_DIR)
		const expected = currentOrNextCampaign(campaigns, new Date(`${chinaDay(new Date())}T00:00:00Z`))!
		const outcome = await load(homeRoute, '/')
		expect(outcome.status).toBe(200)
		expect(outcome.data.home).toBeNull()
		expect(outcome.data.campaign).toMatchObject({
			slug: expected.campaign.slug,
			name: expected.campaign.name,
			summary: expected.campaign.summary,
			start: expected.start.toISOString().slice(0, 10),
			end: expected.end.toISOString().slice(0, 10),
			current: expected.current,
		})
	})

	test('still sends a signed-in worker to their own home', async () => {
		const worker = await signedIn('13900000010')
		const outcome = await load(homeRoute, '/', worker)
		expect(outcome.status).toBe(200)
		expect(outcome.data.home).toBe('/me')
		expect(outcome.data.campaign).not.toBeNull()
	})
})

describe('glossary links in lessons', () => {
	test('a shipped lesson that names 三违 links it to its glossary entry', async () => {
		const { courses: shipped } = await readShippedCourses(CONTENT_DIR)
		const source = shipped.find((c) => c.dir === 'general-safety')!.lessons.find((l) => l.file === '02-three-violations.md')!
		expect(source.body).toContain('三违')
		const [course] = await db.select().from(courses).where(eq(courses.code, 'general-safety'))
		const [lesson] = await db.select().from(lessons).where(and(eq(lessons.courseId, course!.id), eq(lessons.title, source.frontMatter.title)))
		const worker = await signedIn('13900000010')
		const params = { courseId: course!.id, lessonId: lesson!.id }
		const page = await load(lessonRoute, `/learn/${course!.id}/${lesson!.id}`, worker, params)
		expect(page.status).toBe(200)
		expect(page.data.lesson.html).toContain(`<a href="${glossaryHref('三违')}" class="term">`)
		// Never inside a heading: the lesson's first heading names 三违 and stays plain.
		expect(page.data.lesson.html).toMatch(/<h2>什么是“三违”<\/h2>/)
	})
})

// ---- sharing and indexing ---------------------------------------------------------------------

const PUBLISHED = 'gas-safety-at-home'
const DRAFT = 'unfinished-notice'
const COMPETITION = 'safety-month-quiz'

async function seedIndexables() {
	const now = new Date()
	const article = { title: '家庭燃气安全要点', summary: '燃气泄漏怎么办？关阀门、开窗通风、到室外打电话报修，不开关电器，不用明火。', body: '## 闻到燃气味\n\n先关阀门。', publishedAt: now }
	await db.insert(articles).values([
		{ id: randomUUID(), slug: PUBLISHED, status: 'published', setting: 'family', ...article },
		{ id: randomUUID(), slug: DRAFT, status: 'draft', ...article, publishedAt: null },
	])
	await db.insert(competitions).values({
		id: randomUUID(),
		slug: COMPETITION,
		title: '安全生产月知识竞赛',
		opensAt: now,
		closesAt: new Date(now.getTime() + 7 * 86_400_000),
		timeLimitMinutes: 20,
		rules: [{ type: 'single', count: 10, points: 10 }],
	})
}

const metaOf = (route: { meta?: unknown }, pathname: string, data: unknown, params: Record<string, string> = {}) =>
	(route.meta as (args: unknown) => Record<string, string>[])({ data, params, location: { pathname, search: '', hash: '' }, matches: [{ id: 'root', data: { origin: ORIGIN } }] })

describe('sharing and indexing', () => {
	beforeAll(seedIndexables)

	test('every public page has a title, a description, a canonical link and Open Graph title, description and image', async () => {
		const { cases } = await readShippedCases(CONTENT_DIR)
		const pages: [{ loader?: unknown; meta?: unknown }, string, Record<string, string>?][] = [
			[homeRoute, '/'],
			[casesRoute, '/cases'],
			[caseRoute, `/cases/${cases[0]!.slug}`, { slug: cases[0]!.slug }],
			[glossaryRoute, '/glossary'],
			[wujinIndexRoute, '/wujin'],
			...Object.keys(OUTREACH_SETTINGS).map((setting) => [wujinRoute, `/wujin/${setting}`, { setting }] as [typeof wujinRoute, string, Record<string, string>]),
			[campaignsRoute, '/campaigns'],
			[articlesRoute, '/articles'],
			[articleRoute, `/articles/${PUBLISHED}`, { slug: PUBLISHED }],
			[verifyRoute, '/verify'],
			[verifySerialRoute, '/verify/AQ2026-AAAAAAAA-AAAAAA', { serial: 'AQ2026-AAAAAAAA-AAAAAA' }],
		]
		for (const [route, path, params = {}] of pages) {
			const outcome = await load(route as Parameters<typeof load>[0], path, null, params)
			expect([200, 404], path).toContain(outcome.status)
			const tags = metaOf(route, path, outcome.data, params)
			const content = (key: string, value: string) => tags.find((t) => t[key] === value)?.content
			expect(tags.find((t) => 'title' in t)?.title, path).toMatch(/安全生产培训考试与宣教平台$/)
			expect(content('name', 'description')?.length, path).toBeGreaterThan(20)
			expect(content('property', 'og:title'), path).toBeTruthy()
			expect(content('property', 'og:description'), path).toBe(content('name', 'description'))
			expect(content('property', 'og:image'), path).toBe(`${ORIGIN}${SHARE_IMAGE}`)
			expect(tags.find((t) => t.rel === 'canonical')?.href, path).toBe(`${ORIGIN}${path}`)
			// Only a certificate's own page stays out of search results.
			expect(content('name', 'robots'), path).toBe(path.startsWith('/verify/') ? 'noindex' : undefined)
		}
		const article = await load(articleRoute, `/articles/${PUBLISHED}`, null, { slug: PUBLISHED })
		const tags = metaOf(articleRoute, `/articles/${PUBLISHED}`, article.data)
		expect(tags).toEqual(expect.arrayContaining([{ property: 'og:title', content: '家庭燃气安全要点' }, { property: 'og:type', content: 'article' }]))
	})

	test('the share image is a 1200×630 PNG under 80 KB', async () => {
		const bytes = await fs.readFile(`public${SHARE_IMAGE}`)
		expect(bytes.length).toBeLessThan(80 * 1024)
		const png = PNG.sync.read(bytes)
		expect([png.width, png.height]).toEqual([1200, 630])
	})

	test('sitemap.xml lists every public page by absolute URL: shipped content, published articles, competitions', async () => {
		const outcome = await load(sitemapRoute, '/sitemap.xml')
		expect(outcome.status).toBe(200)
		expect(outcome.headers.get('Content-Type')).toMatch(/^application\/xml/)
		const xml: string = outcome.data
		expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/)
		const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!)
		expect(locs.every((l) => l.startsWith(`${ORIGIN}/`))).toBe(true)
		const paths = locs.map((l) => l.slice(ORIGIN.length))
		const { cases } = await readShippedCases(CONTENT_DIR)
		const expected = [
			'/',
			'/cases',
			...cases.map((c) => `/cases/${c.slug}`),
			'/glossary',
			'/wujin',
			...Object.keys(OUTREACH_SETTINGS).map((s) => `/wujin/${s}`),
			'/campaigns',
			'/articles',
			`/articles/${PUBLISHED}`,
			'/self-test',
			'/competitions',
			// Every competition there is: this file's and any the demo data holds.
			...(await db.select({ slug: competitions.slug }).from(competitions)).map((c) => `/competitions/${c.slug}`),
			'/verify',
		]
		expect(expected).toContain(`/competitions/${COMPETITION}`)
		expect([...paths].sort()).toEqual([...expected].sort())
		expect(paths).not.toContain(`/articles/${DRAFT}`)
	})

	test('robots.txt allows the public pages, keeps crawlers out of the signed-in areas and names the sitemap', async () => {
		const outcome = await load(robotsRoute, '/robots.txt')
		expect(outcome.status).toBe(200)
		expect(outcome.headers.get('Content-Type')).toMatch(/^text\/plain/)
		const text: string = outcome.data
		expect(text).toMatch(/^User-agent: \*$/m)
		expect(text).toContain(`Sitemap: ${ORIGIN}/sitemap.xml`)
		const rules = [...text.matchAll(/^Disallow: (\S+)$/gm)].map((m) => m[1]!)
		expect(rules).toEqual([...PRIVATE_PATHS])
		// As crawlers read a rule: a path prefix, `*` matching any run of characters.
		const pattern = (rule: string) => new RegExp(`^${rule.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}`)
		const blocked = (path: string) => rules.some((rule) => pattern(rule).test(path))
		const sitemap: string = (await load(sitemapRoute, '/sitemap.xml')).data
		for (const [, loc] of sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)) expect(blocked(loc!.slice(ORIGIN.length)), loc).toBe(false)
		expect(blocked('/verify/AQ2026-AAAAAAAA-AAAAAA')).toBe(false)
		for (const path of ['/admin', '/ent', '/gov/dashboard', '/people/1', '/editor/articles', '/bank', '/exams/1', '/attempts/1', '/me', '/learn/1/2', '/practice', '/self-test/r/abc', `/competitions/${COMPETITION}/paper`, `/competitions/${COMPETITION}/edit`, '/competitions/manage']) {
			expect(blocked(path), path).toBe(true)
		}
	})
})
