import { z } from 'zod'
import { normalizedStem, questionFileSchema, questionProblems } from '#app/bank/question-file.ts'
import { OUTREACH_SETTINGS, type OutreachSetting } from './labels.ts'

// Pages import these from ./labels.ts, which keeps zod out of the browser.
export { campaignDatesLabel, OUTREACH_SETTINGS, type OutreachSetting } from './labels.ts'

// The shape of the shipped public-education content (宣教): case studies (content/cases/<slug>.md),
// the glossary (content/glossary.yaml), the 五进 pages (content/outreach/<setting>.md) and the
// campaign calendar (content/campaigns.yaml). Pure: the content check and the loaders both use it.

export const SLUG = /^[a-z0-9][a-z0-9-]*$/

/** Case questions have exactly the shape of bank questions, so they can be graded the same way. */
export const caseQuestionSchema = questionFileSchema.shape.questions.element
export type CaseQuestion = z.infer<typeof caseQuestionSchema>

/**
 * Cause tags, one fixed list so that filtering by cause finds every case that shares one.
 * 按事故调查报告中常见的原因归类。
 */
export const CASE_CAUSES = [
	'违章指挥',
	'违章作业',
	'违反劳动纪律',
	'违规动火',
	'有限空间盲目施救',
	'安全培训不到位',
	'无证上岗',
	'隐患排查不力',
	'安全设施缺失或失效',
	'监测监控失效',
	'作业许可流于形式',
	'承包商管理不到位',
	'擅自改变用途或结构',
	'应急处置不当',
	'安全责任不落实',
	'监管责任不落实',
	'三超一疲劳',
	'疏散通道堵塞',
] as const

export const caseFrontMatterSchema = z.object({
	title: z.string().trim().min(6),
	/** One sentence for lists and link previews (description / og:description). */
	summary: z.string().trim().min(20).max(120),
	/** An industry code from content/catalogue/industries.yaml (checked against the catalogue). */
	industry: z.string().min(1),
	year: z.number().int().min(2000).max(2030),
	/** The kind of public source the composite case was rewritten from; never a real company or person. */
	source: z.string().trim().min(10),
	causes: z.array(z.enum(CASE_CAUSES)).min(1),
	tags: z.array(z.string().trim().min(1)).min(1),
	questions: z.array(caseQuestionSchema).min(3, '每个案例至少 3 道题').max(5, '每个案例最多 5 道题'),
})
export type CaseFrontMatter = z.infer<typeof caseFrontMatterSchema>

/** The headings (## and ###) of every case body, exactly and in this order — 四不放过 in writing. */
export const CASE_HEADINGS = [
	'## 事故经过',
	'## 原因分析',
	'### 直接原因',
	'### 间接原因',
	'## 责任追究',
	'## 防范措施',
	'## 教训',
] as const

