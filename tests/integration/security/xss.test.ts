import { asc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { articles, competitions, courses, lessons } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { DEMO_COMPETITION_SLUG, seedCompetitionDemo } from '#app/demo/competition-demo.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { renderWithGlossary } from '#app/outreach/cases.server.ts'
import { db } from '#app/utils/db.server.ts'
import { renderMarkdown } from '#app/utils/markdown.server.ts'
import * as articlePage from '#app/routes/articles.$slug.tsx'
import * as competitionPage from '#app/routes/competitions.$slug._index.tsx'
import * as editorPreview from '#app/routes/editor.preview.ts'
import * as lessonPage from '#app/routes/learn.$courseId.$lessonId.tsx'
import { load, signedIn, submit } from '#tests/fixtures/requests.ts'
import { activeContent, MARKERS, XSS_CORPUS } from './xss.ts'

// Markdown written by editors (lessons, 宣传文章), regulators (知识竞赛 descriptions) and shipped
// case studies is rendered to HTML that pages insert as is: a corpus of XSS payloads must come
// out inert, alone, mixed with glossary terms (linked after sanitising) and all at once, through
// the loaders that serve it. Question stems are React text; how the exam and practice pages show
// them is checked over HTTP in security/http.test.ts.

const ALL = XSS_CORPUS.join('\n\n')

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	const [competition] = await db.select({ id: competitions.id }).from(competitions).where(eq(competitions.slug, DEMO_COMPETITION_SLUG))
	if (!competition) await seedCompetitionDemo(db)
})

describe('renderMarkdown', () => {
	test(`leaves nothing active of ${XSS_CORPUS.length} payloads, one by one`, () => {
		expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(20)
		for (const [i, payload] of XSS_CORPUS.entries()) {
			expect(activeContent(renderMarkdown(payload)), `${MARKERS[i]}: ${payload}`).toEqual([])
		}
	})

	test('nor all of them in one document, inside lists, quotes, tables and code', () => {
		const wrapped = XSS_CORPUS.flatMap((p) => [`- ${p}`, `> ${p}`, `| 列 |\n| --- |\n| ${p.replace(/\|/g, '')} |`, `\`${p}\``, '```html\n' + p + '\n```'])
		for (const doc of [ALL, wrapped.join('\n\n')]) expect(activeContent(renderMarkdown(doc))).toEqual([])
	})

	test('keeps ordinary content: headings, emphasis, http links, images (also inline data: images)', () => {
		const html = renderMarkdown('## 标题\n\n**加粗** [应急管理部](https://www.mem.gov.cn) ![示意图](https://example.com/a.png) ![点](data:image/png;base64,iVBORw0KGgo=)')
		expect(html).toContain('<h2>标题</h2>')
		expect(html).toContain('<strong>加粗</strong>')
		expect(html).toContain('<a href="https://www.mem.gov.cn" rel="noopener noreferrer">应急管理部</a>')
		expect(html).toMatch(/<img src="https:\/\/example.com\/a.png" alt="示意图" loading="lazy" \/>/)
		expect(html).toMatch(/<img src="data:image\/png;base64,iVBORw0KGgo=" alt="点" loading="lazy" \/>/)
		expect(activeContent(html)).toEqual([])
	})
})

describe('with glossary links (lessons, case studies, articles, competitions)', () => {
	test('linking terms after sanitising brings nothing back to life', async () => {
		for (const [i, payload] of XSS_CORPUS.entries()) {
			// Glossary terms around, inside and as the text of the payload.
			const body = `三违 ${payload} 四不放过\n\n${payload.replace(/alert/g, '三违')}\n\n三同时`
			const html = await renderWithGlossary(body)
			expect(html, 'the glossary was applied').toContain('class="term"')
			expect(activeContent(html), `${MARKERS[i]}: ${payload}`).toEqual([])
		}
	})

	test('a lesson body, as the lesson page serves it', async () => {
		const worker = await signedIn('13900000010')
		const [course] = await db.select({ id: courses.id }).from(courses).where(eq(courses.code, 'general-safety'))
		const [lesson] = await db.select({ id: lessons.id }).from(lessons).where(eq(lessons.courseId, course!.id)).orderBy(asc(lessons.position)).limit(1)
		// As an editor would have written it.
		await db.update(lessons).set({ body: ALL }).where(eq(lessons.id, lesson!.id))
		const page = await load(lessonPage, `/learn/${course!.id}/${lesson!.id}`, worker, { courseId: course!.id, lessonId: lesson!.id })
		expect(page.status).toBe(200)
		expect(page.data.lesson.html).toContain('XSS02')
		expect(activeContent(page.data.lesson.html)).toEqual([])
	})

	test('a published article, as its public page serves it', async () => {
		await db.insert(articles).values({ id: crypto.randomUUID(), slug: 'xss-corpus', title: '测试', summary: '测试', body: ALL, status: 'published', publishedAt: new Date() })
		const page = await load(articlePage, '/articles/xss-corpus', null, { slug: 'xss-corpus' })
		expect(page.status).toBe(200)
		expect(page.data.html).toContain('XSS02')
		expect(activeContent(page.data.html)).toEqual([])
	})

	test('a 知识竞赛 description, as its public page serves it', async () => {
		await db.update(competitions).set({ description: ALL }).where(eq(competitions.slug, DEMO_COMPETITION_SLUG))
		const page = await load(competitionPage, `/competitions/${DEMO_COMPETITION_SLUG}`, null, { slug: DEMO_COMPETITION_SLUG })
		expect(page.status).toBe(200)
		expect(page.data.html).toContain('XSS02')
		expect(activeContent(page.data.html)).toEqual([])
	})

	test('the editor’s live preview', async () => {
		const editor = await signedIn('13900000004')
		const preview = await submit(editorPreview, '/editor/preview', { body: ALL }, editor)
		expect(preview.status).toBe(200)
		expect(preview.data.html).toContain('XSS02')
		expect(activeContent(preview.data.html)).toEqual([])
	})
})
