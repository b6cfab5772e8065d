import {
	data,
	MaxPartSizeExceededError,
	unstable_createMemoryUploadHandler,
	unstable_parseMultipartFormData,
	type ActionFunctionArgs,
	type HeadersFunction,
	type LoaderFunctionArgs,
	type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireRole } from '#app/auth/auth.server.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { FormError, SelectField, SubmitButton } from '#app/components/forms.tsx'
import { manageableOrgs } from '#app/orgs/orgs.server.ts'
import { commitRoster, initialPasswordsWorkbook, previewRoster, ROSTER_MESSAGES, type RosterSummary } from '#app/people/roster-import.server.ts'
import { MAX_ROSTER_BYTES, MAX_ROSTER_ROWS, ROSTER_HEADERS, type ImportIssue, type InitialPassword } from '#app/people/roster-import.ts'
import { db } from '#app/utils/db.server.ts'
import { isUuid } from '#app/utils/ids.ts'
import { findUpload, stashUpload, UPLOAD_GONE, XLSX_TYPE } from '#app/utils/spreadsheet.server.ts'
import { ImportIssueTable } from '#app/components/import-issues.tsx'

export const meta: MetaFunction = () => [{ title: '批量导入人员 · 安全生产培训考试平台' }]

// The page that shows initial passwords must not be cached (the action says so).
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => (actionHeaders.has('Cache-Control') ? actionHeaders : loaderHeaders)

/** At most this many problems are listed on the page (all are counted). */
const SHOWN_PROBLEMS = 1000
const ROLES = ['system_admin', 'enterprise_admin'] as const

async function orgChoices(user: SessionUser) {
	return (await manageableOrgs(db, user)).map(({ id, name }) => ({ id, name }))
}

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, ...ROLES)
	const orgs = await orgChoices(user)
	const wanted = new URL(request.url).searchParams.get('orgId')
	const orgId = orgs.find((o) => o.id === wanted)?.id ?? orgs.find((o) => o.id === user.orgId)?.id ?? (orgs.length === 1 ? orgs[0]!.id : '')
	return { orgs, orgId }
}

type Result =
	| { stage: 'error'; message: string; orgId: string }
	| { stage: 'problems'; fileName: string; orgId: string; errors: ImportIssue[]; errorCount: number; warnings: ImportIssue[]; summary: RosterSummary }
	| { stage: 'checked'; fileName: string; orgId: string; uploadId: string; warnings: ImportIssue[]; summary: RosterSummary }
	| { stage: 'done'; summary: RosterSummary; passwords: InitialPassword[]; passwordsFile: string | null }

const fail = (message: string, orgId: string, status = 400) => data<Result>({ stage: 'error', message, orgId }, { status })

async function readForm(request: Request) {
	if (!(request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) return request.formData()
	return unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_ROSTER_BYTES }))
}

function problems(fileName: string, orgId: string, check: { errors: ImportIssue[]; warnings: ImportIssue[]; summary: RosterSummary }) {
	return data<Result>(
		{
			stage: 'problems',
			fileName,
			orgId,
			errors: check.errors.slice(0, SHOWN_PROBLEMS),
			errorCount: check.errors.length,
			warnings: check.warnings,
			summary: check.summary,
		},
		{ status: 422 },
	)
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireRole(request, ...ROLES)
	let form: FormData
	try {
		form = await readForm(request)
	} catch (error) {
		if (error instanceof MaxPartSizeExceededError) return fail(ROSTER_MESSAGES.tooLarge, '', 413)
		return fail('没有收到文件，请重新选择文件后再提交', '')
	}
	const orgs = await orgChoices(user)
	// A manager of one enterprise imports into it; others choose (or fill 所属单位).
	const orgField = String(form.get('orgId') ?? '') || (orgs.length === 1 ? orgs[0]!.id : '')
	const orgId = orgField || null
	if (orgId && !orgs.some((o) => o.id === orgId)) return fail(ROSTER_MESSAGES.notManaged, '', 403)

	if (form.get('intent') === 'commit') {
		const uploadId = String(form.get('uploadId') ?? '')
		const upload = isUuid(uploadId) ? await findUpload(user.id, uploadId) : null
		if (!upload) return fail(UPLOAD_GONE, orgField, 409)
		const result = await commitRoster(user, upload.bytes, { defaultOrgId: orgId, uploadId })
		if ('fileError' in result) return fail(result.fileError, orgField, result.status)
		if (!result.ok) return problems(upload.fileName, orgField, result)
		const passwords = result.passwords ?? []
		const file = passwords.length ? Buffer.from(await initialPasswordsWorkbook(passwords)).toString('base64') : null
		// Initial passwords are in this response only: never cached, stored or logged.
		return data<Result>(
			{ stage: 'done', summary: result.summary, passwords, passwordsFile: file ? `data:${XLSX_TYPE};base64,${file}` : null },
			{ headers: { 'Cache-Control': 'no-store' } },
		)
	}

	const file = form.get('file')
	const fileName = file instanceof File ? file.name : ''
	// A form sent without choosing a file has an empty part with no name.
	if (!(file instanceof Blob) || (file.size === 0 && !fileName)) return fail('请选择要导入的文件', orgField)
	if (file.size === 0) return fail(ROSTER_MESSAGES.empty, orgField)
	const preview = await previewRoster(user, file, { defaultOrgId: orgId })
	if ('fileError' in preview) return fail(preview.fileError, orgField, preview.status)
	if (!preview.ok) return problems(fileName, orgField, preview)
	const uploadId = await stashUpload(user.id, new Uint8Array(await file.arrayBuffer()), fileName)
	return data<Result>({ stage: 'checked', fileName, orgId: orgField, uploadId, warnings: preview.warnings, summary: preview.summary })
}

