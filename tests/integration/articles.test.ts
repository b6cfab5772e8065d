import { and, count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { articles, auditLog, roleAssignments } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { articleFormSchema } from '#app/outreach/articles.ts'
import { requireArticleEditor, saveArticle } from '#app/outreach/articles.server.ts'
import { glossaryHref } from '#app/outreach/glossary-links.ts'
import { db } from '#app/utils/db.server.ts'
import * as articleRoute from '#app/routes/articles.$slug.tsx'
import * as articlesRoute from '#app/routes/articles._index.tsx'
import * as editRoute from '#app/routes/editor.articles.$articleId.tsx'
import * as listRoute from '#app/routes/editor.articles._index.tsx'
import * as homeRoute from '#app/routes/_index.tsx'
import * as wujinRoute from '#app/routes/wujin.$setting.tsx'
import { expectSignInRedirect, get, load, orgIdByCode, signedIn, submit } from '#tests/fixtures/requests.ts'

// 宣传文章 (issue 7): platform editors write, preview, publish and withdraw outreach pages in the
// browser; the public sees only what is published.

type Session = Awaited<ReturnType<typeof signedIn>>
let editor: Session
let admin: Session

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	editor = await signedIn('13900000004')
	admin = await signedIn('13900000000')
})

const NEW = { articleId: 'new' }

const valid = (over: Record<string, string> = {}) => ({
	intent: 'publish',
	title: '夏季电动自行车充电安全提示',
	slug: 'ebike-charging-summer',
	summary: '天气炎热，电动自行车电池更容易起火。请在集中充电点充电，不要把车推进楼道和家里。',
	body: '## 为什么夏天更危险\n\n高温下锂电池容易**热失控**。电动自行车不进楼入户，发现隐患要及时报告，别等事故发生了才想起“四不放过”。\n\n- 到集中充电点充电\n- 充满即拔\n',
	setting: 'family',
	...over,
})

const articleCount = async () => (await db.select({ n: count() }).from(articles))[0]!.n
const auditCount = async () => (await db.select({ n: count() }).from(auditLog))[0]!.n
const articleBySlug = async (slug: string) => (await db.select().from(articles).where(eq(articles.slug, slug)))[0]
const auditOf = async (id: string) =>
	(await db.select({ action: auditLog.action, actorId: auditLog.actorId }).from(auditLog).where(and(eq(auditLog.targetType, 'article'), eq(auditLog.targetId, id))).orderBy(auditLog.id)).map((a) => a.action)

/** Creates an article through the editor form and returns its row. */
async function create(fields: Record<string, string>, by: Session = editor) {
	const outcome = await submit(editRoute, '/editor/articles/new', fields, by, NEW)
	expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
	const row = await articleBySlug(fields.slug!)
	expect(outcome.headers.get('Location')).toBe(`/editor/articles/${row!.id}?notice=${fields.intent === 'publish' ? 'published' : 'saved'}`)
	return row!
}

describe('who may edit articles', () => {
	test('anonymous visitors are sent to sign in', async () => {
		expectSignInRedirect(await load(listRoute, '/editor/articles'), '/editor/articles')
		expectSignInRedirect(await load(editRoute, '/editor/articles/new', null, NEW), '/editor/articles/new')
		expectSignInRedirect(await submit(editRoute, '/editor/articles/new', valid(), null, NEW), '/editor/articles/new')
	})

	test('an enterprise content editor, a worker and a regulator get 403 and write nothing', async () => {
		const coalAdmin = await signedIn('13900000003')
		await db.insert(roleAssignments).values({ personId: coalAdmin.personId, role: 'content_editor', orgId: await orgIdByCode('demo-coal') })
		const others = [coalAdmin, await signedIn('13900000010'), await signedIn('13900000001')]
		const before = await articleCount()
		for (const who of others) {
			expect((await load(listRoute, '/editor/articles', who)).status).toBe(403)
			expect((await load(editRoute, '/editor/articles/new', who, NEW)).status).toBe(403)
			expect((await submit(editRoute, '/editor/articles/new', valid({ slug: 'not-allowed' }), who, NEW)).status).toBe(403)
		}
		expect(await articleCount()).toBe(before)
	})

	test('the platform content editor and the system administrator may', async () => {
		for (const who of [editor, admin]) {
			expect((await load(listRoute, '/editor/articles', who)).status).toBe(200)
			expect((await load(editRoute, '/editor/articles/new', who, NEW)).status).toBe(200)
		}
	})
})

