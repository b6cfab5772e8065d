// Links glossary terms in rendered (already sanitised) HTML to their entry on /glossary. Pure, so it
// is unit-tested without a server. It works on the sanitiser's output, where text is escaped and
// tags are well formed, so a tag-by-tag scan is enough; text it does not link is left byte for byte.

export type LinkableTerm = { term: string; aliases?: string[] }

/** The `id` of a term's entry on /glossary: the term itself, with any whitespace as a hyphen. */
export const glossaryAnchor = (term: string) => term.trim().replace(/\s+/g, '-')

export const glossaryHref = (term: string) => `/glossary#${encodeURIComponent(glossaryAnchor(term))}`

/** Inside these a link would be wrong (a link in a link) or noisy (headings, code). */
const SKIP_TAGS = new Set(['a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'script', 'style', 'title', 'button', 'label'])

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;')
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Wraps the first occurrence of each glossary entry (its term or any alias) in text nodes with
 * `<a href="/glossary#…" class="term">`. Never inside links, headings or code. Where names overlap
 * (三违 inside 三违行为), the longest one at the leftmost position wins, and a span taken by one
 * entry is not searched again for a shorter name of another.
 */
export function linkGlossaryTerms(html: string, terms: readonly LinkableTerm[]): string {
	const entryOf = new Map<string, string>()
	for (const { term, aliases } of terms) {
		for (const name of [term, ...(aliases ?? [])]) {
			// Names are matched as they appear in escaped text (& as &amp;).
			const escaped = escapeText(name.trim())
			if (escaped.length > 0 && !entryOf.has(escaped)) entryOf.set(escaped, term)
		}
	}
	if (entryOf.size === 0) return html
	const names = [...entryOf.keys()].sort((a, b) => b.length - a.length)
	const pattern = new RegExp(names.map(escapeRegExp).join('|'), 'g')
	const linked = new Set<string>()

	const linkText = (text: string) => {
		// Character references (&amp; &#39;) are atoms: a match may hold a whole one, never cut into one.
		const entities = [...text.matchAll(/&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/gi)].map((m) => [m.index, m.index + m[0].length] as const)
		let out = ''
		let last = 0
		for (const match of text.matchAll(pattern)) {
			const start = match.index
			const end = start + match[0].length
			const term = entryOf.get(match[0])!
			if (linked.has(term)) continue
			if (entities.some(([s, e]) => (s < start && start < e) || (s < end && end < e))) continue
			linked.add(term)
			out += `${text.slice(last, start)}<a href="${escapeAttribute(glossaryHref(term))}" class="term">${match[0]}</a>`
			last = end
		}
		return last === 0 ? text : out + text.slice(last)
	}

	let skipDepth = 0
	let result = ''
	let position = 0
	for (const tag of html.matchAll(/<!--[\s\S]*?-->|<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
		const text = html.slice(position, tag.index)
		result += skipDepth > 0 || linked.size === terms.length ? text : linkText(text)
		result += tag[0]
		position = tag.index + tag[0].length
		const name = tag[1]?.toLowerCase()
		if (name && SKIP_TAGS.has(name) && !tag[0].endsWith('/>')) skipDepth = Math.max(0, skipDepth + (tag[0].startsWith('</') ? -1 : 1))
	}
	const tail = html.slice(position)
	return result + (skipDepth > 0 ? tail : linkText(tail))
}

const unescapeAttribute = (text: string) =>
	text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

/**
 * The anchors of links to /glossary#… in rendered HTML that no glossary entry has: the links
 * linkGlossaryTerms made and any an author wrote by hand. The content check reports them.
 */
export function brokenGlossaryLinks(html: string, anchors: ReadonlySet<string>): string[] {
	const broken: string[] = []
	for (const link of html.matchAll(/<a\b[^>]*?\bhref="([^"]*)"/gi)) {
		const target = /^\/glossary\/?(?:\?[^#]*)?#(.*)$/.exec(unescapeAttribute(link[1]!))
		if (!target) continue
		let anchor = target[1]!
		try {
			anchor = decodeURIComponent(anchor)
		} catch {
			// A malformed escape stays as written, and so cannot match an entry.
		}
		if (!anchors.has(anchor)) broken.push(anchor)
	}
	return broken
}
