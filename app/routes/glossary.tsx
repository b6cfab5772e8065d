import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { glossaryTerms, searchGlossary } from '#app/outreach/cases.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /glossary — public, no sign-in: the safety-work terms, in the groups of content/glossary.yaml,
// each with an `id` so that case pages and lessons can link to it; ?q= filters by term, alias or
// explanation with a plain GET form.

const DESCRIPTION = '安全生产常用术语的通俗解释和出处：三管三必须、三违、四不放过、双重预防机制、有限空间、特种作业等。'

export const meta: MetaFunction = (args) => publicMeta(args, { title: '安全生产术语', description: DESCRIPTION })

export async function loader({ request }: LoaderFunctionArgs) {
	const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 50)
	const all = await glossaryTerms()
	const terms = searchGlossary(all, q)
	const groups: { name: string; terms: typeof terms }[] = []
	for (const term of terms) {
		const group = groups.find((g) => g.name === term.group)
		if (group) group.terms.push(term)
		else groups.push({ name: term.group, terms: [term] })
	}
	return { q, total: all.length, count: terms.length, groups }
}

export default function Glossary() {
	const { q, total, count, groups } = useLoaderData<typeof loader>()
	return (
		<article className="glossary">
			<h1>安全生产术语</h1>
			<p className="muted">本平台自行撰写的通俗解释，法律条文以正式文本为准。</p>
			<Form method="get" className="glossary-search" role="search" aria-label="查找术语">
				<label htmlFor="q">查找术语</label>
				<div className="glossary-search-row">
					<input id="q" name="q" type="search" defaultValue={q} placeholder="如：三违、有限空间" />
					<button type="submit">查找</button>
				</div>
			</Form>
			<p role="status" data-testid="term-count">
				{q ? `找到 ${count} 个与“${q}”有关的术语（共 ${total} 个）` : `共 ${total} 个术语`}
				{q ? (
					<>
						{' '}
						<Link to="/glossary">显示全部</Link>
					</>
				) : null}
			</p>
			{groups.map((group) => (
				<section key={group.name} aria-labelledby={`group-${group.name}`}>
					<h2 id={`group-${group.name}`}>{group.name}</h2>
					<dl className="glossary-terms">
						{group.terms.map((t) => (
							<div key={t.term} id={t.anchor} className="glossary-term">
								<dt>{t.term}</dt>
								<dd>
									<p>{t.explanation}</p>
									{t.aliases?.length ? <p className="muted">又称：{t.aliases.join('、')}</p> : null}
									<p className="muted glossary-source">出处：{t.source}</p>
								</dd>
							</div>
						))}
					</dl>
				</section>
			))}
		</article>
	)
}