describe('writing an article', () => {
	test('bad input is answered field by field and writes nothing', async () => {
		const [articlesBefore, auditBefore] = [await articleCount(), await auditCount()]
		const bad = await submit(editRoute, '/editor/articles/new', { intent: 'publish', title: '提示', slug: 'Bad Slug!', summary: '太短了', body: '短', setting: 'factory' }, editor, NEW)
		expect(bad.status).toBe(400)
		expect(Object.keys(bad.data.errors).sort()).toEqual(['body', 'setting', 'slug', 'summary', 'title'])
		expect(bad.data.errors.slug).toMatch(/小写字母、数字和连字符/)
		expect(bad.data.errors.summary).toBe('摘要至少 20 个字')
		// What was typed comes back, so a page without JavaScript keeps it.
		expect(bad.data.values.title).toBe('提示')

		const long = await submit(editRoute, '/editor/articles/new', valid({ summary: '长'.repeat(121) }), editor, NEW)
		expect(long.data.errors).toEqual({ summary: '摘要不能超过 120 字' })

		// A slug of a shipped case study or 五进 page is refused too.
		for (const slug of ['coal-mine-belt-fire', 'family']) {
			const shipped = await submit(editRoute, '/editor/articles/new', valid({ slug }), editor, NEW)
			expect(shipped.status, slug).toBe(400)
			expect(shipped.data.errors.slug).toMatch(/平台内置/)
		}
		expect(await articleCount()).toBe(articlesBefore)
		expect(await auditCount()).toBe(auditBefore)
	})

	test('保存草稿 keeps it from the public; the editor previews it, glossary-linked', async () => {
		const draft = await create(valid({ intent: 'draft', slug: 'draft-only', setting: '' }))
		expect(draft).toMatchObject({ status: 'draft', publishedAt: null, setting: null, createdBy: editor.personId })
		expect(await auditOf(draft.id)).toEqual(['article.create'])

		expect((await load(articleRoute, '/articles/draft-only', null, { slug: 'draft-only' })).status).toBe(404)
		expect((await load(articlesRoute, '/articles')).data.articles.map((a: { slug: string }) => a.slug)).not.toContain('draft-only')

		const page = await load(editRoute, `/editor/articles/${draft.id}`, editor, { articleId: draft.id })
		expect(page.status).toBe(200)
		expect(page.data.article).toMatchObject({ status: 'draft', slug: 'draft-only' })
		expect(page.data.previewHtml).toContain('<h2>为什么夏天更危险</h2>')
		expect(page.data.previewHtml).toContain(`<a href="${glossaryHref('四不放过')}" class="term">“四不放过”</a>`)
	})

	test('a slug another article has is refused with a clear message', async () => {
		await create(valid({ intent: 'draft', slug: 'taken-slug' }))
		const before = await auditCount()
		const again = await submit(editRoute, '/editor/articles/new', valid({ slug: 'taken-slug' }), editor, NEW)
		expect(again.status).toBe(400)
		expect(again.data.errors).toEqual({ slug: '这个链接名已被另一篇文章使用，请换一个' })
		expect(await auditCount()).toBe(before)
	})

	test('two editors saving the same new slug at once: one article, the other told the slug is taken', async () => {
		const scope = await requireArticleEditor(get('/editor/articles/new', editor))
		const input = articleFormSchema.parse(valid({ slug: 'same-time', intent: 'draft' }))
		const results = await Promise.all([saveArticle(scope, input, null), saveArticle(scope, input, null)])
		expect(results.filter((r) => r?.ok)).toHaveLength(1)
		expect(results.find((r) => !r?.ok)).toEqual({ ok: false, errors: { slug: '这个链接名已被另一篇文章使用，请换一个' } })
		expect((await db.select().from(articles).where(eq(articles.slug, 'same-time'))).length).toBe(1)
	})

	test('an unknown article id is 404', async () => {
		for (const articleId of ['00000000-0000-4000-8000-000000000000', 'nope']) {
			expect((await load(editRoute, `/editor/articles/${articleId}`, editor, { articleId })).status).toBe(404)
			expect((await submit(editRoute, `/editor/articles/${articleId}`, valid({ slug: 'ghost' }), editor, { articleId })).status).toBe(404)
		}
	})
})

