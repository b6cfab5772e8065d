import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { SubmitButton } from '#app/components/forms.tsx'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { RESULT_STATUS } from '#app/exams/labels.ts'
import { describeSampleSize } from '#app/oversight/spot-checks-form.ts'
import { describePopulation, loadSpotCheck, replayAndRecord, requireSpotCheckScope, spotCheckResults } from '#app/oversight/spot-checks.server.ts'
import { PERSON_CATEGORIES } from '#app/people/labels.ts'
import { db } from '#app/utils/db.server.ts'

// One spot check: how it was drawn (seed, population, filters), who was drawn and how they did,
// and 复核抽取, which re-runs the draw from the stored seed and frozen population.

export const meta: MetaFunction = () => [{ title: '随机抽考 · 安全生产培训考试平台' }]

async function found(request: Request, spotCheckId: string | undefined) {
	const { user, scope } = await requireSpotCheckScope(request)
	const spot = await loadSpotCheck(db, scope, spotCheckId ?? '')
	if (!spot) throw notFound()
	return { user, spot }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, spot } = await found(request, params.spotCheckId)
	const { check } = spot
	const [results, filters] = await Promise.all([spotCheckResults(db, user, check), describePopulation(db, check.population)])
	return {
		check: {
			id: check.id,
			title: check.title,
			owner: spot.ownerName,
			templateTitle: spot.templateTitle,
			templateId: check.templateId,
			examId: check.examId,
			window: `${formatChinaTime(check.opensAt)} 至 ${formatChinaTime(check.closesAt)}`,
			drawnAt: formatChinaTime(check.drawnAt),
			seed: check.seed,
			populationSize: check.populationSize,
			size: describeSampleSize(check),
		},
		filters,
		summary: results.summary,
		rows: results.rows.map((r) => ({
			personId: r.personId,
			name: r.name,
			orgName: r.orgName,
			category: PERSON_CATEGORIES[r.category],
			status: RESULT_STATUS[r.status],
			submitted: r.status === 'submitted',
			score: r.score,
			maxScore: r.maxScore,
			passed: r.passed,
			at: r.at ? formatChinaTime(r.at) : null,
		})),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, spot } = await found(request, params.spotCheckId)
	const replay = await replayAndRecord(db, user, spot.check)
	return {
		replay: {
			matches: replay.matches,
			assigneesMatch: replay.assigneesMatch,
			seed: replay.seed,
			populationSize: replay.populationSize,
			frozenSize: replay.frozenSize,
			drawn: replay.drawn.map((d) => ({ position: d.position, personId: d.personId, name: d.name, orgName: d.orgName })),
		},
	}
}

