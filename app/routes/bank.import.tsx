import {
	data,
	MaxPartSizeExceededError,
	unstable_createMemoryUploadHandler,
	unstable_parseMultipartFormData,
	type ActionFunctionArgs,
	type LoaderFunctionArgs,
	type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { requireContentScope } from '#app/auth/auth.server.ts'
import { FormError, SubmitButton } from '#app/components/forms.tsx'
import { commitImport, findUpload, previewImport, stashUpload, UPLOAD_GONE, type ImportSummary } from '#app/bank/import.server.ts'
import { MAX_ROWS, MAX_UPLOAD_BYTES, type ImportIssue } from '#app/bank/import.ts'
import { MESSAGES } from '#app/bank/spreadsheet.server.ts'
import { ImportIssueTable } from '#app/components/import-issues.tsx'

export const meta: MetaFunction = () => [{ title: '导入题目 · 安全生产培训考试平台' }]

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** At most this many problems are listed on the page (all are counted). */
const SHOWN_PROBLEMS = 1000

export async function loader({ request }: LoaderFunctionArgs) {
	await requireContentScope(request)
	return null
}

type Result =
	| { stage: 'error'; message: string }
	| { stage: 'problems'; fileName: string; errors: ImportIssue[]; errorCount: number; warnings: ImportIssue[]; summary: ImportSummary }
	| { stage: 'checked'; fileName: string; uploadId: string; warnings: ImportIssue[]; summary: ImportSummary }
	| { stage: 'done'; count: number }

const fail = (message: string, status = 400) => data<Result>({ stage: 'error', message }, { status })

async function readForm(request: Request) {
	if (!(request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) return request.formData()
	return unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }))
}

export async function action({ request }: ActionFunctionArgs) {
	const scope = await requireContentScope(request)
	let form: FormData
	try {
		form = await readForm(request)
	} catch (error) {
		if (error instanceof MaxPartSizeExceededError) return fail(MESSAGES.tooLarge, 413)
		return fail('没有收到文件，请重新选择文件后再提交')
	}

	if (form.get('intent') === 'commit') {
		const uploadId = String(form.get('uploadId') ?? '')
		const upload = UUID.test(uploadId) ? await findUpload(scope.user.id, uploadId) : null
		if (!upload) return fail(UPLOAD_GONE, 409)
		const result = await commitImport(scope, upload.bytes, scope.user.id, { uploadId })
		if ('fileError' in result) return fail(result.fileError, result.status)
		if (!result.ok) return problems(upload.fileName, result)
		return data<Result>({ stage: 'done', count: result.imported ?? 0 })
	}

	const file = form.get('file')
	const fileName = file instanceof File ? file.name : ''
	// A form sent without choosing a file has an empty part with no name.
	if (!(file instanceof Blob) || (file.size === 0 && !fileName)) return fail('请选择要导入的文件')
	if (file.size === 0) return fail(MESSAGES.empty)
	const preview = await previewImport(scope, file)
	if ('fileError' in preview) return fail(preview.fileError, preview.status)
	if (!preview.ok) return problems(fileName, preview)
	const uploadId = await stashUpload(scope.user.id, new Uint8Array(await file.arrayBuffer()), fileName)
	return data<Result>({ stage: 'checked', fileName, uploadId, warnings: preview.warnings, summary: preview.summary })
}

function problems(fileName: string, preview: { errors: ImportIssue[]; warnings: ImportIssue[]; summary: ImportSummary }) {
	return data<Result>(
		{
			stage: 'problems',
			fileName,
			errors: preview.errors.slice(0, SHOWN_PROBLEMS),
			errorCount: preview.errors.length,
			warnings: preview.warnings,
			summary: preview.summary,
		},
		{ status: 422 },
	)
}

const summaryText = (s: ImportSummary) => `${s.total} 道题：单选 ${s.single}、多选 ${s.multiple}、判断 ${s.judge}`

function UploadForm({ error }: { error?: string }) {
	return (
		<Form method="post" encType="multipart/form-data" className="stack" aria-labelledby="upload-title">
			<h2 id="upload-title">上传题目文件</h2>
			<FormError error={error} />
			<div className="field">
				<label htmlFor="file">选择文件</label>
				<input id="file" name="file" type="file" accept=".xlsx,.csv" required aria-describedby="file-hint" />
				<p className="hint" id="file-hint">
					Excel（.xlsx）或 CSV 文件，不超过 {MAX_UPLOAD_BYTES / 1024 / 1024} MB，一次最多 {MAX_ROWS} 道题。先检查，确认无误后再导入。
				</p>
			</div>
			<input type="hidden" name="intent" value="check" />
			<div className="actions">
				<SubmitButton pendingText="正在检查…">检查文件</SubmitButton>
			</div>
		</Form>
	)
}

export default function BankImport() {
	const result = useActionData<typeof action>()

	if (result?.stage === 'done') {
		return (
			<section className="card" aria-labelledby="done-title">
				<h1 id="done-title">已导入 {result.count} 道题</h1>
				<div className="actions">
					<Link className="button" to="/bank">
						查看题库
					</Link>
					<Link className="button secondary" to="/bank/import">
						继续导入
					</Link>
				</div>
			</section>
		)
	}

	return (
		<>
			<h1>导入题目</h1>
			<p>
				请按模板填写：每行一道题，表头为 题型、题干、选项A～选项H、答案、解析、难度、适用工种、知识类别、知识点。{' '}
				<a href="/bank/template" download>
					下载导入模板（.xlsx）
				</a>
			</p>

			{result?.stage === 'checked' ? (
				<section className="card" aria-labelledby="checked-title">
					<h2 id="checked-title">检查通过：{result.fileName}</h2>
					<p className="notice" role="status">
						共 {summaryText(result.summary)}
					</p>
					{result.warnings.length ? <ImportIssueTable issues={result.warnings} caption={`提示（${result.warnings.length} 条，不影响导入）`} /> : null}
					<Form method="post" className="actions">
						<input type="hidden" name="intent" value="commit" />
						<input type="hidden" name="uploadId" value={result.uploadId} />
						<SubmitButton pendingText="正在导入…">确认导入</SubmitButton>
						<Link to="/bank/import">取消</Link>
					</Form>
				</section>
			) : null}

			{result?.stage === 'problems' ? (
				<section aria-labelledby="problems-title">
					<h2 id="problems-title">{result.fileName ? `${result.fileName}：` : ''}发现 {result.errorCount} 个问题，没有导入任何题目</h2>
					<p className="form-error" role="alert">
						请在文件中改正下面的问题后重新检查。{result.summary.total ? `其余 ${summaryText(result.summary)} 没有问题。` : ''}
					</p>
					<ImportIssueTable
						issues={result.errors}
						caption={result.errorCount > result.errors.length ? `问题（只列出前 ${result.errors.length} 个）` : '问题'}
					/>
					{result.warnings.length ? <ImportIssueTable issues={result.warnings} caption="提示" /> : null}
				</section>
			) : null}

			{result?.stage === 'checked' ? null : <UploadForm error={result?.stage === 'error' ? result.message : undefined} />}
		</>
	)
}
