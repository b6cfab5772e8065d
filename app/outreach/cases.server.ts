import fs from 'node:fs/promises'
import path from 'node:path'
import { CONTENT_DIR, readCatalogue } from '#app/content/catalogue.server.ts'
import { OPTION_LETTERS } from '#app/bank/question-file.ts'
import { scoreAnswer } from '#app/exams/grading.ts'
import { renderMarkdown } from '#app/utils/markdown.server.ts'
import type { CaseQuestion, GlossaryTerm } from './content-files.ts'
import { glossaryAnchor, linkGlossaryTerms } from './glossary-links.ts'
import { shippedOutreach, type ShippedCase } from './read.server.ts'

// The public 警示教育 case library and the glossary, read from content/. The files ship with the
// build and do not change while the server runs, so production reads them once; development re-reads
// them on every request so that edits show at once.

export type GlossaryEntry = GlossaryTerm & { anchor: string; group: string }

type PublicContent = {
	cases: ShippedCase[]
	industryNames: Map<string, string>
	glossary: GlossaryEntry[]
}

/** The section comments of glossary.yaml (`# ---------- 责任体系 ----------`) name the groups. */
async function glossaryGroups(contentDir: string) {
	const raw = await fs.readFile(path.join(contentDir, 'glossary.yaml'), 'utf8').catch(() => '')
	const groups = new Map<string, string>()
	let group = '其他'
	for (const line of raw.split('\n')) {
		const heading = /^#\s*-{3,}\s*(.+?)\s*-{3,}\s*$/.exec(line)
		if (heading) group = heading[1]!
		const term = /^-\s+term:\s*(.+?)\s*$/.exec(line)
		if (term) groups.set(term[1]!.replace(/^['"]|['"]$/g, ''), group)
	}
	return groups
}

async function readPublicContent(contentDir: string): Promise<PublicContent> {
	const [{ cases, glossary: terms }, catalogue, groups] = await Promise.all([shippedOutreach(), readCatalogue(contentDir), glossaryGroups(contentDir)])
	return {
		cases: [...cases].sort((a, b) => b.frontMatter.year - a.frontMatter.year || a.slug.localeCompare(b.slug)),
		industryNames: new Map(catalogue.industries.map((i) => [i.code, i.name])),
		glossary: terms.map((t) => ({ ...t, anchor: glossaryAnchor(t.term), group: groups.get(t.term) ?? '其他' })),
	}
}

let cached: Promise<PublicContent> | null = null
function publicContent(): Promise<PublicContent> {
	if (process.env.NODE_ENV !== 'production') return readPublicContent(CONTENT_DIR)
	cached ??= readPublicContent(CONTENT_DIR).catch((error) => {
		cached = null
		throw error
	})
	return cached
}

// ---- the case library ------------------------------------------------------------------------

export type CaseFilter = { industry: string; cause: string }

export async function listCases(filter: CaseFilter) {
	const { cases, industryNames } = await publicContent()
	const summaries = cases.map(({ slug, frontMatter: f }) => ({
		slug,
		title: f.title,
		summary: f.summary,
		industry: f.industry,
		industryName: industryNames.get(f.industry) ?? f.industry,
		year: f.year,
		causes: f.causes,
	}))
	const matching = summaries.filter((c) => (!filter.industry || c.industry === filter.industry) && (!filter.cause || c.causes.includes(filter.cause as never)))
	// Only industries and causes that some case has: a filter choice never leads to an empty list by itself.
	const industries = [...new Set(cases.map((c) => c.frontMatter.industry))].map((code) => [code, industryNames.get(code) ?? code] as [string, string])
	const causes = [...new Set(cases.flatMap((c) => c.frontMatter.causes))]
	return { cases: matching, total: summaries.length, industries, causes }
}

/** A case question as the page shows it before grading: no answer, no explanation. */
export type PublicCaseQuestion = { id: string; type: CaseQuestion['type']; stem: string; options: string[] }

const JUDGE_OPTIONS = ['正确', '错误']

const publicQuestion = (q: CaseQuestion): PublicCaseQuestion => ({
	id: q.id,
	type: q.type,
	stem: q.stem,
	options: q.type === 'judge' ? JUDGE_OPTIONS : (q.options ?? []),
})

async function findCase(slug: string) {
	const content = await publicContent()
	const found = content.cases.find((c) => c.slug === slug)
	return found ? { found, content } : null
}

/** The case page: rendered, glossary-linked HTML and the questions without their key. Null if unknown. */
export async function publicCase(slug: string) {
	const hit = await findCase(slug)
	if (!hit) return null
	const { found, content } = hit
	const f = found.frontMatter
	return {
		slug: found.slug,
		title: f.title,
		summary: f.summary,
		industryName: content.industryNames.get(f.industry) ?? f.industry,
		industry: f.industry,
		year: f.year,
		source: f.source,
		causes: f.causes,
		tags: f.tags,
		html: linkGlossaryTerms(renderMarkdown(found.body), content.glossary),
		questions: f.questions.map(publicQuestion),
	}
}

/** The submitted answer to one question, in the bank's form: letters ("ACD") or true/false. */
function submittedAnswer(q: CaseQuestion, values: string[]) {
	if (q.type === 'judge') return values[0] === 'true' ? true : values[0] === 'false' ? false : null
	const allowed = OPTION_LETTERS.slice(0, q.options?.length ?? 0)
	const letters = [...new Set(values.filter((v) => v.length === 1 && allowed.includes(v)))].sort()
	if (letters.length === 0 || (q.type === 'single' && letters.length > 1)) return null
	return letters.join('')
}

const answerText = (q: CaseQuestion, answer: string | boolean | null) =>
	answer === null ? '未作答' : typeof answer === 'boolean' ? (answer ? '正确' : '错误') : answer

/**
 * Grades the self-check of a case: each question right or wrong with the key and explanation. The
 * form field of a question is `q-<id>`; options are shown in the file's order, so no reordering.
 */
export async function gradeCase(slug: string, form: FormData) {
	const hit = await findCase(slug)
	if (!hit) return null
	const questions = hit.found.frontMatter.questions
	const results = questions.map((q) => {
		const given = submittedAnswer(q, form.getAll(`q-${q.id}`).map(String))
		const identity = (q.options ?? []).map((_, i) => i)
		const correct = scoreAnswer(q, given, identity, 1) === 1
		return {
			id: q.id,
			given: given === null ? null : String(given),
			givenText: answerText(q, given),
			keyText: answerText(q, q.answer),
			correct,
			explanation: q.explanation,
		}
	})
	return { results, right: results.filter((r) => r.correct).length, total: results.length }
}

// ---- the glossary ----------------------------------------------------------------------------

export async function glossaryTerms() {
	return (await publicContent()).glossary
}

/** Markdown as public pages and lessons show it: sanitised HTML with glossary terms linked. */
export async function renderWithGlossary(markdown: string) {
	return linkGlossaryTerms(renderMarkdown(markdown), await glossaryTerms())
}

/** Entries whose term, an alias or the explanation contains the query (case-insensitive, trimmed). */
export function searchGlossary(entries: readonly GlossaryEntry[], query: string) {
	const q = query.trim().toLowerCase()
	if (!q) return [...entries]
	return entries.filter((e) => [e.term, ...(e.aliases ?? []), e.explanation].some((text) => text.toLowerCase().includes(q)))
}
