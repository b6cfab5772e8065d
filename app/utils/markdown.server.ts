import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

// Markdown from editors (lessons, cases, outreach pages) to safe HTML. Everything goes through
// the sanitiser: no scripts, event handlers, iframes or javascript: URLs survive.

const marked = new Marked({ gfm: true, breaks: false })

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: [
		'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code',
		'ul', 'ol', 'li', 'strong', 'em', 'del', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub', 'mark',
	],
	allowedAttributes: {
		a: ['href', 'title'],
		img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
		th: ['align'],
		td: ['align'],
		ol: ['start'],
	},
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesByTag: { img: ['http', 'https', 'data'] },
	allowProtocolRelative: false,
	transformTags: {
		img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
		a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, ...(attribs.href?.startsWith('http') ? { rel: 'noopener noreferrer' } : {}) } }),
	},
}
SANITIZE.allowedAttributes = { ...SANITIZE.allowedAttributes, a: ['href', 'title', 'rel'] }

export function renderMarkdown(markdown: string): string {
	return sanitizeHtml(marked.parse(markdown, { async: false }), SANITIZE)
}
