import { beforeAll, describe, expect, test } from 'vitest'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { CONTENT_DIR } from '#app/content/catalogue.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { currentOrNextCampaign, OUTREACH_SETTINGS } from '#app/outreach/content-files.ts'
import { readShippedCampaigns, readShippedCases, readShippedOutreachPages } from '#app/outreach/read.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { db } from '#app/utils/db.server.ts'
import * as campaignsRoute from '#app/routes/campaigns.tsx'
import * as homeRoute from '#app/routes/_index.tsx'
import * as wujinIndexRoute from '#app/routes/wujin._index.tsx'
import * as wujinRoute from '#app/routes/wujin.$setting.tsx'
import { load, signedIn } from '#tests/fixtures/requests.ts'

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
