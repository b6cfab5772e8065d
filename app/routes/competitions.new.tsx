import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { CompetitionForm } from '#app/components/competition-form.tsx'
import { toChinaInput } from '#app/exams/exam-form.ts'
import { competitionFormSchema } from '#app/outreach/competition-form.ts'
import { requireCompetitionScope, saveCompetition } from '#app/outreach/competitions.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm, type FormValues } from '#app/utils/forms.ts'

// /competitions/new — a 知识竞赛: window, time limit and the paper's rules, checked against the bank.

export const meta: MetaFunction = () => [{ title: '新建知识竞赛 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const scope = await requireCompetitionScope(request)
	const start = new Date()
	start.setMinutes(0, 0, 0)
	start.setTime(start.getTime() + 3600_000)
	const defaults: FormValues = {
		opensAt: toChinaInput(start),
		closesAt: toChinaInput(new Date(start.getTime() + 30 * 24 * 3600_000)),
		timeLimitMinutes: '15',
		singleCount: '10',
		singlePoints: '5',
		multipleCount: '5',
		multiplePoints: '6',
		judgeCount: '10',
		judgePoints: '2',
		part: 'general',
	}
	return { defaults, platform: scope.ownerOrgId === null }
}

export async function action({ request }: ActionFunctionArgs) {
	const scope = await requireCompetitionScope(request)
	const form = await request.formData()
	const parsed = parseForm(competitionFormSchema, form)
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await saveCompetition(db, scope, parsed.data)
	if (!result.ok) return data(failure(formValues(form), result.errors), { status: 400 })
	throw redirect(`/competitions/${result.slug}/manage?saved=1`)
}

export default function NewCompetition() {
	const { defaults, platform } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<p className="muted">
				<Link to="/competitions/manage">知识竞赛</Link> › 新建
			</p>
			<h1>新建知识竞赛</h1>
			<p className="muted">{platform ? '以平台名义主办。' : '以本单位名义主办。'}保存时会检查题库能否抽出这样的试卷；竞赛开始后试卷和时间不能再修改。</p>
			<CompetitionForm values={result?.values ?? defaults} errors={result?.errors ?? {}} isNew locked={false} submitLabel="保存竞赛" />
		</>
	)
}
