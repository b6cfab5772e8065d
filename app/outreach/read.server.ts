import fs from 'node:fs/promises'
import path from 'node:path'
import matter from 'gray-matter'
import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'
import { CONTENT_DIR } from '#app/content/catalogue.server.ts'
import {
	campaignsFileSchema,
	caseFrontMatterSchema,
	glossaryFileSchema,
	outreachFrontMatterSchema,
	SLUG,
	type Campaign,
	type CaseFrontMatter,
	type GlossaryTerm,
	type OutreachFrontMatter,
} from './content-files.ts'

// Reading the shipped public-education content. Like app/content/read.server.ts, files that do not
// parse are reported, not thrown, so the content check can list every problem at once.

export type ShippedCase = { slug: string; frontMatter: CaseFrontMatter; body: string }
export type ShippedOutreachPage = { slug: string; frontMatter: OutreachFrontMatter; body: string }

const describe = (error: z.ZodError) => error.issues.slice(0, 5).map((i) => `${i.path.join('.')} ${i.message}`).join('；')

async function markdownFiles(dir: string) {
	return (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.md')).sort()
}

async function readMarkdownDir<T>(contentDir: string, folder: string, schema: z.ZodType<T>) {
	const problems: string[] = []
	const items: { slug: string; frontMatter: T; body: string }[] = []
	const root = path.join(contentDir, folder)
	for (const file of await markdownFiles(root)) {
		const slug = file.replace(/\.md$/, '')
		if (!SLUG.test(slug)) {
			problems.push(`${folder}/${file}：文件名只能用小写字母、数字和连字符`)
			continue
		}
		// gray-matter caches by content; a fresh object keeps one file's data from leaking into another.
		const parsed = matter(await fs.readFile(path.join(root, file), 'utf8'), {})
		const frontMatter = schema.safeParse(parsed.data)
		if (!frontMatter.success) problems.push(`${folder}/${file}：${describe(frontMatter.error)}`)
		else items.push({ slug, frontMatter: frontMatter.data, body: parsed.content.trim() })
	}
	return { items, problems }
}

async function readYamlFile<T>(contentDir: string, file: string, schema: z.ZodType<T>) {
	const raw = await fs.readFile(path.join(contentDir, file), 'utf8').catch(() => null)
	if (raw === null) return { data: null, problems: [`${file}：文件不存在`] }
	let yaml: unknown
	try {
		yaml = parseYaml(raw)
	} catch (error) {
		return { data: null, problems: [`${file}：YAML 格式错误 ${(error as Error).message.split('\n')[0]}`] }
	}
	const parsed = schema.safeParse(yaml)
	return parsed.success ? { data: parsed.data, problems: [] as string[] } : { data: null, problems: [`${file}：${describe(parsed.error)}`] }
}

export async function readShippedCases(contentDir: string) {
	const { items, problems } = await readMarkdownDir(contentDir, 'cases', caseFrontMatterSchema)
	return { cases: items as ShippedCase[], problems }
}

export async function readShippedOutreachPages(contentDir: string) {
	const { items, problems } = await readMarkdownDir(contentDir, 'outreach', outreachFrontMatterSchema)
	for (const page of items) {
		if (page.frontMatter.setting !== page.slug) problems.push(`outreach/${page.slug}.md：setting ${page.frontMatter.setting} 与文件名不一致`)
	}
	return { pages: items as ShippedOutreachPage[], problems }
}

export async function readShippedGlossary(contentDir: string) {
	const { data, problems } = await readYamlFile(contentDir, 'glossary.yaml', glossaryFileSchema)
	return { terms: (data ?? []) as GlossaryTerm[], problems }
}

export async function readShippedCampaigns(contentDir: string) {
	const { data, problems } = await readYamlFile(contentDir, 'campaigns.yaml', campaignsFileSchema)
	return { campaigns: (data ?? []) as Campaign[], problems }
}

export type ShippedOutreach = { cases: ShippedCase[]; pages: ShippedOutreachPage[]; campaigns: Campaign[]; glossary: GlossaryTerm[] }

async function readShippedOutreach(contentDir: string): Promise<ShippedOutreach> {
	const [{ cases }, { pages }, { campaigns }, { terms }] = await Promise.all([
		readShippedCases(contentDir),
		readShippedOutreachPages(contentDir),
		readShippedCampaigns(contentDir),
		readShippedGlossary(contentDir),
	])
	return { cases, pages, campaigns, glossary: terms }
}

let cached: Promise<ShippedOutreach> | null = null

/**
 * The shipped public-education content, for the pages. The files ship with the build and do not
 * change while the server runs, so production reads them once (reading and parsing them was most
 * of the cost of a 五进 page); development re-reads them on every request so that edits show at once.
 */
export function shippedOutreach(): Promise<ShippedOutreach> {
	if (process.env.NODE_ENV !== 'production') return readShippedOutreach(CONTENT_DIR)
	cached ??= readShippedOutreach(CONTENT_DIR).catch((error) => {
		cached = null
		throw error
	})
	return cached
}
