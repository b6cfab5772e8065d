import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { readCatalogue } from '#app/content/catalogue.server.ts'
import type { ShippedCase } from '#app/outreach/read.server.ts'
import { readShippedCases, readShippedGlossary } from '#app/outreach/read.server.ts'
import type { GlossaryTerm } from '#app/outreach/content-files.ts'
import * as casesRoute from '#app/routes/cases._index.tsx'
import * as caseRoute from '#app/routes/cases.$slug.tsx'
import * as glossaryRoute from '#app/routes/glossary.tsx'
import { load, submit } from '#tests/fixtures/requests.ts'

// The public 警示教育 case library, case pages with their self-check, and the glossary (issue 7):
// no sign-in, and the answer key never reaches the page before the answers are posted.

const CONTENT = path.resolve('content')
let cases: ShippedCase[]
let glossary: GlossaryTerm[]
let industryNames: Map<string, string>

beforeAll(async () => {
	cases = (await readShippedCases(CONTENT)).cases
	glossary = (await readShippedGlossary(CONTENT)).terms
	industryNames = new Map((await readCatalogue(CONTENT)).industries.map((i) => [i.code, i.name]))
	expect(cases.length).toBeGreaterThanOrEqual(12)
})

describe('/cases', () => {
	test('lists every case with title, summary, industry name, year and causes, without sign-in', async () => {
		const { status, data } = await load(casesRoute, '/cases')
		expect(status).toBe(200)
		expect(data.total).toBe(cases.length)
		expect(data.cases.map((c: { slug: string }) => c.slug).sort()).toEqual(cases.map((c) => c.slug).sort())
		const first = cases[0]!
		const listed = data.cases.find((c: { slug: string }) => c.slug === first.slug)
		expect(listed).toMatchObject({
			title: first.frontMatter.title,
			summary: first.frontMatter.summary,
			year: first.frontMatter.year,
			causes: first.frontMatter.causes,
			industryName: industryNames.get(first.frontMatter.industry),
		})
		// Newest first.
		const years = data.cases.map((c: { year: number }) => c.year)
		expect(years).toEqual([...years].sort((a, b) => b - a))
	})

	test('filters by industry, by cause and by both, offering only choices some case has', async () => {
		const industry = cases[0]!.frontMatter.industry
		const byIndustry = await load(casesRoute, `/cases?industry=${industry}`)
		const expectedIndustry = cases.filter((c) => c.frontMatter.industry === industry).map((c) => c.slug).sort()
		expect(byIndustry.data.cases.map((c: { slug: string }) => c.slug).sort()).toEqual(expectedIndustry)
		expect(expectedIndustry.length).toBeLessThan(cases.length)

		const cause = '有限空间盲目施救'
		const byCause = await load(casesRoute, `/cases?cause=${encodeURIComponent(cause)}`)
		const expectedCause = cases.filter((c) => c.frontMatter.causes.includes(cause)).map((c) => c.slug).sort()
		expect(expectedCause.length).toBeGreaterThan(0)
		expect(byCause.data.cases.map((c: { slug: string }) => c.slug).sort()).toEqual(expectedCause)
		expect(byCause.data.filter).toEqual({ industry: '', cause })

		const both = await load(casesRoute, `/cases?industry=${industry}&cause=${encodeURIComponent(cause)}`)
		expect(both.data.cases.map((c: { slug: string }) => c.slug).sort()).toEqual(
			cases.filter((c) => c.frontMatter.industry === industry && c.frontMatter.causes.includes(cause)).map((c) => c.slug).sort(),
		)

		const none = await load(casesRoute, '/cases?industry=no-such-industry')
		expect(none.status).toBe(200)
		expect(none.data.cases).toEqual([])
		expect(none.data.total).toBe(cases.length)

		const industryCodes = byIndustry.data.industries.map(([code]: [string, string]) => code).sort()
		expect(industryCodes).toEqual([...new Set(cases.map((c) => c.frontMatter.industry))].sort())
		expect(byIndustry.data.industries.find(([code]: [string, string]) => code === industry)[1]).toBe(industryNames.get(industry))
		expect([...byCause.data.causes].sort()).toEqual([...new Set(cases.flatMap((c) => c.frontMatter.causes))].sort())
	})
})

