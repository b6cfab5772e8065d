import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { checkContent } from '#app/content/check.server.ts'
import { caseBodyProblems, campaignWindow, currentOrNextCampaign, OUTREACH_SETTINGS, type Campaign } from '#app/outreach/content-files.ts'
import { readShippedCampaigns, readShippedCases, readShippedGlossary, readShippedOutreachPages } from '#app/outreach/read.server.ts'

// The shipped public-education content (issue 7): case studies, 五进 pages, glossary, campaigns.

const CONTENT = path.resolve('content')
const day = (iso: string) => new Date(`${iso}T00:00:00Z`)
const iso = (d: Date) => d.toISOString().slice(0, 10)

describe('shipped public-education content', () => {
	test('passes the content check with every kind counted', async () => {
		const { problems, counts } = await checkContent()
		expect(problems).toEqual([])
		expect(counts.caseStudies).toBeGreaterThanOrEqual(12)
		expect(counts.glossaryTerms).toBeGreaterThanOrEqual(40)
		expect(counts.outreachPages).toBe(5)
		// Terms are linked in cases, 五进 pages and lessons, and every link lands on an entry.
		expect(counts.glossaryLinks).toBeGreaterThanOrEqual(100)
	})

	test('has at least 12 case studies spanning the kinds of accident the seeds name, each with 3–5 questions and the 四不放过 sections', async () => {
		const { cases, problems } = await readShippedCases(CONTENT)
		expect(problems).toEqual([])
		expect(cases.length).toBeGreaterThanOrEqual(12)
		const has = (c: (typeof cases)[number], tag: string) => c.frontMatter.tags.includes(tag)
		const kinds: Record<string, (c: (typeof cases)[number]) => boolean> = {
			煤矿火灾: (c) => c.frontMatter.industry === 'coal' && has(c, '火灾'),
			煤矿瓦斯爆炸或透水: (c) => c.frontMatter.industry === 'coal' && (has(c, '瓦斯') || has(c, '透水')),
			危险化学品: (c) => c.frontMatter.industry === 'hazchem',
			有限空间中毒窒息: (c) => has(c, '有限空间') && has(c, '中毒窒息'),
			建筑施工高处坠落: (c) => c.frontMatter.industry === 'construction' && has(c, '高处坠落'),
			燃气爆炸: (c) => c.frontMatter.industry === 'gas' && has(c, '爆炸'),
			道路运输危险货物或客运: (c) => c.frontMatter.industry === 'road_transport' && (has(c, '危险货物') || has(c, '客运')),
			电动自行车火灾: (c) => has(c, '电动自行车') && c.frontMatter.industry === 'fire',
			自建房倒塌: (c) => c.frontMatter.industry === 'self_built' && has(c, '倒塌'),
			特种设备: (c) => c.frontMatter.industry === 'special_equipment',
			粉尘爆炸: (c) => has(c, '粉尘涉爆') && has(c, '爆炸'),
			学校养老机构或九小场所火灾: (c) => c.frontMatter.industry === 'schools_elderly' || has(c, '九小场所'),
		}
		for (const [kind, matches] of Object.entries(kinds)) expect(cases.filter(matches).map((c) => c.slug), kind).not.toEqual([])
		for (const c of cases) {
			expect(c.frontMatter.questions.length, c.slug).toBeGreaterThanOrEqual(3)
			expect(c.frontMatter.questions.length, c.slug).toBeLessThanOrEqual(5)
			expect(caseBodyProblems(c.body), c.slug).toEqual([])
			// Composite cases, never a real person: names in reports look like 张某; ours use roles only.
			expect(c.body, c.slug).not.toMatch(/某某|[张王李赵刘陈杨黄吴]某/)
			expect(c.frontMatter.source, c.slug).toMatch(/改写/)
		}
	})

	test('has the five 五进 pages, each linking existing cases', async () => {
		const { pages, problems } = await readShippedOutreachPages(CONTENT)
		const { cases } = await readShippedCases(CONTENT)
		expect(problems).toEqual([])
		expect(pages.map((p) => p.slug).sort()).toEqual(Object.keys(OUTREACH_SETTINGS).sort())
		const slugs = new Set(cases.map((c) => c.slug))
		for (const page of pages) for (const c of page.frontMatter.cases) expect(slugs.has(c), `${page.slug} → ${c}`).toBe(true)
	})

	test('has at least 40 glossary terms, including every term of the seeds’ glossary', async () => {
		const { terms, problems } = await readShippedGlossary(CONTENT)
		expect(problems).toEqual([])
		expect(terms.length).toBeGreaterThanOrEqual(40)
		const names = new Set(terms.flatMap((t) => [t.term, ...(t.aliases ?? [])]))
		// 000_*.txt 第四部分“专业术语注释”, all twelve.
		const seedTerms = ['七化两下降一杜绝', '三严四查五五', '四个一', '五不为过、五个必须', '三管三必须', '三违', '四查一倒追', '三同时', '两客一危一货', '三超一疲劳', '五进', '四不放过']
		for (const t of seedTerms) expect(names.has(t), t).toBe(true)
		for (const t of ['一岗双责', '党政同责', '双重预防机制', '有限空间', '动火作业', '特种作业', '三项岗位人员', '逢查必考', '脱产培训', '应知应会', '九小场所', '经营性自建房', '重大事故隐患', '应急预案', '班前会']) {
			expect(names.has(t), t).toBe(true)
		}
	})

	test('has 安全生产月 in June, 消防宣传月 in November and 防灾减灾 around 5·12', async () => {
		const { campaigns, problems } = await readShippedCampaigns(CONTENT)
		expect(problems).toEqual([])
		const window = (name: string) => {
			const campaign = campaigns.find((c) => c.name === name)
			expect(campaign, name).toBeDefined()
			const { start, end } = campaignWindow(campaign!, 2026)
			return [iso(start), iso(end)]
		}
		expect(window('安全生产月')).toEqual(['2026-06-01', '2026-06-30'])
		expect(window('消防宣传月')).toEqual(['2026-11-01', '2026-11-30'])
		expect(window('全国防灾减灾日')).toEqual(['2026-05-12', '2026-05-12'])
		const [weekStart, weekEnd] = window('防灾减灾宣传周')
		expect(weekStart! <= '2026-05-12' && '2026-05-12' <= weekEnd!).toBe(true)
		expect(window('全国消防日')).toEqual(['2026-11-09', '2026-11-09'])
	})
})

