import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireContentScope } from '#app/auth/auth.server.ts'
import { jobTypeCatalogue } from '#app/bank/import.server.ts'
import { attachment, writeQuestionWorkbook, XLSX_TYPE } from '#app/bank/spreadsheet.server.ts'
import { TEMPLATE_EXAMPLES } from '#app/bank/template.ts'

// GET /bank/template: the import template, with one example question of each type.
export async function loader({ request }: LoaderFunctionArgs) {
	await requireContentScope(request)
	const catalogue = await jobTypeCatalogue()
	const known = new Set(catalogue.map((j) => j.code))
	// An example for a job type missing from the catalogue would not re-import: make it for all.
	const examples = TEMPLATE_EXAMPLES.map((q) => (q.jobTypes.every((c) => known.has(c)) ? q : { ...q, forAllJobTypes: true, jobTypes: [] }))
	const body = await writeQuestionWorkbook(examples, catalogue)
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': XLSX_TYPE,
			'Content-Disposition': attachment('题库导入模板.xlsx', 'question-template.xlsx'),
			'Content-Length': String(body.byteLength),
			'Cache-Control': 'private, no-store',
		},
	})
}
