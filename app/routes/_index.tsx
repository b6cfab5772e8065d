import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getUser } from '#app/auth/auth.server.ts'
import { homePathOf } from '#app/auth/scope.ts'
import { publishedArticles } from '#app/outreach/articles.server.ts'
import { currentOrNextCampaign } from '#app/outreach/content-files.ts'
import { campaignDatesLabel } from '#app/outreach/labels.ts'
import { shippedOutreach } from '#app/outreach/read.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { publicMeta, SITE_NAME } from '#app/utils/meta.ts'

const DESCRIPTION = '从业人员岗位安全知识学习与考试、企业培训登记、监管部门随机抽考与安全宣传教育平台。'

export const meta: MetaFunction = (args) => publicMeta(args, { title: SITE_NAME, description: DESCRIPTION })

const dayOf = (date: Date) => date.toISOString().slice(0, 10)

export async function loader({ request }: LoaderFunctionArgs) {
	const [user, { campaigns }, latest] = await Promise.all([getUser(request), shippedOutreach(), publishedArticles({ limit: 5 })])
	// Most visitors arrive from a link shared in WeChat: lead with what is on now.
	const found = currentOrNextCampaign(campaigns, new Date(`${chinaDay(new Date())}T00:00:00Z`))
	const campaign = found
		? { slug: found.campaign.slug, name: found.campaign.name, summary: found.campaign.summary, note: found.campaign.note ?? null, start: dayOf(found.start), end: dayOf(found.end), current: found.current }
		: null
	const articles = latest.map((a) => ({ slug: a.slug, title: a.title, publishedOn: chinaDay(a.publishedAt) }))
	return { home: user ? homePathOf(user) : null, campaign, articles }
}

const PUBLIC_LINKS = [
	{ to: '/wujin', label: '安全宣传“五进”', hint: '进企业、农村、社区、学校、家庭' },
	{ to: '/cases', label: '警示案例', hint: '事故经过、原因和教训' },
	{ to: '/glossary', label: '安全术语', hint: '常见术语的通俗解释' },
	{ to: '/articles', label: '宣传文章', hint: '通知、活动和安全知识' },
	{ to: '/campaigns', label: '活动日历', hint: '全年安全宣传活动' },
	{ to: '/verify', label: '证书核验', hint: '核验培训合格证书真伪' },
]

export default function Index() {
	const { home, campaign, articles } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>安全生产培训考试与宣教平台</h1>
			{campaign ? (
				<section className="card campaign-feature" aria-labelledby="campaign-title">
					<p className="muted">{campaign.current ? '正在进行' : '即将开始'}</p>
					<h2 id="campaign-title">{campaign.name}</h2>
					<p>
						<time dateTime={campaign.start}>{campaignDatesLabel(campaign.start, campaign.end, { withYear: true })}</time>
						{campaign.note ? <span className="muted">（{campaign.note}）</span> : null}
					</p>
					<p>{campaign.summary}</p>
					<p>
						<Link to="/campaigns">查看全年活动日历</Link>
					</p>
				</section>
			) : null}
			<nav className="actions" aria-label="自测和竞赛">
				<Link className="button" to="/self-test">
					安全知识自测
				</Link>
				<Link className="button" to="/competitions">
					知识竞赛
				</Link>
			</nav>
			<p>从业人员未经安全生产教育和培训合格，不得上岗作业。在这里学习本岗位应知应会知识、参加考试，查看自己的上岗资格。</p>
			<div className="actions">
				{home ? (
					<Link className="button" to={home}>
						进入工作台
					</Link>
				) : (
					<Link className="button" to="/login">
						登录
					</Link>
				)}
				<Link className="button secondary" to="/job-types">
					工种目录
				</Link>
			</div>
			<nav aria-labelledby="public-links-title">
				<h2 id="public-links-title">安全宣传教育</h2>
				<ul className="plain public-links">
					{PUBLIC_LINKS.map((l) => (
						<li key={l.to}>
							<Link to={l.to}>{l.label}</Link> <span className="muted">{l.hint}</span>
						</li>
					))}
				</ul>
			</nav>
			{articles.length ? (
				<section aria-labelledby="latest-articles-title">
					<h2 id="latest-articles-title">最新文章</h2>
					<ul className="plain public-links">
						{articles.map((a) => (
							<li key={a.slug}>
								<Link to={`/articles/${a.slug}`}>{a.title}</Link> <time className="muted" dateTime={a.publishedOn}>{a.publishedOn}</time>
							</li>
						))}
					</ul>
					<p>
						<Link to="/articles">全部宣传文章</Link>
					</p>
				</section>
			) : null}
		</>
	)
}