export default function SpotCheckDetails() {
	const { check, filters, summary, rows } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const [params] = useSearchParams()
	const drawn = params.get('drawn')
	const replay = result?.replay
	return (
		<>
			<p className="muted">
				<Link to="/spot-checks">随机抽考</Link> › 抽考详情
			</p>
			<h1>{check.title}</h1>
			{drawn ? (
				<p className="notice" role="status">
					已从 {check.populationSize} 人中抽取 {drawn} 人，并向他们发布了考试。
				</p>
			) : null}
			<dl className="facts card">
				<dt>发起单位</dt>
				<dd>{check.owner}</dd>
				<dt>考试时间</dt>
				<dd>{check.window}</dd>
				<dt>试卷规则</dt>
				<dd>
					<Link to={`/exam-templates/${check.templateId}`}>{check.templateTitle}</Link>
				</dd>
				<dt>抽取时间</dt>
				<dd>{check.drawnAt}</dd>
				<dt>随机种子</dt>
				<dd>
					<code>{check.seed}</code>
				</dd>
				<dt>总体</dt>
				<dd>
					{check.populationSize} 人（抽取时冻结，按人员编号排序）
				</dd>
				<dt>抽取范围</dt>
				<dd>{filters.org}</dd>
				<dt>人员类别</dt>
				<dd>{filters.categories}</dd>
				<dt>行业</dt>
				<dd>{filters.industries}</dd>
				<dt>工种</dt>
				<dd>{filters.jobTypes}</dd>
				<dt>用工形式</dt>
				<dd>{filters.employmentTypes}</dd>
				<dt>抽取数量</dt>
				<dd>{check.size}</dd>
			</dl>

			<section className="card" aria-labelledby="replay">
				<h2 id="replay">复核抽取</h2>
				<p className="muted">用记录的种子对冻结的总体名单重新抽取一次，核对抽中的人员是否与记录相同。</p>
				<Form method="post">
					<SubmitButton pendingText="正在复核…">复核抽取</SubmitButton>
				</Form>
				{replay ? (
					<div role="status">
						{replay.matches ? (
							<p className="notice">
								复核一致：抽取结果与记录相同（种子 {replay.seed}，总体 {replay.populationSize} 人）
							</p>
						) : (
							<p className="form-error">
								复核不一致：重新抽取的结果与记录不同（种子 {replay.seed}，记录总体 {replay.populationSize} 人，现存名单 {replay.frozenSize} 人），请联系系统管理员核查。
							</p>
						)}
						{!replay.assigneesMatch ? <p className="form-error">考试名单与抽中人员不一致，请联系系统管理员核查。</p> : null}
						<details>
							<summary>重新抽取的 {replay.drawn.length} 人</summary>
							<ol className="plain">
								{replay.drawn.map((d) => (
									<li key={d.personId}>
										第 {d.position + 1} 位：{d.name}（{d.orgName}）
									</li>
								))}
							</ol>
						</details>
					</div>
				) : null}
			</section>

			<h2>考试情况</h2>
			<ul className="stats" aria-label="抽考人数">
				<li>
					<span className="num">{summary.drawn}</span>抽中
				</li>
				<li>
					<span className="num">{summary.taken}</span>已交卷
				</li>
				<li>
					<span className="num">{summary.notTaken}</span>未交卷
				</li>
				<li>
					<span className="num">{summary.passed}</span>合格
				</li>
				<li>
					<span className="num">{summary.passRate === null ? '—' : `${summary.passRate}%`}</span>合格率
				</li>
			</ul>
			<p>
				<a className="button secondary" href={`/spot-checks/${check.id}/export.xlsx`} download>
					导出 Excel
				</a>{' '}
				{check.examId ? <Link to={`/exams/${check.examId}/results`}>考试成绩明细（用时、切屏次数）</Link> : null}
			</p>
			<div className="table-scroll">
				<table className="data">
					<caption className="muted tpl-caption">抽中人员（共 {rows.length} 人；多次考试的取最高分；合格率 = 合格人数 ÷ 已交卷人数）</caption>
					<thead>
						<tr>
							<th scope="col">姓名</th>
							<th scope="col">单位</th>
							<th scope="col">人员类别</th>
							<th scope="col">状态</th>
							<th scope="col">最高成绩</th>
							<th scope="col">是否合格</th>
							<th scope="col">时间</th>
						</tr>
					</thead>
					<tbody>
						{rows.map((r) => (
							<tr key={r.personId}>
								<td>
									<Link to={`/people/${r.personId}`}>{r.name}</Link>
								</td>
								<td>{r.orgName}</td>
								<td>{r.category}</td>
								<td>{r.status}</td>
								<td>{r.score === null ? '—' : `${r.score} / ${r.maxScore}`}</td>
								<td>{r.submitted || r.passed ? r.passed ? <span className="badge">合格</span> : <span className="badge warn">不合格</span> : '—'}</td>
								<td>{r.at ?? '—'}</td>
							</tr>
						))}
						{rows.length === 0 ? (
							<tr>
								<td colSpan={7} className="muted">
									没有抽中人员
								</td>
							</tr>
						) : null}
					</tbody>
				</table>
			</div>
		</>
	)
}