describe('campaign dates', () => {
	const byRule = (rule: Campaign['rule']): Campaign => ({ slug: 'x', name: '测试活动', rule, summary: '用于测试的活动。', theme: '测试主题' })

	test('rules give the nth or last weekday of a month', () => {
		// 2026-03-30 is the last Monday of March; 2026-09-12 the second Saturday of September.
		expect(iso(campaignWindow(byRule({ month: 3, weekday: 1, nth: -1, days: 1 }), 2026).start)).toBe('2026-03-30')
		expect(iso(campaignWindow(byRule({ month: 9, weekday: 6, nth: 2, days: 1 }), 2026).start)).toBe('2026-09-12')
		// The last Thursday of 2026 is 12-31: a three-day campaign runs into the next year.
		expect(iso(campaignWindow(byRule({ month: 12, weekday: 4, nth: -1, days: 3 }), 2026).end)).toBe('2027-01-02')
	})

	test('the featured campaign is the one under way, the shortest if several, else the next one', async () => {
		const { campaigns } = await readShippedCampaigns(CONTENT)
		const featured = (d: string) => {
			const f = currentOrNextCampaign(campaigns, day(d))
			return f && { name: f.campaign.name, current: f.current, start: iso(f.start) }
		}
		expect(featured('2026-06-15')).toEqual({ name: '安全生产月', current: true, start: '2026-06-01' })
		expect(featured('2026-11-09')).toEqual({ name: '全国消防日', current: true, start: '2026-11-09' })
		expect(featured('2026-11-10')).toEqual({ name: '消防宣传月', current: true, start: '2026-11-01' })
		expect(featured('2026-07-10')).toEqual({ name: '世界急救日', current: false, start: '2026-09-12' })
		// After the last campaign of the year, the first of next year (last Monday of March 2027).
		expect(featured('2026-12-20')).toEqual({ name: '全国中小学生安全教育日', current: false, start: '2027-03-29' })
	})
})

