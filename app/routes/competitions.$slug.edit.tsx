import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { CompetitionForm } from '#app/components/competition-form.tsx'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { competitionDetailsSchema, competitionFormSchema, competitionToValues, totalOf } from '#app/outreach/competition-form.ts'
import { requireManagedCompetition, saveCompetition, updateCompetitionDetails } from '#app/outreach/competitions.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

// /competitions/:slug/edit — before the competition opens, everything but the link name; after,
// only its name and description (the paper and the clock must be the same for everyone).

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `修改 ${data?.title ?? '知识竞赛'} · 安全生产培训考试平台` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { competition: c } = await requireManagedCompetition(request, params.slug)
	const paper = totalOf(c.rules)
	return {
		slug: c.slug,
		title: c.title,
		locked: new Date() >= c.opensAt,
		values: competitionToValues(c),
		settings: `${formatChinaTime(c.opensAt)} 至 ${formatChinaTime(c.closesAt)}；${paper.questions} 题，满分 ${paper.points} 分，限时 ${c.timeLimitMinutes} 分钟；${c.fixedPaper ? '固定试卷' : '每人随机抽题'}`,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { scope, competition } = await requireManagedCompetition(request, params.slug)
	const form = await request.formData()
	const now = new Date()
	const locked = now >= competition.opensAt
	// A form loaded before the opening and posted after it: its paper and times are refused, not dropped.
	if (locked && form.get('scope') !== 'details') return data(failure(formValues(form), { form: '竞赛已经开始，试卷和时间不能再修改，只能修改名称和说明。请刷新页面后再改。' }), { status: 409 })
	if (locked) {
		const parsed = parseForm(competitionDetailsSchema, form)
		if (!parsed.ok) return data(parsed, { status: 400 })
		await updateCompetitionDetails(db, scope, competition, parsed.data, now)
	} else {
		form.set('slug', competition.slug)
		const parsed = parseForm(competitionFormSchema, form)
		if (!parsed.ok) return data(parsed, { status: 400 })
		const result = await saveCompetition(db, scope, parsed.data, competition, now)
		if (!result.ok) return data(failure(formValues(form), result.errors), { status: 400 })
	}
	throw redirect(`/competitions/${competition.slug}/manage?saved=1`)
}

export default function EditCompetition() {
	const { slug, title, locked, values, settings } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<p className="muted">
				<Link to="/competitions/manage">知识竞赛</Link> › <Link to={`/competitions/${slug}/manage`}>{title}</Link> › 修改
			</p>
			<h1>修改知识竞赛</h1>
			{locked ? <p className="muted">竞赛已经开始，只能修改名称和说明。时间和试卷：{settings}。</p> : <p className="muted">竞赛开始前可以修改全部设置；固定试卷在抽题规则改变时重新抽取。</p>}
			<CompetitionForm values={result?.values ?? values} errors={result?.errors ?? {}} isNew={false} locked={locked} submitLabel="保存修改" />
		</>
	)
}