const summaryText = (s: RosterSummary) => `新增 ${s.created} 人、更新 ${s.updated} 人`

function OrgField({ orgs, orgId }: { orgs: { id: string; name: string }[]; orgId: string }) {
	if (orgs.length === 1) return <input type="hidden" name="orgId" value={orgs[0]!.id} />
	return (
		<SelectField
			name="orgId"
			label="导入到单位"
			hint="新增人员进入这个单位；文件中“所属单位”列有填写的，以该列为准。已登记的人员留在原单位。"
			options={orgs.map((o) => [o.id, o.name])}
			placeholder="按“所属单位”列"
			defaultValue={orgId}
		/>
	)
}

function UploadForm({ error, orgs, orgId }: { error?: string; orgs: { id: string; name: string }[]; orgId: string }) {
	return (
		<Form method="post" encType="multipart/form-data" className="stack" aria-labelledby="upload-title">
			<h2 id="upload-title">上传人员名册</h2>
			<FormError error={error} />
			<OrgField orgs={orgs} orgId={orgId} />
			<div className="field">
				<label htmlFor="file">选择文件</label>
				<input id="file" name="file" type="file" accept=".xlsx,.csv" required aria-describedby="file-hint" />
				<p className="hint" id="file-hint">
					Excel（.xlsx）或 CSV 文件，不超过 {MAX_ROSTER_BYTES / 1024 / 1024} MB，一次最多 {MAX_ROSTER_ROWS} 人。先检查，确认无误后再导入。
				</p>
			</div>
			<input type="hidden" name="intent" value="check" />
			<div className="actions">
				<SubmitButton pendingText="正在检查…">检查文件</SubmitButton>
			</div>
		</Form>
	)
}

export default function PeopleImport() {
	const { orgs, orgId: suggestedOrgId } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()

	if (result?.stage === 'done') {
		return (
			<section className="stack" aria-labelledby="done-title">
				<h1 id="done-title">导入完成：{summaryText(result.summary)}</h1>
				{result.passwords.length ? (
					<>
						<p className="notice" role="status">
							已为 {result.passwords.length} 名新人员开通账号。初始密码<strong>只显示这一次</strong>，请记录或下载后当面告知本人；首次登录须修改密码。
						</p>
						{result.passwordsFile ? (
							<p>
								<a className="button secondary" href={result.passwordsFile} download="新账号初始密码.xlsx">
									下载初始密码（.xlsx）
								</a>
							</p>
						) : null}
						<div className="table-scroll">
							<table className="data">
								<caption className="muted">新账号的初始密码</caption>
								<thead>
									<tr>
										<th scope="col">行</th>
										<th scope="col">姓名</th>
										<th scope="col">手机号</th>
										<th scope="col">初始密码</th>
									</tr>
								</thead>
								<tbody>
									{result.passwords.map((p) => (
										<tr key={p.row}>
											<td>{p.row}</td>
											<td>{p.name}</td>
											<td>{p.phoneMasked}</td>
											<td>
												<code data-testid="initial-password">{p.password}</code>
											</td>
										</tr>
									))}
								</tbody>
							</table>
						</div>
					</>
				) : null}
				<div className="actions">
					<Link className="button" to="/people">
						查看人员名册
					</Link>
					<Link className="button secondary" to="/people/import">
						继续导入
					</Link>
				</div>
			</section>
		)
	}

	const orgId = result && 'orgId' in result && result.orgId ? result.orgId : suggestedOrgId
	return (
		<>
			<h1>批量导入人员</h1>
			<p>
				每行一人，表头为 {ROSTER_HEADERS.join('、')}（岗位、入职日期、所属单位可不填）。手机号或身份证号已登记的，更新该人员的信息；其余新增并开通账号。{' '}
				<a href="/people/import-template" download>
					下载导入模板（.xlsx）
				</a>
			</p>

			{result?.stage === 'checked' ? (
				<section className="card" aria-labelledby="checked-title">
					<h2 id="checked-title">检查通过：{result.fileName}</h2>
					<p className="notice" role="status">
						共 {result.summary.rows} 人：{summaryText(result.summary)}
					</p>
					{result.warnings.length ? <ImportIssueTable issues={result.warnings} caption={`提示（${result.warnings.length} 条，不影响导入）`} /> : null}
					<Form method="post" className="actions">
						<input type="hidden" name="intent" value="commit" />
						<input type="hidden" name="uploadId" value={result.uploadId} />
						<input type="hidden" name="orgId" value={result.orgId} />
						<SubmitButton pendingText="正在导入…">确认导入</SubmitButton>
						<Link to="/people/import">取消</Link>
					</Form>
				</section>
			) : null}

			{result?.stage === 'problems' ? (
				<section aria-labelledby="problems-title">
					<h2 id="problems-title">
						{result.fileName ? `${result.fileName}：` : ''}发现 {result.errorCount} 个问题，没有导入任何人员
					</h2>
					<p className="form-error" role="alert">
						请在文件中改正下面的问题后重新检查。
						{result.summary.created + result.summary.updated ? `其余行没有问题（${summaryText(result.summary)}）。` : ''}
					</p>
					<ImportIssueTable
						issues={result.errors}
						caption={result.errorCount > result.errors.length ? `问题（只列出前 ${result.errors.length} 个）` : '问题'}
					/>
					{result.warnings.length ? <ImportIssueTable issues={result.warnings} caption="提示" /> : null}
				</section>
			) : null}

			{result?.stage === 'checked' ? null : (
				<UploadForm error={result?.stage === 'error' ? result.message : undefined} orgs={orgs} orgId={orgId} />
			)}
		</>
	)
}