describe('the public-content check', () => {
	test('catches a missing section, a wrong answer, a link to a missing case, a duplicate term and a bad campaign', async () => {
		const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'outreach-'))
		try {
			await fs.cp(path.join(CONTENT, 'catalogue'), path.join(tmp, 'catalogue'), { recursive: true })
			await fs.cp(path.join(CONTENT, 'questions'), path.join(tmp, 'questions'), { recursive: true })
			await fs.cp(path.join(CONTENT, 'outreach'), path.join(tmp, 'outreach'), { recursive: true })
			await fs.mkdir(path.join(tmp, 'cases'))
			const original = await fs.readFile(path.join(CONTENT, 'cases', 'coal-mine-belt-fire.md'), 'utf8')
			// Same case under another name, with 责任追究 dropped and one answer outside its options.
			const broken = original
				.replaceAll('coal-mine-belt-fire-', 'broken-case-')
				.replace(/## 责任追究[\s\S]*?(?=## 防范措施)/, '')
				.replace('answer: AC', 'answer: AF')
			await fs.writeFile(path.join(tmp, 'cases', 'broken-case.md'), broken)
			await fs.writeFile(
				path.join(tmp, 'glossary.yaml'),
				'- { term: 三违, explanation: 违章指挥、违章作业、违反劳动纪律。, source: 测试用出处 }\n- { term: 三违, explanation: 重复的一条术语用于测试。, source: 测试用出处 }\n',
			)
			await fs.writeFile(path.join(tmp, 'campaigns.yaml'), '- { slug: june, name: 安全生产月, start: 06-30, end: 06-01, summary: 结束早于开始的活动。, theme: 测试主题 }\n')
			const all = (await checkContent(tmp)).problems.join('\n')
			expect(all).toMatch(/cases\/broken-case\.md：标题须依次为/)
			expect(all).toMatch(/broken-case-3：答案 F 不在选项中/)
			expect(all).toMatch(/outreach\/enterprise\.md：案例 coal-mine-gas-explosion 不存在/)
			expect(all).toMatch(/glossary\.yaml：术语 三违 重复/)
			expect(all).toMatch(/campaigns\.yaml：.*end 不能早于 start/)
		} finally {
			await fs.rm(tmp, { recursive: true, force: true })
		}
	})

	test('catches glossary links that land on no entry: written by hand in a case or a lesson, or two terms with one anchor', async () => {
		const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'glossary-links-'))
		try {
			for (const dir of ['catalogue', 'questions', 'outreach']) await fs.cp(path.join(CONTENT, dir), path.join(tmp, dir), { recursive: true })
			for (const file of ['glossary.yaml', 'campaigns.yaml']) await fs.cp(path.join(CONTENT, file), path.join(tmp, file))
			await fs.mkdir(path.join(tmp, 'cases'))
			const original = await fs.readFile(path.join(CONTENT, 'cases', 'coal-mine-belt-fire.md'), 'utf8')
			await fs.writeFile(path.join(tmp, 'cases', 'coal-mine-belt-fire.md'), original.replace('## 教训\n', '## 教训\n\n另见[四不放过原则](/glossary#四不放过原则)。\n'))
			await fs.cp(path.join(CONTENT, 'courses', 'general-safety'), path.join(tmp, 'courses', 'general-safety'), { recursive: true })
			const lesson = path.join(tmp, 'courses', 'general-safety', '02-three-violations.md')
			await fs.writeFile(lesson, (await fs.readFile(lesson, 'utf8')) + '\n详见[术语表](/glossary#%E4%B8%89%E8%BF%9D%E8%A1%8C%E4%B8%BA)和[三违](/glossary#三违)。\n')
			await fs.appendFile(path.join(tmp, 'glossary.yaml'), '\n- { term: 三 违, explanation: 与“三-违”锚点相同的测试术语。, source: 测试用出处 }\n- { term: 三-违, explanation: 与“三 违”锚点相同的测试术语。, source: 测试用出处 }\n')

			const { problems, counts } = await checkContent(tmp)
			const linkProblems = problems.filter((p) => /术语链接|锚点/.test(p))
			expect(linkProblems).toEqual([
				'glossary.yaml：术语 三-违 的锚点 #三-违 与另一条重复',
				'cases/coal-mine-belt-fire.md：术语链接 /glossary#四不放过原则 在术语表中没有对应条目',
				// An alias is not an anchor: 三违行为 links to #三违; the hand-written #三违 is fine.
				'courses/general-safety/02-three-violations.md：术语链接 /glossary#三违行为 在术语表中没有对应条目',
			])
			expect(counts.glossaryLinks).toBeGreaterThan(2)
		} finally {
			await fs.rm(tmp, { recursive: true, force: true })
		}
	})

	test('a case body must have every section in order with some text in it', () => {
		const ok = ['## 事故经过', '## 原因分析', '### 直接原因', '### 间接原因', '## 责任追究', '## 防范措施', '## 教训']
			.map((h) => `${h}\n\n${h.startsWith('## 原因') ? '' : '这一部分写了足够多的文字，用来说明事故的情况和需要吸取的教训。'}\n`)
			.join('\n')
		expect(caseBodyProblems(ok)).toEqual([])
		expect(caseBodyProblems(ok.replace('## 教训', '## 启示'))[0]).toMatch(/标题须依次为/)
		expect(caseBodyProblems(ok.replace(/(## 防范措施\n\n)[^\n]+/, '$1太短'))).toEqual(['「防范措施」内容太少'])
	})
})
