import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { PERSON_CATEGORIES } from '#app/people/labels.ts'
import { formatBytes, OFFLINE_KINDS } from '#app/records/offline.ts'
import { offlineTrainingDetail } from '#app/records/offline.server.ts'
import { requireTrainingManager } from '#app/records/plans-scope.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '线下培训 · 安全生产培训考试平台' }]

// No action: a saved training cannot be changed or deleted (a POST here is answered 405).

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { scope } = await requireTrainingManager(request)
	const found = await offlineTrainingDetail(db, scope, params.trainingId!)
	if (!found) throw notFound()
	const { training: t, attendees } = found
	return {
		training: {
			id: t.id,
			kind: OFFLINE_KINDS[t.kind],
			topic: t.topic,
			heldOn: t.heldOn,
			hours: t.hours.toFixed(1),
			trainer: t.trainer,
			orgName: t.orgName,
			recordedBy: t.recordedByName,
			recordedAt: formatChinaTime(t.createdAt),
			attachment: t.attachmentBytes ? { name: t.attachmentName ?? '签到表', isImage: t.attachmentType?.startsWith('image/') ?? false, size: formatBytes(t.attachmentBytes) } : null,
		},
		attendees: attendees.map((a) => ({ id: a.id, name: a.name, position: a.position || PERSON_CATEGORIES[a.category] })),
	}
}

export default function TrainingPage() {
	const { training: t, attendees } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	const attachmentUrl = `/trainings/${t.id}/attachment`
	return (
		<>
			<p className="muted">
				<Link to="/trainings">线下培训记录</Link> › {t.topic}
			</p>
			<h1>{t.topic}</h1>
			{params.get('saved') ? (
				<p className="badge" role="status">
					已保存，已记入 {attendees.length} 人的培训档案
				</p>
			) : null}
			<section className="card" aria-label="培训情况">
				<dl className="facts">
					<dt>形式</dt>
					<dd>{t.kind}</dd>
					<dt>日期</dt>
					<dd>{t.heldOn}</dd>
					<dt>学时</dt>
					<dd>{t.hours}</dd>
					<dt>授课人</dt>
					<dd>{t.trainer || '—'}</dd>
					<dt>单位</dt>
					<dd>{t.orgName}</dd>
					<dt>记录人</dt>
					<dd>
						{t.recordedBy ?? '—'} · {t.recordedAt}
					</dd>
					<dt>签到表</dt>
					<dd>
						{t.attachment ? (
							<span className="actions">
								<a href={attachmentUrl} target="_blank" rel="noreferrer">
									查看 {t.attachment.name}
								</a>
								<a href={`${attachmentUrl}?download=1`}>下载（{t.attachment.size}）</a>
							</span>
						) : (
							'未上传'
						)}
					</dd>
				</dl>
				{t.attachment?.isImage ? <img src={attachmentUrl} alt={`${t.topic} 签到表`} style={{ maxWidth: '100%', marginTop: '1rem' }} loading="lazy" /> : null}
			</section>
			<p className="muted">培训记录保存后不能修改或删除。如记录有误，请另行补记并在主题中说明。</p>
			<h2>参加人员（{attendees.length} 人）</h2>
			<ul className="plain">
				{attendees.map((a) => (
					<li key={a.id}>
						<Link to={`/people/${a.id}/records`}>{a.name}</Link> <span className="muted">· {a.position}</span>
					</li>
				))}
			</ul>
		</>
	)
}
