import type { MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { OUTREACH_SETTINGS, type OutreachSetting } from '#app/outreach/labels.ts'
import { shippedOutreach } from '#app/outreach/read.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

const DESCRIPTION = '安全宣传进企业、进农村、进社区、进学校、进家庭：写给不同人群的安全常识、警示案例和自测题目。'

export const meta: MetaFunction = (args) => publicMeta(args, { title: '安全宣传“五进”', description: DESCRIPTION })

// Public: shipped content, no sign-in. Cards follow the official order 企业、农村、社区、学校、家庭.
export async function loader() {
	const { pages } = await shippedOutreach()
	const settings = (Object.keys(OUTREACH_SETTINGS) as OutreachSetting[]).flatMap((setting) => {
		const page = pages.find((p) => p.slug === setting)
		return page ? [{ setting, label: `进${OUTREACH_SETTINGS[setting]}`, title: page.frontMatter.title, summary: page.frontMatter.summary }] : []
	})
	return { settings }
}

export default function Wujin() {
	const { settings } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>安全宣传“五进”</h1>
			<p className="muted">安全宣传进企业、进农村、进社区、进学校、进家庭。选择与您相关的一项阅读。</p>
			<ul className="plain outreach-cards">
				{settings.map((s) => (
					<li key={s.setting} className="card">
						<h2>
							<Link to={`/wujin/${s.setting}`}>{s.label}</Link>
						</h2>
						<p>{s.summary}</p>
					</li>
				))}
			</ul>
		</>
	)
}
