import { describe, expect, test } from 'vitest'
import { glossaryAnchor, glossaryHref, linkGlossaryTerms, type LinkableTerm } from '#app/outreach/glossary-links.ts'
import { renderMarkdown } from '#app/utils/markdown.server.ts'

// Glossary links in rendered case and lesson HTML (issue 7).

const TERMS: LinkableTerm[] = [
	{ term: '三违', aliases: ['“三违”', '三违行为'] },
	{ term: '违章作业' },
	{ term: '违章' },
	{ term: '有限空间', aliases: ['受限空间'] },
	{ term: '双随机、一公开', aliases: ['双随机一公开'] },
]

const link = (term: string, text: string) => `<a href="${glossaryHref(term)}" class="term">${text}</a>`
const linksIn = (html: string) => [...html.matchAll(/<a href="([^"]*)" class="term">([^<]*)<\/a>/g)].map((m) => [decodeURIComponent(m[1]!), m[2]])

describe('linkGlossaryTerms', () => {
	test('links only the first occurrence of each entry, term or alias', () => {
		const html = '<p>进入有限空间前先通风。受限空间作业要监护，有限空间不得盲目施救。</p>'
		expect(linkGlossaryTerms(html, TERMS)).toBe(`<p>进入${link('有限空间', '有限空间')}前先通风。受限空间作业要监护，有限空间不得盲目施救。</p>`)
	})

	test('an alias links to its main term’s entry', () => {
		const out = linkGlossaryTerms('<p>受限空间作业</p>', TERMS)
		expect(linksIn(out)).toEqual([['/glossary#有限空间', '受限空间']])
	})

	test('skips text inside links, headings and code, and links a later plain occurrence', () => {
		const html = '<h2>三违的危害</h2><p><a href="/x">三违</a>和<code>三违</code>之外，<strong>三违</strong>要停岗学习。</p>'
		const out = linkGlossaryTerms(html, TERMS)
		expect(out).toBe(`<h2>三违的危害</h2><p><a href="/x">三违</a>和<code>三违</code>之外，<strong>${link('三违', '三违')}</strong>要停岗学习。</p>`)
	})

	test('nested skip elements: text after the outer one closes is linked again', () => {
		const out = linkGlossaryTerms('<pre><code>违章作业</code></pre><p>违章作业</p>', TERMS)
		expect(out).toBe(`<pre><code>违章作业</code></pre><p>${link('违章作业', '违章作业')}</p>`)
	})

	test('the longest name wins where names overlap, and its span is not searched again', () => {
		// 违章作业 contains 违章; 三违行为 contains 三违.
		const out = linkGlossaryTerms('<p>违章作业属于三违行为，违章指挥也是。</p>', TERMS)
		expect(linksIn(out)).toEqual([
			['/glossary#违章作业', '违章作业'],
			['/glossary#三违', '三违行为'],
			['/glossary#违章', '违章'],
		])
		// A later 违章作业, already linked, keeps its 违章 unlinked.
		const again = linkGlossaryTerms('<p>违章作业</p><p>违章作业就是违章</p>', TERMS)
		expect(linksIn(again)).toEqual([
			['/glossary#违章作业', '违章作业'],
			['/glossary#违章', '违章'],
		])
		expect(again.endsWith('<p>违章作业就是<a href="/glossary#%E8%BF%9D%E7%AB%A0" class="term">违章</a></p>')).toBe(true)
	})

	test('a quoted alias takes its quotes into the link', () => {
		expect(linksIn(linkGlossaryTerms('<p>杜绝“三违”</p>', TERMS))).toEqual([['/glossary#三违', '“三违”']])
	})

	test('leaves escaped text and attributes exactly as they were', () => {
		const html = '<p title="三违">A &amp; B &lt;三违&gt; &quot;x&quot; &#39;y&#39;</p><img src="/a.png" alt="违章作业" />'
		const out = linkGlossaryTerms(html, TERMS)
		expect(out).toBe(`<p title="三违">A &amp; B &lt;${link('三违', '三违')}&gt; &quot;x&quot; &#39;y&#39;</p><img src="/a.png" alt="违章作业" />`)
		expect(linkGlossaryTerms(html, [])).toBe(html)
		expect(linkGlossaryTerms('<p>没有术语</p>', TERMS)).toBe('<p>没有术语</p>')
	})

	test('never matches into a character reference, and escapes names with markup characters', () => {
		const terms = [{ term: 'amp' }, { term: 'R&D 安全' }]
		expect(linkGlossaryTerms('<p>a &amp; b</p>', terms)).toBe('<p>a &amp; b</p>')
		const out = linkGlossaryTerms('<p>R&amp;D 安全</p>', terms)
		expect(out).toBe(`<p><a href="${glossaryHref('R&D 安全').replace(/&/g, '&amp;')}" class="term">R&amp;D 安全</a></p>`)
		expect(glossaryAnchor('R&D 安全')).toBe('R&D-安全')
	})

	test('works on real rendered markdown', () => {
		const html = renderMarkdown('## 三违\n\n工人**违章作业**，属于“三违”。见[双随机一公开](https://example.org)。双随机一公开')
		const out = linkGlossaryTerms(html, TERMS)
		expect(out).toContain('<h2>三违</h2>')
		expect(linksIn(out)).toEqual([
			['/glossary#违章作业', '违章作业'],
			['/glossary#三违', '“三违”'],
			['/glossary#双随机、一公开', '双随机一公开'],
		])
		expect(out).toContain('<a href="https://example.org" rel="noopener noreferrer">双随机一公开</a>')
	})
})
