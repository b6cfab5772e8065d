import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { keysOf, ORG_KINDS } from '#app/people/labels.ts'

// Schemas of the catalogue files in content/catalogue/, and the checks that span them.

const code = z.string().regex(/^[a-z][a-z0-9_-]*$/, '代码只能用小写字母、数字、下划线和连字符')

export const industrySchema = z.object({ code, name: z.string().min(1) })

export const jobTypeSchema = z.object({
	code,
	name: z.string().min(1),
	industry: code,
	special_operation: z.boolean().default(false),
	certificate: z.string().min(1).optional(),
	description: z.string().min(1),
})

export type OrgNode = {
	code: string
	name: string
	kind: keyof typeof ORG_KINDS
	children?: OrgNode[]
}
export const orgNodeSchema: z.ZodType<OrgNode> = z.lazy(() =>
	z.object({
		code,
		name: z.string().min(1),
		kind: z.enum(keysOf(ORG_KINDS)),
		children: z.array(orgNodeSchema).optional(),
	}),
)

export type Catalogue = {
	industries: z.infer<typeof industrySchema>[]
	jobTypes: z.infer<typeof jobTypeSchema>[]
	organizations: OrgNode
}

export function parseCatalogue(files: { industries: string; jobTypes: string; organizations: string }): Catalogue {
	const catalogue = {
		industries: z.array(industrySchema).parse(parseYaml(files.industries)),
		jobTypes: z.array(jobTypeSchema).parse(parseYaml(files.jobTypes)),
		organizations: orgNodeSchema.parse(parseYaml(files.organizations)),
	}
	const problems = catalogueProblems(catalogue)
	if (problems.length) throw new Error(`content/catalogue 有错误：\n${problems.join('\n')}`)
	return catalogue
}

export function catalogueProblems(c: Catalogue): string[] {
	const problems: string[] = []
	const industryCodes = new Set(c.industries.map((i) => i.code))
	const seen = new Set<string>()
	for (const job of c.jobTypes) {
		if (seen.has(job.code)) problems.push(`工种代码重复：${job.code}`)
		seen.add(job.code)
		if (!industryCodes.has(job.industry)) problems.push(`工种 ${job.code} 的行业 ${job.industry} 不存在`)
		if (job.special_operation && !job.certificate) problems.push(`特种作业 ${job.code} 须写明证书名称`)
	}
	const orgCodes = new Set<string>()
	const walk = (node: OrgNode) => {
		if (orgCodes.has(node.code)) problems.push(`组织代码重复：${node.code}`)
		orgCodes.add(node.code)
		node.children?.forEach(walk)
	}
	walk(c.organizations)
	return problems
}
