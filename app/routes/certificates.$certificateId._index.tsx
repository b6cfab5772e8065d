import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { canManagePeopleOf } from '#app/auth/scope.ts'
import { requireCertificate } from '#app/certificates/access.server.ts'
import { CERTIFICATE_STATUS, certificateStatus, formatChineseDate } from '#app/certificates/certificate.ts'
import { CertificateError, revokeCertificate } from '#app/certificates/certificates.server.ts'
import { StatusBanner } from '#app/certificates/verify-form.tsx'
import { FormError, SubmitButton, TextAreaField } from '#app/components/forms.tsx'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, parseForm } from '#app/utils/forms.ts'
import { chinaDay } from '#app/utils/days.ts'

// GET /certificates/:certificateId: one certificate for its holder and for managers in scope —
// the details, the PDF, the public verification link; for the holder's enterprise_admin and
// system admins a 撤销 form with a required reason.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.certificate.title ?? '证书'} · 安全生产培训考试平台` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, certificate: c, holderOrgPath, revokedByName } = await requireCertificate(request, params.certificateId)
	return {
		certificate: {
			id: c.id,
			serial: c.serial,
			title: c.title,
			holderName: c.holderName,
			holderIdMasked: c.holderIdMasked,
			jobTypeNames: c.jobTypeNames,
			orgName: c.orgName,
			examTitle: c.examTitle,
			score: c.score,
			maxScore: c.maxScore,
			issuedOn: chinaDay(c.issuedAt),
			expiresOn: c.expiresOn,
			revokedAt: c.revokedAt ? formatChinaTime(c.revokedAt) : null,
			revokedReason: c.revokedReason,
			revokedByName,
			status: certificateStatus(c, new Date()),
		},
		isHolder: c.personId === user.id,
		canRevoke: !c.revokedAt && canManagePeopleOf(user, holderOrgPath),
	}
}

const revokeSchema = z.object({
	reason: z
		.string({ error: '请填写撤销原因' })
		.trim()
		.min(2, '撤销原因至少 2 个字')
		.max(200, '撤销原因最多 200 个字'),
})

/** 撤销: the holder's enterprise_admin or a system admin, with a reason. */
export async function action({ request, params }: ActionFunctionArgs) {
	const { user, certificate, holderOrgId } = await requireCertificate(request, params.certificateId, { manage: true })
	const formData = await request.formData()
	const parsed = parseForm(revokeSchema, formData)
	if (!parsed.ok) return data(parsed, { status: 400 })
	try {
		await revokeCertificate(db, { certificateId: certificate.id, reason: parsed.data.reason, actorId: user.id, orgId: holderOrgId })
	} catch (error) {
		if (error instanceof CertificateError) return data(failure({ reason: parsed.data.reason }, { form: error.message }), { status: error.status })
		throw error
	}
	return redirect(`/certificates/${certificate.id}`)
}

export default function CertificatePage() {
	const { certificate: c, isHolder, canRevoke } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const errors = result && !result.ok ? result.errors : {}
	return (
		<article>
			<p className="muted">{isHolder ? <Link to="/me">我的</Link> : <Link to="/certificates">证书</Link>} › 证书详情</p>
			<h1>{c.title}</h1>
			<section className="card" aria-label="证书信息">
				<StatusBanner status={c.status}>{CERTIFICATE_STATUS[c.status]}</StatusBanner>
				{c.revokedAt ? (
					<p>
						已于 {c.revokedAt} 撤销{c.revokedByName ? `（${c.revokedByName}）` : ''}。撤销原因：{c.revokedReason || '—'}
					</p>
				) : null}
				<dl className="facts">
					<dt>持证人</dt>
					<dd>{c.holderName}</dd>
					<dt>身份证号</dt>
					<dd>{c.holderIdMasked || '未登记'}</dd>
					<dt>工种</dt>
					<dd>{c.jobTypeNames.join('、') || '—'}</dd>
					<dt>单位</dt>
					<dd>{c.orgName}</dd>
					<dt>考试</dt>
					<dd>{c.examTitle}</dd>
					<dt>成绩</dt>
					<dd>
						{c.score} 分（满分 {c.maxScore} 分）
					</dd>
					<dt>发证日期</dt>
					<dd>{formatChineseDate(c.issuedOn)}</dd>
					<dt>有效期至</dt>
					<dd>{c.expiresOn ? formatChineseDate(c.expiresOn) : '长期有效'}</dd>
					<dt>证书编号</dt>
					<dd>{c.serial}</dd>
				</dl>
			</section>
			<div className="actions">
				<a className="button" href={`/certificates/${c.id}/pdf`} download>
					下载证书（PDF）
				</a>
				<Link to={`/verify/${c.serial}`}>查看公开核验页</Link>
			</div>
			{canRevoke ? (
				<section className="card" aria-labelledby="revoke-title" style={{ marginTop: '1.5rem' }}>
					<h2 id="revoke-title">撤销证书</h2>
					<p className="muted">撤销后不能恢复。扫码或输入编号核验时将显示“已撤销”和撤销原因，所以原因中不要写身份证号、电话等个人信息。</p>
					<Form method="post" className="filters">
						<FormError error={errors.form} />
						<TextAreaField name="reason" label="撤销原因" required maxLength={200} defaultValue={result && !result.ok ? String(result.values.reason ?? '') : ''} error={errors.reason} hint="如：考试存在替考行为；证书信息有误需重新发放" />
						<SubmitButton pendingText="正在撤销…">确认撤销</SubmitButton>
					</Form>
				</section>
			) : null}
		</article>
	)
}
