import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { rate } from '#app/oversight/spot-checks-form.ts'
import { listSpotChecks, requireSpotCheckScope } from '#app/oversight/spot-checks.server.ts'
import { db } from '#app/utils/db.server.ts'

// 随机抽考: the checks owned within the caller's scope, newest first.

export const meta: MetaFunction = () => [{ title: '随机抽考 · 安全生产培训考试平台' }]

const PAGE_SIZE = 50

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireSpotCheckScope(request)
	const page = Math.min(100_000, Math.max(1, Number(new URL(request.url).searchParams.get('page')) || 1))
	const { total, rows } = await listSpotChecks(db, scope, { page, pageSize: PAGE_SIZE })
	const now = new Date()
	return {
		page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		total,
		rows: rows.map((r) => ({
			id: r.id,
			title: r.title,
			owner: r.ownerName,
			window: `${formatChinaTime(r.opensAt)} 至 ${formatChinaTime(r.closesAt)}`,
			state: now < r.opensAt ? '未开始' : now < r.closesAt ? '进行中' : '已结束',
			populationSize: r.populationSize,
			drawn: r.drawn,
			taken: r.taken,
			passed: r.passed,
			passRate: rate(r.passed, r.taken),
		})),
	}
}

export default function SpotChecks() {
	const { rows, total, page, pages } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>随机抽考</h1>
			<p className="muted">按人员类别、行业、工种等条件从辖区人员中随机抽取考试人员。每次抽取都保存随机种子和当时的人员名单，可随时复核。</p>
			<p className="actions">
				<Link className="button" to="/spot-checks/new">
					发起抽考
				</Link>
				<Link to="/registers/leaders">领导干部和关键岗位人员登记</Link>
			</p>
			<div className="table-scroll">
				<table className="data">
					<caption className="muted tpl-caption">抽考记录（共 {total} 次）</caption>
					<thead>
						<tr>
							<th scope="col">抽考名称</th>
							<th scope="col">发起单位</th>
							<th scope="col">考试时间</th>
							<th scope="col">状态</th>
							<th scope="col">总体</th>
							<th scope="col">抽中</th>
							<th scope="col">已交卷</th>
							<th scope="col">合格率</th>
						</tr>
					</thead>
					<tbody>
						{rows.map((r) => (
							<tr key={r.id}>
								<td>
									<Link to={`/spot-checks/${r.id}`}>{r.title}</Link>
								</td>
								<td>{r.owner}</td>
								<td>{r.window}</td>
								<td>{r.state}</td>
								<td>{r.populationSize}</td>
								<td>{r.drawn}</td>
								<td>{r.taken}</td>
								<td>{r.passRate === null ? '—' : `${r.passRate}%（${r.passed}/${r.taken}）`}</td>
							</tr>
						))}
						{rows.length === 0 ? (
							<tr>
								<td colSpan={8} className="muted">
									还没有抽考记录
								</td>
							</tr>
						) : null}
					</tbody>
				</table>
			</div>
			{pages > 1 ? (
				<nav className="actions" aria-label="翻页">
					{page > 1 ? <Link to={`?page=${page - 1}`}>上一页</Link> : null}
					<span className="muted">
						第 {page} / {pages} 页
					</span>
					{page < pages ? <Link to={`?page=${page + 1}`}>下一页</Link> : null}
				</nav>
			) : null}
		</>
	)
}