describe('/cases/:slug', () => {
	const slugOf = () => cases.find((c) => c.frontMatter.questions.some((q) => q.type === 'multiple') && c.frontMatter.questions.some((q) => q.type === 'judge'))!

	test('renders the case with its sections and glossary links, and the questions without the key', async () => {
		const shipped = slugOf()
		const { status, data } = await load(caseRoute, `/cases/${shipped.slug}`, null, { slug: shipped.slug })
		expect(status).toBe(200)
		expect(data.title).toBe(shipped.frontMatter.title)
		for (const heading of ['事故经过', '原因分析', '直接原因', '间接原因', '责任追究', '防范措施', '教训']) expect(data.html).toMatch(new RegExp(`<h[23]>${heading}</h[23]>`))
		expect(data.html).not.toMatch(/<script/i)
		expect(data.questions).toHaveLength(shipped.frontMatter.questions.length)

		// No answer and no explanation anywhere in what the page gets.
		const serialized = JSON.stringify(data.questions)
		for (const q of shipped.frontMatter.questions) {
			expect(serialized).not.toContain(q.explanation)
			expect(data.questions.find((p: { id: string }) => p.id === q.id)).toEqual({
				id: q.id,
				type: q.type,
				stem: q.stem,
				options: q.type === 'judge' ? ['正确', '错误'] : q.options,
			})
		}
		expect(serialized).not.toMatch(/"answer"|"explanation"/)
	})

	test('links glossary terms that appear in a case body to their entries, never inside headings', async () => {
		const names = glossary.flatMap((t) => [t.term, ...(t.aliases ?? [])].map((name) => ({ name, term: t.term })))
		const withTerm = cases.find((c) => names.some(({ name }) => c.body.replace(/^#.*$/gm, '').includes(name)))
		expect(withTerm).toBeDefined()
		const { data } = await load(caseRoute, `/cases/${withTerm!.slug}`, null, { slug: withTerm!.slug })
		const links = [...data.html.matchAll(/<a href="\/glossary#([^"]+)" class="term">/g)].map((m: RegExpMatchArray) => decodeURIComponent(m[1]!))
		expect(links.length).toBeGreaterThan(0)
		const terms = new Set(glossary.map((t) => t.term))
		for (const anchor of links) expect(terms.has(anchor)).toBe(true)
		expect(new Set(links).size).toBe(links.length)
		expect(data.html).not.toMatch(/<h[1-6]>[^<]*<a [^>]*class="term"/)
	})

	test('grades posted answers: all right, partly right, and unanswered', async () => {
		const shipped = slugOf()
		const questions = shipped.frontMatter.questions
		const field = (id: string) => `q-${id}`
		const asForm = (answer: string | boolean) => (typeof answer === 'boolean' ? String(answer) : [...answer])

		const allRight = Object.fromEntries(questions.map((q) => [field(q.id), asForm(q.answer)]))
		const right = await submit(caseRoute, `/cases/${shipped.slug}`, allRight, null, { slug: shipped.slug })
		expect(right.status).toBe(200)
		expect(right.data.right).toBe(questions.length)
		expect(right.data.total).toBe(questions.length)
		for (const q of questions) {
			const r = right.data.results.find((x: { id: string }) => x.id === q.id)
			expect(r.correct).toBe(true)
			expect(r.explanation).toBe(q.explanation)
		}

		// The first question wrong, the multiple-choice one with one right letter missing, the rest blank.
		const [first] = questions
		const multiple = questions.find((q) => q.type === 'multiple')!
		const wrongFirst = first!.type === 'judge' ? String(!first!.answer) : 'ABCDEFGH'.slice(0, first!.options!.length).split('').find((l) => !String(first!.answer).includes(l))!
		const partial = String(multiple.answer).slice(1)
		const mixed = await submit(caseRoute, `/cases/${shipped.slug}`, { [field(first!.id)]: wrongFirst, [field(multiple.id)]: [...partial] }, null, { slug: shipped.slug })
		expect(mixed.data.right).toBe(0)
		const firstResult = mixed.data.results.find((x: { id: string }) => x.id === first!.id)
		expect(firstResult.correct).toBe(false)
		expect(firstResult.explanation).toBe(first!.explanation)
		expect(firstResult.keyText).toBe(typeof first!.answer === 'boolean' ? (first!.answer ? '正确' : '错误') : first!.answer)
		expect(mixed.data.results.find((x: { id: string }) => x.id === multiple.id).correct).toBe(false)
		const blank = mixed.data.results.find((x: { id: string }) => x.id !== first!.id && x.id !== multiple.id)
		expect(blank).toMatchObject({ correct: false, given: null, givenText: '未作答' })

		// Letters outside the options and two answers to a single-choice question count as unanswered.
		const single = questions.find((q) => q.type === 'single')
		if (single) {
			const odd = await submit(caseRoute, `/cases/${shipped.slug}`, { [field(single.id)]: [String(single.answer), 'Z'] }, null, { slug: shipped.slug })
			expect(odd.data.results.find((x: { id: string }) => x.id === single.id)).toMatchObject({ correct: true })
			const two = await submit(caseRoute, `/cases/${shipped.slug}`, { [field(single.id)]: ['A', 'B'] }, null, { slug: shipped.slug })
			expect(two.data.results.find((x: { id: string }) => x.id === single.id)).toMatchObject({ correct: false, given: null })
		}
	})

	test('an unknown slug is 404 for the page and for grading', async () => {
		const page = await load(caseRoute, '/cases/no-such-case', null, { slug: 'no-such-case' })
		expect(page.status).toBe(404)
		const graded = await submit(caseRoute, '/cases/no-such-case', { 'q-x': 'A' }, null, { slug: 'no-such-case' })
		expect(graded.status).toBe(404)
	})
})

describe('/glossary', () => {
	type Group = { name: string; terms: { term: string; anchor: string; explanation: string; source: string }[] }
	const termsOf = (groups: Group[]) => groups.flatMap((g) => g.terms.map((t) => t.term))

	test('shows every term in file order, grouped, each with explanation, source and an anchor', async () => {
		const { status, data } = await load(glossaryRoute, '/glossary')
		expect(status).toBe(200)
		expect(data.total).toBe(glossary.length)
		expect(termsOf(data.groups)).toEqual(glossary.map((t) => t.term))
		expect(data.groups.length).toBeGreaterThan(1)
		expect(data.groups.map((g: Group) => g.name)).toContain('责任体系')
		const entry = data.groups.flatMap((g: Group) => g.terms).find((t: { term: string }) => t.term === '三违')
		const shipped = glossary.find((t) => t.term === '三违')!
		expect(entry).toMatchObject({ anchor: '三违', explanation: shipped.explanation, source: shipped.source })
	})

	test('searches by term, alias and explanation', async () => {
		const byTerm = await load(glossaryRoute, `/glossary?q=${encodeURIComponent('有限空间')}`)
		expect(termsOf(byTerm.data.groups)).toContain('有限空间')
		expect(byTerm.data.count).toBeLessThan(glossary.length)

		const alias = glossary.find((t) => t.aliases?.some((a) => !glossary.some((o) => o.term.includes(a) || o.explanation.includes(a))))!
		const aliasName = alias.aliases!.find((a) => !glossary.some((o) => o.term.includes(a) || o.explanation.includes(a)))!
		const byAlias = await load(glossaryRoute, `/glossary?q=${encodeURIComponent(aliasName)}`)
		expect(termsOf(byAlias.data.groups)).toContain(alias.term)

		const word = '违章指挥'
		const byExplanation = await load(glossaryRoute, `/glossary?q=${encodeURIComponent(word)}`)
		const expected = glossary.filter((t) => [t.term, ...(t.aliases ?? []), t.explanation].some((s) => s.includes(word))).map((t) => t.term)
		expect(expected.length).toBeGreaterThan(0)
		expect(termsOf(byExplanation.data.groups)).toEqual(expected)
		expect(byExplanation.data.count).toBe(expected.length)

		const none = await load(glossaryRoute, '/glossary?q=zzzz-nothing')
		expect(none.data.count).toBe(0)
		expect(none.data.groups).toEqual([])
	})
})
