import { z } from 'zod'
import { OUTREACH_SETTINGS, SLUG, type OutreachSetting } from './content-files.ts'

// 宣传文章: outreach pages an editor publishes from the browser (/editor/articles), shown at
// /articles/<slug> and, with a 五进 setting, on that setting's page. Pure: the form schema and labels.

export const ARTICLE_STATUS = { draft: '草稿', published: '已发布' } as const

/** 保存草稿 keeps the article a draft; 发布 saves it and makes it public. */
export const ARTICLE_INTENTS = ['draft', 'publish'] as const

export const settingLabel = (setting: string | null) =>
	setting && Object.hasOwn(OUTREACH_SETTINGS, setting) ? `进${OUTREACH_SETTINGS[setting as OutreachSetting]}` : null

const settings = Object.keys(OUTREACH_SETTINGS) as [OutreachSetting, ...OutreachSetting[]]

export const articleFormSchema = z.object({
	intent: z.enum(ARTICLE_INTENTS, { error: '无法识别的操作' }),
	title: z.string({ error: '请填写标题' }).trim().min(4, '标题至少 4 个字').max(60, '标题不能超过 60 字'),
	slug: z
		.string({ error: '请填写链接名' })
		.trim()
		.toLowerCase()
		.min(3, '链接名至少 3 个字符')
		.max(60, '链接名不能超过 60 个字符')
		.regex(SLUG, '链接名只能用小写字母、数字和连字符（-），且不能以连字符开头'),
	summary: z.string({ error: '请填写摘要' }).trim().min(20, '摘要至少 20 个字').max(120, '摘要不能超过 120 字'),
	body: z.string({ error: '请填写正文' }).trim().min(50, '正文至少 50 个字').max(50_000, '正文太长，请拆成几篇'),
	setting: z.enum(settings, { error: '请选择“五进”场景，或选“不归入”' }).optional(),
})
export type ArticleForm = z.infer<typeof articleFormSchema>
