import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { normalizeSerial } from '#app/certificates/serial.ts'
import { SerialForm } from '#app/certificates/verify-form.tsx'
import { publicMeta } from '#app/utils/meta.ts'

// GET /verify — public: type a certificate's serial to check it. The form is a GET to this page,
// which sends the reader on to /verify/<serial> (so the result has an address of its own).

const DESCRIPTION = '输入培训合格证书编号或扫描证书上的二维码，核验证书是否真实有效、是否已过期或被撤销。'

export const meta: MetaFunction = (args) => publicMeta(args, { title: '证书核验', description: DESCRIPTION })

export async function loader({ request }: LoaderFunctionArgs) {
	const typed = new URL(request.url).searchParams.get('serial')
	if (typed === null) return { value: '', error: undefined }
	const value = typed.trim().slice(0, 40)
	if (!value) return data({ value, error: '请输入证书编号' }, { status: 400 })
	const serial = normalizeSerial(value)
	if (!serial) return data({ value, error: '证书编号格式不对：应为 AQ 开头，如 AQ2026-7K3M9QX2-H4TDW8，请核对后重新输入' }, { status: 400 })
	throw redirect(`/verify/${serial}`)
}

export default function VerifyForm() {
	const { value, error } = useLoaderData<typeof loader>()
	return (
		<article>
			<h1>证书核验</h1>
			<p>输入培训合格证上的证书编号，查看证书是否有效、已过期或已撤销。也可以用手机扫描证书上的二维码。</p>
			<section className="card">
				<SerialForm value={value} error={error} />
			</section>
		</article>
	)
}
