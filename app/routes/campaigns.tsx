import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { campaignWindow, currentOrNextCampaign } from '#app/outreach/content-files.ts'
import { campaignDatesLabel } from '#app/outreach/labels.ts'
import { shippedOutreach } from '#app/outreach/read.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { publicMeta } from '#app/utils/meta.ts'

const DESCRIPTION = '全年安全宣传教育活动：全国中小学生安全教育日、防灾减灾日、安全生产月、消防宣传月、全国交通安全日、国家宪法日等。'

export const meta: MetaFunction = (args) => publicMeta(args, { title: '安全宣传教育活动日历', description: DESCRIPTION })

const dayOf = (date: Date) => date.toISOString().slice(0, 10)

// Public: the campaigns of this year (China time) in date order, the current or next one marked.
export async function loader() {
	const today = chinaDay(new Date())
	const year = Number(today.slice(0, 4))
	const { campaigns } = await shippedOutreach()
	const featured = currentOrNextCampaign(campaigns, new Date(`${today}T00:00:00Z`))
	const calendar = campaigns
		.map((c) => {
			const { start, end } = campaignWindow(c, year)
			return { slug: c.slug, name: c.name, start: dayOf(start), end: dayOf(end), note: c.note ?? null, summary: c.summary, theme: c.theme }
		})
		// Same start: the longer one first, so 消防宣传月 comes before the days inside it.
		.sort((a, b) => a.start.localeCompare(b.start) || b.end.localeCompare(a.end))
	return {
		year,
		calendar,
		featured: featured ? { slug: featured.campaign.slug, name: featured.campaign.name, start: dayOf(featured.start), end: dayOf(featured.end), current: featured.current } : null,
	}
}

export default function Campaigns() {
	const { year, calendar, featured } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>{year} 年安全宣传教育活动日历</h1>
			{featured ? (
				<p className="notice">
					{featured.current ? '正在进行：' : '下一项活动：'}
					<a href={`#${featured.slug}`}>{featured.name}</a>（{featured.start.slice(0, 4) === String(year) ? '' : `${featured.start.slice(0, 4)}年`}
					{campaignDatesLabel(featured.start, featured.end)}）
				</p>
			) : null}
			<ol className="plain campaign-list">
				{calendar.map((c) => {
					const marked = featured?.slug === c.slug
					return (
						<li key={c.slug} id={c.slug} className={marked ? 'campaign featured' : 'campaign'} aria-current={marked && featured?.current ? 'date' : undefined}>
							<h2>
								{c.name}
								{marked ? <span className="badge warn"> {featured?.current ? '进行中' : '下一项'}</span> : null}
							</h2>
							<p className="campaign-dates">
								<time dateTime={c.start}>{campaignDatesLabel(c.start, c.end)}</time>
								{c.note ? <span className="muted">（{c.note}）</span> : null}
							</p>
							<p>{c.summary}</p>
							<p className="muted">宣传主题：{c.theme}</p>
						</li>
					)
				})}
			</ol>
		</>
	)
}
