import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useSearchParams } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { FormError, SelectField, TextAreaField, TextField } from '#app/components/forms.tsx'
import { MarkdownPreview, useMarkdownPreview } from '#app/components/markdown-preview.tsx'
import { articleFormSchema, ARTICLE_STATUS } from '#app/outreach/articles.ts'
import { articleForEditor, requireArticleEditor, saveArticle, unpublishArticle } from '#app/outreach/articles.server.ts'
import { renderWithGlossary } from '#app/outreach/cases.server.ts'
import { OUTREACH_SETTINGS } from '#app/outreach/content-files.ts'
import { chinaDay } from '#app/utils/days.ts'
import { formValues, parseForm, type FormErrors, type FormValues } from '#app/utils/forms.ts'

// One route for 写新文章 (articleId = new) and editing an article, with its preview: an editor
// sees a draft here exactly as the public will see it once published.

export const meta: MetaFunction = () => [{ title: '编辑宣传文章 · 安全生产培训考试平台' }]

async function requireArticle(request: Request, articleId: string | undefined) {
	const scope = await requireArticleEditor(request)
	if (articleId === 'new') return { scope, article: null }
	const article = await articleForEditor(articleId ?? '')
	if (!article) throw notFound()
	return { scope, article }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { article } = await requireArticle(request, params.articleId)
	return {
		article: article && {
			id: article.id,
			slug: article.slug,
			status: article.status,
			publishedOn: article.publishedAt ? chinaDay(article.publishedAt) : null,
		},
		values: (article ? { title: article.title, slug: article.slug, summary: article.summary, body: article.body, setting: article.setting ?? '' } : {}) as FormValues,
		previewHtml: article ? await renderWithGlossary(article.body) : null,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { scope, article } = await requireArticle(request, params.articleId)
	const formData = await request.formData()
	const intent = formData.get('intent')
	if (intent === 'unpublish') {
		if (!article || !(await unpublishArticle(scope, article.id))) throw notFound()
		throw redirect(`/editor/articles/${article.id}?notice=unpublished`)
	}
	if (intent === 'preview') {
		return { errors: {} as FormErrors, values: formValues(formData), previewHtml: await renderWithGlossary(String(formData.get('body') ?? '').slice(0, 50_000)) }
	}
	const parsed = parseForm(articleFormSchema, formData)
	if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, previewHtml: null }, { status: 400 })
	const saved = await saveArticle(scope, parsed.data, article?.id ?? null)
	if (!saved) throw notFound()
	if (!saved.ok) return data({ errors: saved.errors, values: formValues(formData), previewHtml: null }, { status: 400 })
	throw redirect(`/editor/articles/${saved.id}?notice=${parsed.data.intent === 'publish' ? 'published' : 'saved'}`)
}

const NOTICES: Record<string, string> = {
	saved: '草稿已保存。公众还看不到它，发布后才会出现在网站上。',
	published: '文章已发布。',
	unpublished: '文章已撤回，公众不再能看到它。',
}

const str = (values: FormValues, key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '')

export default function EditArticle() {
	const { article, values: saved, previewHtml: savedPreview } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const [params] = useSearchParams()
	// Posts go to the bare address, so that a ?notice= of the last save does not show with errors.
	const { pathname } = useLocation()
	const values = result?.values ?? saved
	const errors: FormErrors = result?.errors ?? {}
	const published = article?.status === 'published'
	const notice = NOTICES[params.get('notice') ?? '']

	const { body, setBody, html } = useMarkdownPreview(str(values, 'body'), result?.previewHtml ?? savedPreview)

	return (
		<>
			<p className="muted">
				<Link to="/editor/articles">宣传文章</Link>
			</p>
			<h1>{article ? '编辑文章' : '写新文章'}</h1>
			{notice ? (
				<p className="notice" role="status">
					{notice}
				</p>
			) : null}
			{article ? (
				<p data-testid="article-status">
					状态：{published ? `${ARTICLE_STATUS.published}（${article.publishedOn}）` : ARTICLE_STATUS.draft}
					{published ? (
						<>
							{' · '}
							<Link to={`/articles/${article.slug}`}>查看公开页面</Link>
						</>
					) : null}
				</p>
			) : null}
			<Form method="post" action={pathname} className="lesson-editor" noValidate>
				<div className="stack">
					<FormError error={errors.form ?? errors.intent} />
					<TextField name="title" label="标题" defaultValue={str(values, 'title')} error={errors.title} maxLength={60} />
					<TextField
						name="slug"
						label="链接名"
						defaultValue={str(values, 'slug')}
						error={errors.slug}
						hint="文章地址 /articles/链接名。只用小写字母、数字和连字符，如 gas-safety-at-home。"
						autoCapitalize="none"
						spellCheck={false}
					/>
					<TextAreaField name="summary" label="摘要" defaultValue={str(values, 'summary')} error={errors.summary} hint="20–120 字。显示在文章列表中，也是分享到微信时的说明文字。" />
					<SelectField
						name="setting"
						label="“五进”场景"
						options={Object.entries(OUTREACH_SETTINGS).map(([key, name]) => [key, `进${name}`])}
						placeholder="不归入“五进”场景"
						defaultValue={str(values, 'setting')}
						error={errors.setting}
						hint="选了场景的文章，会列在该场景页面的“相关文章”中。"
					/>
					<TextAreaField
						name="body"
						label="正文（Markdown：## 小标题、- 列表、**加粗**、表格、图片和链接）"
						rows={18}
						value={body}
						onChange={(e) => setBody(e.target.value)}
						error={errors.body}
					/>
					<div className="actions">
						{published ? null : (
							<button type="submit" name="intent" value="draft" className="button secondary">
								保存草稿
							</button>
						)}
						<button type="submit" name="intent" value="publish" className="primary">
							发布
						</button>
						<button type="submit" name="intent" value="preview" className="button secondary">
							预览
						</button>
					</div>
				</div>
				<MarkdownPreview html={html} />
			</Form>
			{published ? (
				<Form method="post" action={pathname} className="actions">
					<input type="hidden" name="intent" value="unpublish" />
					<button type="submit" className="button secondary">
						撤回
					</button>
					<span className="muted">撤回后文章变回草稿，公众不再能看到。</span>
				</Form>
			) : null}
		</>
	)
}
