import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { CERTIFICATE_STATUS, formatChineseDate } from '#app/certificates/certificate.ts'
import { verifyCertificate } from '#app/certificates/certificates.server.ts'
import { SerialForm, StatusBanner } from '#app/certificates/verify-form.tsx'
import { db } from '#app/utils/db.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /verify/:serial — public, no sign-in: the page the certificate's QR code opens. Says 有效,
// 已过期, 已撤销 or 查无此证, with only the masked name, the job types and the dates.

// A certificate's page is for the person holding it: previewed when shared, never indexed.
export const meta: MetaFunction = (args) =>
	publicMeta(args, { title: '证书核验结果', description: '培训合格证书核验结果：证书状态、持证人（部分隐去）、工种和有效期。', noindex: true })

// A revocation must show at once: never from a cache.
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders

export async function loader({ params }: LoaderFunctionArgs) {
	const result = await verifyCertificate(db, (params.serial ?? '').slice(0, 64))
	return data(result, { status: result.found ? 200 : 404, headers: { 'Cache-Control': 'no-store' } })
}

export default function VerifyCertificate() {
	const result = useLoaderData<typeof loader>()
	return (
		<article>
			<h1>证书核验</h1>
			{result.found ? (
				<section className="card" aria-label="核验结果">
					<StatusBanner status={result.status}>{CERTIFICATE_STATUS[result.status]}</StatusBanner>
					<p>
						{result.status === 'valid'
							? '这是本平台签发的证书，目前有效。'
							: result.status === 'expired'
								? `这是本平台签发的证书，有效期至 ${formatChineseDate(result.expiresOn!)}，现已过期。`
								: `这是本平台签发的证书，已于 ${formatChineseDate(result.revokedOn!)} 撤销，不再有效。`}
					</p>
					{result.status === 'revoked' ? <p>撤销原因：{result.revokedReason || '—'}</p> : null}
					<dl className="facts">
						<dt>证书名称</dt>
						<dd>{result.title}</dd>
						<dt>持证人</dt>
						<dd>{result.holderNameMasked}</dd>
						<dt>工种</dt>
						<dd>{result.jobTypeNames.join('、') || '—'}</dd>
						<dt>发证日期</dt>
						<dd>{formatChineseDate(result.issuedOn)}</dd>
						<dt>有效期至</dt>
						<dd>{result.expiresOn ? formatChineseDate(result.expiresOn) : '长期有效'}</dd>
						<dt>证书编号</dt>
						<dd>{result.serial}</dd>
					</dl>
					<p className="muted">为保护个人信息，持证人姓名只显示首尾两字。请与持证人的身份证件核对。</p>
				</section>
			) : (
				<section className="card" aria-label="核验结果">
					<StatusBanner status="not_found">查无此证</StatusBanner>
					<p style={{ overflowWrap: 'anywhere' }}>
						没有编号为“{result.serial || '（空）'}”的证书。请逐位核对证书上的编号；伪造或涂改的编号无法通过核验。
					</p>
				</section>
			)}
			<section className="card" aria-labelledby="verify-again">
				<h2 id="verify-again">核验其他证书</h2>
				<SerialForm />
			</section>
			<p>
				<Link to="/">返回首页</Link>
			</p>
		</article>
	)
}
