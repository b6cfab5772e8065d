import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { getUser, requireUser } from '#app/auth/auth.server.ts'
import { recordSignInFailure, signInLockedUntil } from '#app/auth/throttle.server.ts'
import { retryMessage } from '#app/auth/throttle.ts'
import { FormError, SubmitButton, TextField } from '#app/components/forms.tsx'
import { rosterMatchSchema } from '#app/oversight/inspections-form.ts'
import { CLOSED_MESSAGE, isJoinCode, joinPath, OUTSIDE_MESSAGE } from '#app/oversight/onsite-quiz.ts'
import { isJoinable, joinQuiz, quizByCode, rosterMatch } from '#app/oversight/onsite-quiz.server.ts'
import { quizPassCookie, quizPassHolder } from '#app/oversight/quiz-pass.server.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

// Joining a 逢查必考 quiz by its code (the QR code's URL). Signed in: 参加考试 adds the person, if
// of the inspected enterprise, and opens the exam. Not signed in: 登录, or — for people of the
// enterprise without an account — name + phone matched against its roster, which gives a pass for
// this one exam only (a signed cookie, see app/oversight/quiz-pass.ts), not a session.

export const meta: MetaFunction = () => [{ title: '参加现场考试 · 安全生产培训考试平台' }]

/** The pass outlives the exam's close by this much, so the result can still be read. */
const PASS_AFTER_CLOSE_MS = 2 * 3600_000

async function quizOf(code: string | undefined) {
	return isJoinCode(code) ? await quizByCode(db, code) : null
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const q = await quizOf(params.code)
	if (!q) return data({ state: 'unknown' as const, code: params.code ?? '', orgName: null, viewer: null, passExamId: null }, { status: 404 })
	const user = await getUser(request)
	const pass = await quizPassHolder(request, { examId: q.exam.id })
	return {
		state: isJoinable(q, new Date()) ? ('open' as const) : ('closed' as const),
		code: q.quiz.joinCode,
		orgName: q.org.name,
		viewer: user ? { name: user.name, inEnterprise: user.orgPath.startsWith(q.org.path) } : null,
		// Joined before by roster match on this phone: straight back to the exam.
		passExamId: pass ? q.exam.id : null,
	}
}

export async function action({ request, params, context }: ActionFunctionArgs) {
	const q = await quizOf(params.code)
	if (!q) return data({ ...failure({}, { form: '没有这个考试码，请核对后重新输入' }), intent: null }, { status: 404 })
	const form = await request.formData()
	const intent = form.get('intent')
	if (intent === 'join') {
		const user = await requireUser(request)
		const joined = await joinQuiz(db, q, { id: user.id, orgPath: user.orgPath }, 'session')
		if (!joined.ok) return data({ ...failure({}, { form: joined.error }), intent }, { status: joined.status })
		throw redirect(`/exams/${joined.examId}`)
	}
	if (intent === 'roster') {
		const parsed = parseForm(rosterMatchSchema, form)
		if (!parsed.ok) return data({ ...parsed, intent }, { status: 400 })
		const values = formValues(form)
		const phoneHash = phoneLookupHash(parsed.data.phone)
		const now = new Date()
		// Name + phone is guessable: failures count toward the same locks as sign-in.
		const locked = await signInLockedUntil(phoneHash, context.clientIp, now)
		if (locked) return data({ ...failure(values, { form: retryMessage(locked, now) }), intent }, { status: 429 })
		const person = await rosterMatch(db, q, parsed.data.name, parsed.data.phone)
		if (!person) {
			await recordSignInFailure(phoneHash, context.clientIp, now)
			return data({ ...failure(values, { form: `姓名或手机号与${q.org.name}的人员名单不符，请核对后重新填写（只有本企业人员可以参加）` }), intent }, { status: 400 })
		}
		// An account holder signs in: name and phone never stand in for a password.
		if (person.hasPassword) return data({ ...failure(values, { form: '您已有账号，请先登录再参加考试' }), intent, mustSignIn: true }, { status: 409 })
		const joined = await joinQuiz(db, q, person, 'roster', now)
		if (!joined.ok) return data({ ...failure(values, { form: joined.error }), intent }, { status: joined.status })
		const expiresAt = new Date(q.exam.closesAt.getTime() + PASS_AFTER_CLOSE_MS)
		throw redirect(`/exams/${joined.examId}`, { headers: { 'Set-Cookie': quizPassCookie(person.id, joined.examId, expiresAt) } })
	}
	return data({ ...failure({}, { form: '请求不完整，请重试' }), intent: null }, { status: 400 })
}

export default function JoinQuiz() {
	const { state, code, orgName, viewer, passExamId } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const errors: Record<string, string> = result?.errors ?? {}
	const values = result?.values ?? {}
	const loginTo = `/login?redirectTo=${encodeURIComponent(joinPath(code))}`
	if (state === 'unknown') {
		return (
			<section className="card" aria-labelledby="quiz-title">
				<h1 id="quiz-title">参加现场考试</h1>
				<p className="form-error" role="alert">
					没有这个考试码，请核对后重新输入。
				</p>
				<Link to="/quiz">重新输入考试码</Link>
			</section>
		)
	}
	return (
		<section className="card" aria-labelledby="quiz-title">
			<h1 id="quiz-title">现场考试 · {orgName}</h1>
			<p className="muted">考试码 {code}</p>
			{state === 'closed' ? (
				<p className="form-error" role="alert">
					{CLOSED_MESSAGE}
				</p>
			) : null}
			{result && !result.intent ? <FormError error={errors.form} /> : null}
			{passExamId ? (
				<p>
					<Link className="button" to={`/exams/${passExamId}`}>
						继续考试
					</Link>
				</p>
			) : viewer && state === 'open' ? (
				<>
					<p>
						{viewer.name}，{viewer.inEnterprise ? '请点击下方按钮参加考试，开始后计时。' : OUTSIDE_MESSAGE}
					</p>
					{result?.intent === 'join' ? <FormError error={errors.form} /> : null}
					{viewer.inEnterprise ? (
						<Form method="post">
							<input type="hidden" name="intent" value="join" />
							<SubmitButton pendingText="正在加入…">参加考试</SubmitButton>
						</Form>
					) : null}
				</>
			) : state === 'open' ? (
				<>
					<p>
						<Link className="button" to={loginTo}>
							登录后参加
						</Link>
					</p>
					<h2>还没有账号？</h2>
					<p className="muted">填写您在{orgName}登记的姓名和手机号，核对无误即可参加本场考试。</p>
					<Form method="post" className="stack" noValidate>
						<input type="hidden" name="intent" value="roster" />
						{result?.intent === 'roster' ? <FormError error={errors.form} /> : null}
						{result && 'mustSignIn' in result ? <Link to={loginTo}>去登录</Link> : null}
						<TextField name="name" label="姓名" autoComplete="name" defaultValue={String(values.name ?? '')} error={errors.name} />
						<TextField name="phone" label="手机号" type="tel" inputMode="numeric" maxLength={13} defaultValue={String(values.phone ?? '')} error={errors.phone} />
						<div className="actions">
							<SubmitButton pendingText="正在核对…">核对并参加</SubmitButton>
						</div>
					</Form>
				</>
			) : null}
		</section>
	)
}
