import { randomUUID } from 'node:crypto'
import { and, asc, count, desc, eq, ne } from 'drizzle-orm'
import { articles } from '#db/schema.ts'
import { forbidden, requireContentScope, type ContentScope } from '#app/auth/auth.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { db } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { isUuid } from '#app/utils/ids.ts'
import type { ArticleForm } from './articles.ts'
import { renderWithGlossary } from './cases.server.ts'
import { SLUG } from './content-files.ts'
import { shippedOutreach } from './read.server.ts'

// 宣传文章 written in the browser. Only platform editors (系统管理员, 内容编辑 without an enterprise)
// publish to the public site; enterprise editors' content stays inside their enterprise.

export async function requireArticleEditor(request: Request): Promise<ContentScope> {
	const scope = await requireContentScope(request)
	if (!scope.platform) throw forbidden('只有平台内容编辑和系统管理员可以发布宣传文章')
	return scope
}

// ---- the editor ------------------------------------------------------------------------------

export type ArticleSort = 'updatedAt' | 'title' | 'status'

export async function listArticlesForEditor({ sort, descending, page, pageSize }: { sort: ArticleSort; descending: boolean; page: number; pageSize: number }) {
	const order = descending ? desc : asc
	const [rows, [total]] = await Promise.all([
		db
			.select({ id: articles.id, title: articles.title, slug: articles.slug, setting: articles.setting, status: articles.status, updatedAt: articles.updatedAt })
			.from(articles)
			.orderBy(order(articles[sort]), desc(articles.updatedAt), asc(articles.id))
			.limit(pageSize)
			.offset((page - 1) * pageSize),
		db.select({ n: count() }).from(articles),
	])
	return { rows, total: total?.n ?? 0 }
}

export async function articleForEditor(id: string) {
	if (!isUuid(id)) return null
	const [article] = await db.select().from(articles).where(eq(articles.id, id))
	return article ?? null
}

/** Slugs of the shipped case studies, 五进 pages and campaigns: an article may not take one. */
async function shippedSlugs() {
	const { cases, pages, campaigns } = await shippedOutreach()
	return new Set([...cases.map((c) => c.slug), ...pages.map((p) => p.slug), ...campaigns.map((c) => c.slug)])
}

const SLUG_TAKEN = '这个链接名已被另一篇文章使用，请换一个'
const isUniqueViolation = (error: unknown) => {
	const e = error as { code?: string; cause?: { code?: string } }
	return e?.code === '23505' || e?.cause?.code === '23505'
}

type SaveResult = { ok: true; id: string; slug: string } | { ok: false; errors: FormErrors } | null

/**
 * Creates (articleId null) or updates an article: 保存草稿 keeps or makes it a draft, 发布 makes it
 * public. One transaction with its audit entries; a slug in use writes nothing. Null: no such article.
 */
export async function saveArticle(scope: ContentScope, input: ArticleForm, articleId: string | null): Promise<SaveResult> {
	if ((await shippedSlugs()).has(input.slug)) return { ok: false, errors: { slug: '这个链接名与平台内置的案例、“五进”页面或活动重名，请换一个' } }
	try {
		return await db.transaction(async (tx) => {
			const [existing] = articleId ? await tx.select().from(articles).where(eq(articles.id, articleId)).for('update') : [null]
			if (existing === undefined) return null
			const [clash] = await tx
				.select({ id: articles.id })
				.from(articles)
				.where(and(eq(articles.slug, input.slug), articleId ? ne(articles.id, articleId) : undefined))
			if (clash) return { ok: false as const, errors: { slug: SLUG_TAKEN } }

			const now = new Date()
			const publish = input.intent === 'publish'
			const fields = {
				title: input.title,
				slug: input.slug,
				summary: input.summary,
				body: input.body,
				setting: input.setting ?? null,
				status: publish ? ('published' as const) : ('draft' as const),
				// The date readers see: when it went public (kept while it stays published).
				publishedAt: publish ? (existing?.publishedAt ?? now) : null,
				updatedBy: scope.user.id,
				updatedAt: now,
			}
			const id = existing?.id ?? randomUUID()
			if (existing) await tx.update(articles).set(fields).where(eq(articles.id, id))
			else await tx.insert(articles).values({ id, ...fields, createdBy: scope.user.id, createdAt: now })
			const audit = { actorId: scope.user.id, targetType: 'article', targetId: id, detail: { slug: input.slug } }
			await writeAudit(tx, { ...audit, action: existing ? 'article.update' : 'article.create' })
			const wasPublished = existing?.status === 'published'
			if (publish !== wasPublished) await writeAudit(tx, { ...audit, action: publish ? 'article.publish' : 'article.unpublish' })
			return { ok: true as const, id, slug: input.slug }
		})
	} catch (error) {
		// Another editor took the slug between the check and the write.
		if (isUniqueViolation(error)) return { ok: false, errors: { slug: SLUG_TAKEN } }
		throw error
	}
}

/** 撤回: back to a draft, no longer public. False if there is no such published article. */
export async function unpublishArticle(scope: ContentScope, articleId: string) {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(articles)
			.set({ status: 'draft', publishedAt: null, updatedBy: scope.user.id, updatedAt: new Date() })
			.where(and(eq(articles.id, articleId), eq(articles.status, 'published')))
			.returning({ id: articles.id, slug: articles.slug })
		if (!row) return false
		await writeAudit(tx, { actorId: scope.user.id, action: 'article.unpublish', targetType: 'article', targetId: row.id, detail: { slug: row.slug } })
		return true
	})
}

// ---- the public site -------------------------------------------------------------------------

/** Published articles, newest first; of one 五进 setting if given. */
export async function publishedArticles({ setting, limit }: { setting?: string; limit?: number } = {}) {
	const query = db
		.select({ slug: articles.slug, title: articles.title, summary: articles.summary, setting: articles.setting, publishedAt: articles.publishedAt, updatedAt: articles.updatedAt })
		.from(articles)
		.where(and(eq(articles.status, 'published'), setting ? eq(articles.setting, setting) : undefined))
		.orderBy(desc(articles.publishedAt), asc(articles.slug))
	const rows = limit ? await query.limit(limit) : await query
	return rows.map((r) => ({ ...r, publishedAt: r.publishedAt! }))
}

/** A published article with its rendered body; null for drafts and unknown slugs. */
export async function publishedArticle(slug: string) {
	if (!SLUG.test(slug)) return null
	const [article] = await db
		.select()
		.from(articles)
		.where(and(eq(articles.slug, slug), eq(articles.status, 'published')))
	if (!article) return null
	return { slug: article.slug, title: article.title, summary: article.summary, setting: article.setting, publishedAt: article.publishedAt!, html: await renderWithGlossary(article.body) }
}