/** Problems with a case body's structure: wrong, missing or extra headings, or an empty section. */
export function caseBodyProblems(body: string): string[] {
	const lines = body.split('\n')
	const headings: { text: string; line: number }[] = []
	let fenced = false
	lines.forEach((line, index) => {
		if (line.startsWith('```')) fenced = !fenced
		if (!fenced && /^#{1,3}\s/.test(line)) headings.push({ text: line.trim().replace(/\s+/g, ' '), line: index })
	})
	const found = headings.map((h) => h.text)
	if (found.join('|') !== CASE_HEADINGS.join('|')) {
		return [`标题须依次为 ${CASE_HEADINGS.join('、')}，实际为 ${found.join('、') || '（无）'}`]
	}
	const problems: string[] = []
	headings.forEach((heading, i) => {
		// 原因分析 is only the parent of the two cause subsections; it may have no text of its own.
		if (heading.text === '## 原因分析') return
		const end = headings[i + 1]?.line ?? lines.length
		const text = lines.slice(heading.line + 1, end).join('').trim()
		if (text.length < 30) problems.push(`「${heading.text.replace(/^#+ /, '')}」内容太少`)
	})
	return problems
}

export const outreachFrontMatterSchema = z.object({
	title: z.string().trim().min(4),
	setting: z.enum(Object.keys(OUTREACH_SETTINGS) as [OutreachSetting, ...OutreachSetting[]]),
	summary: z.string().trim().min(20).max(120),
	/** Slugs of related case studies in content/cases. */
	cases: z.array(z.string().regex(SLUG)).min(1),
	/** Topics of the 通用 bank the short self-test is drawn from. */
	selfTestTopics: z.array(z.string().trim().min(1)).min(1),
})
export type OutreachFrontMatter = z.infer<typeof outreachFrontMatterSchema>

/** Length of a page's text as a reader sees it: no whitespace, no markdown marks. */
export const readableLength = (markdown: string) => [...markdown.replace(/[\s#*|>`_-]/g, '')].length

export const OUTREACH_LENGTH = { min: 600, max: 1200 } as const

export const glossaryTermSchema = z.object({
	term: z.string().trim().min(2),
	explanation: z.string().trim().min(10),
	/** The law or document the term comes from, by name. */
	source: z.string().trim().min(4),
	/** Other spellings that should link to the same entry. */
	aliases: z.array(z.string().trim().min(2)).optional(),
})
export const glossaryFileSchema = z.array(glossaryTermSchema).min(1)
export type GlossaryTerm = z.infer<typeof glossaryTermSchema>

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期须为 MM-DD')

/** A campaign day fixed by a rule rather than a date, e.g. 3 月最后一个星期一. */
const campaignRuleSchema = z.object({
	month: z.number().int().min(1).max(12),
	/** 0 = Sunday … 6 = Saturday. */
	weekday: z.number().int().min(0).max(6),
	/** 1 = first … 4 = fourth, -1 = last. */
	nth: z.union([z.literal(-1), z.number().int().min(1).max(4)]),
	days: z.number().int().min(1).max(31).default(1),
})

export const campaignSchema = z
	.object({
		slug: z.string().regex(SLUG),
		name: z.string().trim().min(3),
		start: monthDay.optional(),
		end: monthDay.optional(),
		rule: campaignRuleSchema.optional(),
		/** Shown beside the dates when the official dates vary from year to year. */
		note: z.string().trim().optional(),
		summary: z.string().trim().min(10),
		theme: z.string().trim().min(4),
	})
	.refine((c) => (c.start && c.end && !c.rule) || (!c.start && !c.end && c.rule), {
		message: '须给出 start 和 end，或者给出 rule（二者选一）',
	})
	.refine((c) => !c.start || !c.end || c.start <= c.end, { message: 'end 不能早于 start' })
export const campaignsFileSchema = z.array(campaignSchema).min(1)
export type Campaign = z.infer<typeof campaignSchema>

const utcDate = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day))

/** The first and last day (UTC dates) of a campaign in a given year. */
export function campaignWindow(campaign: Campaign, year: number): { start: Date; end: Date } {
	if (campaign.rule) {
		const { month, weekday, nth, days } = campaign.rule
		let day: Date
		if (nth === -1) {
			day = utcDate(year, month + 1, 0)
			while (day.getUTCDay() !== weekday) day = utcDate(year, month, day.getUTCDate() - 1)
		} else {
			day = utcDate(year, month, 1)
			while (day.getUTCDay() !== weekday) day = utcDate(year, month, day.getUTCDate() + 1)
			day = utcDate(year, month, day.getUTCDate() + 7 * (nth - 1))
		}
		return { start: day, end: utcDate(year, month, day.getUTCDate() + days - 1) }
	}
	const [sm, sd] = campaign.start!.split('-').map(Number) as [number, number]
	const [em, ed] = campaign.end!.split('-').map(Number) as [number, number]
	return { start: utcDate(year, sm, sd), end: utcDate(year, em, ed) }
}

/**
 * The campaign under way on a day, else the next one to start (looking into next year if needed).
 * `today` is a calendar day in China time, as a UTC date.
 */
export function currentOrNextCampaign(campaigns: Campaign[], today: Date): { campaign: Campaign; start: Date; end: Date; current: boolean } | null {
	const year = today.getUTCFullYear()
	const windows = [year, year + 1].flatMap((y) => campaigns.map((campaign) => ({ campaign, ...campaignWindow(campaign, y) })))
	// Of several running at once, the one that ends soonest is the most timely (全国消防日 inside 消防宣传月).
	const running = windows.filter((w) => w.start <= today && today <= w.end).sort((a, b) => +a.end - +b.end)[0]
	if (running) return { ...running, current: true }
	const next = windows.filter((w) => w.start > today).sort((a, b) => +a.start - +b.start)[0]
	return next ? { ...next, current: false } : null
}

/** What the public-content check needs from the rest of the shipped content. */
export type PublicContentContext = {
	industryCodes: Set<string>
	/** Questions of the 通用 bank (for everyone, not by role): where public self-tests draw from. */
	generalQuestions: { id: string; topics: string[] }[]
	/** Ids of every bank question: case question ids must not clash with them. */
	bankQuestionIds: Set<string>
}

export type PublicContent = {
	cases: { slug: string; frontMatter: CaseFrontMatter; body: string }[]
	pages: { slug: string; frontMatter: OutreachFrontMatter; body: string }[]
	glossary: GlossaryTerm[]
	campaigns: Campaign[]
}

/** The smallest self-test a 五进 page may offer. */
export const MIN_SELF_TEST_POOL = 10

/** Cross-file problems of the public content that its schemas cannot see. */
export function publicContentProblems(content: PublicContent, context: PublicContentContext): string[] {
	const problems: string[] = []
	const caseSlugs = new Set(content.cases.map((c) => c.slug))
	const questionIds = new Set<string>()
	const stems = new Map<string, string>()
	for (const { slug, frontMatter, body } of content.cases) {
		const where = `cases/${slug}.md`
		if (!context.industryCodes.has(frontMatter.industry)) problems.push(`${where}：行业 ${frontMatter.industry} 不在目录中`)
		for (const p of caseBodyProblems(body)) problems.push(`${where}：${p}`)
		for (const q of frontMatter.questions) {
			const at = `${where} ${q.id}`
			if (!q.id.startsWith(`${slug}-`)) problems.push(`${at}：题目 id 须以案例名 ${slug}- 开头`)
			if (questionIds.has(q.id) || context.bankQuestionIds.has(q.id)) problems.push(`${at}：id 重复`)
			questionIds.add(q.id)
			const stem = normalizedStem(q.stem)
			if (stems.has(stem)) problems.push(`${at}：题干与 ${stems.get(stem)} 重复`)
			stems.set(stem, q.id)
			for (const p of questionProblems(q)) problems.push(`${at}：${p}`)
		}
	}

	const topicCounts = new Map<string, number>()
	for (const q of context.generalQuestions) for (const t of q.topics) topicCounts.set(t, (topicCounts.get(t) ?? 0) + 1)
	for (const setting of Object.keys(OUTREACH_SETTINGS)) {
		if (!content.pages.some((p) => p.slug === setting)) problems.push(`outreach/${setting}.md：缺少“五进”页面`)
	}
	for (const { slug, frontMatter, body } of content.pages) {
		const where = `outreach/${slug}.md`
		for (const c of frontMatter.cases) if (!caseSlugs.has(c)) problems.push(`${where}：案例 ${c} 不存在`)
		for (const t of frontMatter.selfTestTopics) if (!topicCounts.has(t)) problems.push(`${where}：通用题库中没有主题“${t}”的题目`)
		const topics = new Set(frontMatter.selfTestTopics)
		const pool = context.generalQuestions.filter((q) => q.topics.some((t) => topics.has(t))).length
		if (pool < MIN_SELF_TEST_POOL) problems.push(`${where}：自测主题只覆盖 ${pool} 道通用题，至少需要 ${MIN_SELF_TEST_POOL} 道`)
		const length = readableLength(body)
		if (length < OUTREACH_LENGTH.min || length > OUTREACH_LENGTH.max) {
			problems.push(`${where}：正文 ${length} 字，应在 ${OUTREACH_LENGTH.min}–${OUTREACH_LENGTH.max} 字之间`)
		}
	}

	// Every term and alias names exactly one entry, or links would be ambiguous.
	const names = new Map<string, string>()
	for (const { term, aliases } of content.glossary) {
		for (const name of [term, ...(aliases ?? [])]) {
			const owner = names.get(name)
			if (owner === undefined) names.set(name, term)
			else if (name === term && owner === term) problems.push(`glossary.yaml：术语 ${term} 重复`)
			else if (owner === term) problems.push(`glossary.yaml：${term} 的别名 ${name} 重复`)
			else problems.push(`glossary.yaml：${name} 同时指向 ${owner} 和 ${term}`)
		}
	}

	const campaignSlugs = new Set<string>()
	for (const c of content.campaigns) {
		if (campaignSlugs.has(c.slug)) problems.push(`campaigns.yaml：${c.slug} 重复`)
		campaignSlugs.add(c.slug)
	}
	return problems
}