describe('publishing and withdrawing', () => {
	test('发布 shows it at /articles/<slug>, on its 五进 page, on /articles and on the home page; 撤回 takes it down', async () => {
		const article = await create(valid())
		expect(article).toMatchObject({ status: 'published', setting: 'family' })
		expect(article.publishedAt).toBeInstanceOf(Date)
		expect(await auditOf(article.id)).toEqual(['article.create', 'article.publish'])

		const page = await load(articleRoute, '/articles/ebike-charging-summer', null, { slug: 'ebike-charging-summer' })
		expect(page.status).toBe(200)
		expect(page.data).toMatchObject({ title: '夏季电动自行车充电安全提示', settingLabel: '进家庭' })
		expect(page.data.html).toContain('<strong>热失控</strong>')
		expect(page.data.html).toContain(`<a href="${glossaryHref('四不放过')}" class="term">“四不放过”</a>`)

		const family = await load(wujinRoute, '/wujin/family', null, { setting: 'family' })
		expect(family.data.articles).toEqual([{ slug: 'ebike-charging-summer', title: '夏季电动自行车充电安全提示' }])
		const school = await load(wujinRoute, '/wujin/school', null, { setting: 'school' })
		expect(school.data.articles).toEqual([])
		expect((await load(articlesRoute, '/articles')).data.articles[0]).toMatchObject({ slug: 'ebike-charging-summer', setting: '进家庭' })
		expect((await load(homeRoute, '/')).data.articles.map((a: { slug: string }) => a.slug)).toContain('ebike-charging-summer')

		// Editing a published article keeps its date; 撤回 turns it back into a draft.
		const params = { articleId: article.id }
		const edited = await submit(editRoute, `/editor/articles/${article.id}`, valid({ title: '夏季电动自行车充电安全提示（修订）' }), editor, params)
		expect(edited.status).toBe(302)
		const after = await articleBySlug('ebike-charging-summer')
		expect(after).toMatchObject({ title: '夏季电动自行车充电安全提示（修订）', status: 'published', publishedAt: article.publishedAt, updatedBy: editor.personId })

		const withdrawn = await submit(editRoute, `/editor/articles/${article.id}`, { intent: 'unpublish' }, admin, params)
		expect(withdrawn.status).toBe(302)
		expect(withdrawn.headers.get('Location')).toBe(`/editor/articles/${article.id}?notice=unpublished`)
		expect(await articleBySlug('ebike-charging-summer')).toMatchObject({ status: 'draft', publishedAt: null, updatedBy: admin.personId })
		expect(await auditOf(article.id)).toEqual(['article.create', 'article.publish', 'article.update', 'article.unpublish'])

		expect((await load(articleRoute, '/articles/ebike-charging-summer', null, { slug: 'ebike-charging-summer' })).status).toBe(404)
		expect((await load(wujinRoute, '/wujin/family', null, { setting: 'family' })).data.articles).toEqual([])
		expect((await load(homeRoute, '/')).data.articles.map((a: { slug: string }) => a.slug)).not.toContain('ebike-charging-summer')
		// Withdrawing a draft again: nothing to withdraw.
		expect((await submit(editRoute, `/editor/articles/${article.id}`, { intent: 'unpublish' }, admin, params)).status).toBe(404)
	})

	test('the home page shows the five newest published articles, newest first', async () => {
		const slugs = ['home-1', 'home-2', 'home-3', 'home-4', 'home-5', 'home-6']
		for (const slug of slugs) {
			await create(valid({ slug, title: `首页文章 ${slug}`, setting: '' }))
			await new Promise((resolve) => setTimeout(resolve, 5))
		}
		const home = await load(homeRoute, '/')
		expect(home.data.articles.map((a: { slug: string }) => a.slug)).toEqual(['home-6', 'home-5', 'home-4', 'home-3', 'home-2'])
	})

	test('markdown with scripts and event handlers is rendered inert', async () => {
		const body = [
			'正文开头有一段足够长的文字，说明这篇文章的用途和读者，后面是几种想要注入脚本的写法。',
			'<script>alert(1)</script>',
			'<img src="x" onerror="alert(2)">',
			'<a href="javascript:alert(3)" onclick="alert(4)">点我</a>',
			'[链接](javascript:alert(5))',
			'<iframe src="https://example.com"></iframe>',
		].join('\n\n')
		await create(valid({ slug: 'xss-attempt', body, setting: '' }))
		const page = await load(articleRoute, '/articles/xss-attempt', null, { slug: 'xss-attempt' })
		expect(page.status).toBe(200)
		expect(page.data.html).not.toMatch(/<script|onerror|onclick|javascript:|<iframe/i)
		expect(page.data.html).toContain('<img src="x" loading="lazy" />')
		expect(page.data.html).toContain('正文开头')
	})
})
