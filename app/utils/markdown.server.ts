import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

// Markdown from editors (lessons, cases, outreach pages) to safe HTML. Everything goes through
// the sanitiser: no scripts, event handlers, iframes or javascript: URLs survive.

const marked = new Marked({ gfm: true, breaks: false })

/** A data: URL that is not an image (data:text/html …): inert in <img>, but nothing an image should be. */
const isNonImageData = (src: string) => /^data:(?!image\/)/i.test(src.replace(/[\u0000-\u0020]/g, ''))

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
		img: (tagName, attribs) => {
			const { src, ...rest } = attribs
			return { tagName, attribs: { ...(src && isNonImageData(src) ? rest : attribs), loading: 'lazy' } }
		},
		a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, ...(attribs.href?.startsWith('http') ? { rel: 'noopener noreferrer' } : {}) } }),
	},
}
SANITIZE.allowedAttributes = { ...SANITIZE.allowedAttributes, a: ['href', 'title', 'rel'] }

export function renderMarkdown(markdown: string): string {
	return sanitizeHtml(marked.parse(markdown, { async: false }), SANITIZE)
}
