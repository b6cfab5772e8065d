import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { SubmitButton, TextField } from '#app/components/forms.tsx'
import { joinCodeSchema } from '#app/oversight/inspections-form.ts'
import { joinPath } from '#app/oversight/onsite-quiz.ts'

// 参加现场考试: the six-digit code the inspector shows, for people who cannot scan the QR code.

export const meta: MetaFunction = () => [{ title: '参加现场考试 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const url = new URL(request.url)
	if (!url.searchParams.has('code')) return { code: '', error: null }
	const parsed = joinCodeSchema.safeParse({ code: url.searchParams.get('code') ?? '' })
	if (!parsed.success) return { code: url.searchParams.get('code') ?? '', error: parsed.error.issues[0]?.message ?? '考试码是 6 位数字' }
	throw redirect(joinPath(parsed.data.code))
}

export default function QuizCodeEntry() {
	const { code, error } = useLoaderData<typeof loader>()
	return (
		<section className="card" aria-labelledby="quiz-title">
			<h1 id="quiz-title">参加现场考试</h1>
			<Form method="get" className="stack" noValidate>
				<TextField name="code" label="考试码" inputMode="numeric" autoComplete="off" maxLength={6} defaultValue={code} error={error ?? undefined} hint="请输入检查人员出示的 6 位数字考试码" />
				<div className="actions">
					<SubmitButton>下一步</SubmitButton>
				</div>
			</Form>
		</section>
	)
}
