import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { FormError, SubmitButton, TextField } from '#app/components/forms.tsx'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { registrationSchema, totalOf } from '#app/outreach/competition-form.ts'
import { maskName, WINDOW_LABELS, windowOf } from '#app/outreach/competitions.ts'
import { competitionBySlug, entryCookie, entryOfRequest, registerEntry } from '#app/outreach/competitions.server.ts'
import { renderWithGlossary } from '#app/outreach/cases.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /competitions/:slug — public: the competition's rules and window, and 报名 (name, phone,
// organisation) while it is open. Registering sets this competition's entry cookie and opens the paper.

export const meta: MetaFunction<typeof loader> = ({ data: page, matches, location }) =>
	page
		? publicMeta({ matches, location }, { title: page.title, description: `${page.window}，${page.paper}。不用登录，报名后即可答题，按得分和用时排名。` })
		: [{ title: '没有这个竞赛 · 安全生产培训考试与宣教平台' }]

async function competitionOf(slug: string | undefined) {
	const found = await competitionBySlug(db, slug)
	if (!found) throw notFound('没有这个竞赛')
	return found
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { competition: c, ownerName } = await competitionOf(params.slug)
	const entry = await entryOfRequest(db, request, c.id)
	const paper = totalOf(c.rules)
	const state = windowOf(c, new Date())
	return {
		slug: c.slug,
		title: c.title,
		owner: ownerName ?? '安全生产培训考试与宣教平台',
		html: await renderWithGlossary(c.description),
		state,
		stateLabel: WINDOW_LABELS[state],
		window: `${formatChinaTime(c.opensAt)} 至 ${formatChinaTime(c.closesAt)}`,
		opensAt: formatChinaTime(c.opensAt),
		paper: `共 ${paper.questions} 题，满分 ${paper.points} 分，限时 ${c.timeLimitMinutes} 分钟`,
		// This device's entry: the name masked, as on the leaderboard.
		entry: entry ? { name: maskName(entry.name), done: entry.status !== 'registered' && entry.status !== 'started' } : null,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { competition } = await competitionOf(params.slug)
	const form = await request.formData()
	const parsed = parseForm(registrationSchema, form)
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await registerEntry(db, competition, parsed.data, request)
	if (!result.ok) return data(failure(formValues(form), result.errors), { status: result.errors.phone ? 409 : 400 })
	const paperPath = `/competitions/${competition.slug}/paper`
	return redirect(paperPath, result.token ? { headers: { 'Set-Cookie': entryCookie(competition.slug, result.token, competition.closesAt) } } : undefined)
}

export default function CompetitionPage() {
	const page = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const errors: Record<string, string> = result?.errors ?? {}
	const values = result?.values ?? {}
	const v = (k: string) => String(values[k] ?? '')
	return (
		<article className="competition">
			<nav className="muted" aria-label="所在位置">
				<Link to="/competitions">知识竞赛</Link>
			</nav>
			<h1>{page.title}</h1>
			<dl className="facts">
				<dt>状态</dt>
				<dd>
					<span className={page.state === 'open' ? 'badge' : 'badge warn'}>{page.stateLabel}</span>
				</dd>
				<dt>竞赛时间</dt>
				<dd>{page.window}</dd>
				<dt>试卷</dt>
				<dd>{page.paper}</dd>
				<dt>主办单位</dt>
				<dd>{page.owner}</dd>
			</dl>
			{page.html ? <div className="lesson-body" dangerouslySetInnerHTML={{ __html: page.html }} /> : null}

			<section className="card" aria-labelledby="register-title">
				<h2 id="register-title">报名参赛</h2>
				{page.entry ? (
					<>
						<p>您已用本设备报名（{page.entry.name}）。</p>
						<p>
							<Link className="button" to={`/competitions/${page.slug}/paper`}>
								{page.entry.done ? '查看我的成绩' : '继续答题'}
							</Link>
						</p>
					</>
				) : page.state === 'upcoming' ? (
					<p>竞赛尚未开始，{page.opensAt} 开始报名答题。</p>
				) : page.state === 'closed' ? (
					<p>竞赛已经结束，不能再报名。</p>
				) : (
					<Form method="post" className="stack" noValidate>
						<p className="muted">每个手机号只能报名一次，只有一次答题机会。报名后在本设备上答题；排行榜上只显示姓氏等部分姓名，不显示手机号。</p>
						<FormError error={errors.form} />
						<TextField name="name" label="姓名" autoComplete="name" maxLength={20} defaultValue={v('name')} error={errors.name} />
						<TextField name="phone" label="手机号" type="tel" inputMode="numeric" autoComplete="tel" maxLength={13} defaultValue={v('phone')} error={errors.phone} />
						<TextField name="organization" label="单位或组织" autoComplete="organization" maxLength={50} defaultValue={v('organization')} error={errors.organization} hint="例如：某某煤业有限公司、某某村、某某学校" />
						<div className="actions">
							<SubmitButton pendingText="正在报名…">报名</SubmitButton>
						</div>
					</Form>
				)}
			</section>
			<p>
				<Link to={`/competitions/${page.slug}/leaderboard`}>查看排行榜</Link>
			</p>
		</article>
	)
}
