import { normalizedStem, questionProblems } from '#app/bank/question-file.ts'
import { CONTENT_DIR, readCatalogue } from './catalogue.server.ts'
import { readShippedCourses, readShippedQuestions } from './read.server.ts'
import { publicContentProblems } from '#app/outreach/content-files.ts'
import { brokenGlossaryLinks, glossaryAnchor, linkGlossaryTerms } from '#app/outreach/glossary-links.ts'
import { renderMarkdown } from '#app/utils/markdown.server.ts'
import { readShippedCampaigns, readShippedCases, readShippedGlossary, readShippedOutreachPages } from '#app/outreach/read.server.ts'

/** Every shipped file checked against its schema and the catalogue; returns problems and counts. */
export async function checkContent(dir = CONTENT_DIR) {
	const catalogue = await readCatalogue(dir)
	const jobCodes = new Set(catalogue.jobTypes.map((j) => j.code))
	const courseRead = await readShippedCourses(dir)
	const questionRead = await readShippedQuestions(dir)
	const problems = [...courseRead.problems, ...questionRead.problems]
	const checkJobs = (where: string, jobs: 'all' | string[] | undefined) => {
		if (Array.isArray(jobs)) for (const j of jobs) if (!jobCodes.has(j)) problems.push(`${where}：工种 ${j} 不在目录中`)
	}

	const counts = {
		industries: catalogue.industries.length,
		jobTypes: catalogue.jobTypes.length,
		courses: courseRead.courses.length,
		lessons: 0,
		questions: 0,
		questionsByType: { single: 0, multiple: 0, judge: 0 } as Record<string, number>,
		questionsByJobType: {} as Record<string, number>,
		caseStudies: 0,
		caseQuestions: 0,
		glossaryTerms: 0,
		outreachPages: 0,
		campaigns: 0,
		glossaryLinks: 0,
	}

	const courseCodes = new Set<string>()
	for (const course of courseRead.courses) {
		const where = `courses/${course.dir}`
		if (course.frontMatter.code !== course.dir) problems.push(`${where}：code ${course.frontMatter.code} 与目录名不一致`)
		if (courseCodes.has(course.frontMatter.code)) problems.push(`${where}：课程代码重复`)
		courseCodes.add(course.frontMatter.code)
		checkJobs(where, course.frontMatter.jobTypes)
		if (!course.lessons.length) problems.push(`${where}：没有课时`)
		for (const lesson of course.lessons) {
			if (lesson.body.length < 200) problems.push(`${where}/${lesson.file}：正文太短`)
			counts.lessons++
		}
	}

	const ids = new Set<string>()
	const stems = new Map<string, string>()
	for (const { file, data } of questionRead.files) {
		checkJobs(`questions/${file}`, data.jobTypes)
		for (const q of data.questions) {
			const at = `questions/${file} ${q.id}`
			if (ids.has(q.id)) problems.push(`${at}：id 重复`)
			ids.add(q.id)
			const stem = normalizedStem(q.stem)
			if (stems.has(stem)) problems.push(`${at}：题干与 ${stems.get(stem)} 重复`)
			stems.set(stem, q.id)
			for (const p of questionProblems(q)) problems.push(`${at}：${p}`)
			checkJobs(at, q.jobTypes)
			counts.questions++
			counts.questionsByType[q.type] = (counts.questionsByType[q.type] ?? 0) + 1
			const jobs = q.jobTypes ?? data.jobTypes
			for (const j of jobs === 'all' ? ['all'] : jobs) counts.questionsByJobType[j] = (counts.questionsByJobType[j] ?? 0) + 1
		}
	}

	// Public education (宣教): cases, 五进 pages, glossary, campaigns — app/outreach/content-files.ts.
	const [caseRead, pageRead, glossaryRead, campaignRead] = await Promise.all([
		readShippedCases(dir),
		readShippedOutreachPages(dir),
		readShippedGlossary(dir),
		readShippedCampaigns(dir),
	])
	problems.push(...caseRead.problems, ...pageRead.problems, ...glossaryRead.problems, ...campaignRead.problems)
	const generalQuestions = questionRead.files
		.filter(({ data }) => data.jobTypes === 'all' && !data.categories)
		.flatMap(({ data }) => data.questions.filter((q) => !q.jobTypes || q.jobTypes === 'all'))
	problems.push(
		...publicContentProblems(
			{ cases: caseRead.cases, pages: pageRead.pages, glossary: glossaryRead.terms, campaigns: campaignRead.campaigns },
			{ industryCodes: new Set(catalogue.industries.map((i) => i.code)), generalQuestions, bankQuestionIds: ids },
		),
	)
	counts.caseStudies = caseRead.cases.length
	counts.caseQuestions = caseRead.cases.reduce((n, c) => n + c.frontMatter.questions.length, 0)
	counts.glossaryTerms = glossaryRead.terms.length
	counts.outreachPages = pageRead.pages.length
	counts.campaigns = campaignRead.campaigns.length

	// Glossary links: rendered as the site renders them, every /glossary#… link in a case, a 五进 page
	// or a lesson (made by linkGlossaryTerms or written by hand) must land on an entry of the glossary.
	const terms = glossaryRead.terms
	const anchors = new Set<string>()
	for (const { term } of terms) {
		if (anchors.has(glossaryAnchor(term))) problems.push(`glossary.yaml：术语 ${term} 的锚点 #${glossaryAnchor(term)} 与另一条重复`)
		anchors.add(glossaryAnchor(term))
	}
	const documents = [
		...caseRead.cases.map((c) => ({ where: `cases/${c.slug}.md`, body: c.body })),
		...pageRead.pages.map((p) => ({ where: `outreach/${p.slug}.md`, body: p.body })),
		...courseRead.courses.flatMap((c) => c.lessons.map((l) => ({ where: `courses/${c.dir}/${l.file}`, body: l.body }))),
	]
	for (const { where, body } of documents) {
		const html = linkGlossaryTerms(renderMarkdown(body), terms)
		counts.glossaryLinks += [...html.matchAll(/href="\/glossary#/g)].length
		for (const anchor of brokenGlossaryLinks(html, anchors)) problems.push(`${where}：术语链接 /glossary#${anchor} 在术语表中没有对应条目`)
	}
	return { problems, counts }
}
