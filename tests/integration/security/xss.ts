import type { ChildNode, Element } from 'domhandler'
import { parseDocument } from 'htmlparser2'

// Cross-site scripting payloads, each tagged XSSnn so a test can see it was rendered at all, and
// checks that HTML holds nothing a browser would run.

export const XSS_CORPUS = [
	`<script>alert('XSS01')</script>`,
	`<img src=x onerror=alert('XSS02')>`,
	`[点此领取奖品](javascript:alert('XSS03'))`,
	`<a href="javascript:alert('XSS04')">安全须知</a>`,
	`<svg onload=alert('XSS05')><circle r="10"/></svg>`,
	`<iframe src="https://evil.example/XSS06"></iframe>`,
	`<p style="width: expression(alert('XSS07')); background: url(javascript:alert('XSS07'))">样式</p>`,
	`[数据链接](data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTMDgnKTwvc2NyaXB0Pg==)`,
	`<a href="data:text/html,<script>alert('XSS09')</script>">数据</a>`,
	`<p onclick="alert('XSS10')" onmouseover='alert("XSS10")'>点我</p>`,
	`<img src="x" onerror="alert('XSS11')"`,
	`<scr<script>ipt>alert('XSS12')</scr</script>ipt>`,
	`<a href="jav&#x09;ascript:alert('XSS13')">制表符</a>`,
	`<a href=" javascript:alert('XSS14')">前导空格</a>`,
	`<IMG SRC=JaVaScRiPt:alert('XSS15')>`,
	`<body onload=alert('XSS16')>`,
	`<object data="javascript:alert('XSS17')"></object><embed src="javascript:alert('XSS17')">`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS18')></style></mglyph></table></mtext></math>`,
	`<style>@import 'https://evil.example/XSS19.css'; body { background: url(javascript:alert('XSS19')) }</style>`,
	`<form action="javascript:alert('XSS20')"><button formaction="javascript:alert('XSS20')">提交</button></form>`,
	`<input autofocus onfocus=alert('XSS21')>`,
	`<details open ontoggle=alert('XSS22')><summary>展开</summary></details>`,
	`![图片](javascript:alert('XSS23'))`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('XSS24')">实体编码</a>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert('XSS25')">`,
	`<base href="javascript:alert('XSS26')//">`,
	`<!--<img src="--><img src=x onerror=alert('XSS27')//">`,
	`<noscript><p title="</noscript><img src=x onerror=alert('XSS28')>"></noscript>`,
	`[VB](vbscript:msgbox('XSS29'))`,
	`<a href="javascript&colon;alert('XSS30')">冒号实体</a>`,
	`<javascript:alert('XSS31')>`,
	`<svg><a xlink:href="javascript:alert('XSS32')"><text x="0" y="10">点</text></a></svg>`,
	`<video><source onerror="alert('XSS33')"></video><audio src=x onerror=alert('XSS33')>`,
	`"><script>alert('XSS34')</script><"`,
	`</script><script>alert('XSS35')</script><!--<script>`,
	`\u2028\u2029</textarea></title><img src=x onerror=alert('XSS36')>`,
	`<a href="https://example.com" target="_blank" onclick="alert('XSS37')">外部链接</a>`,
	`<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTMzgnKTwvc2NyaXB0Pg==" alt="XSS38">`,
	`<table background="javascript:alert('XSS39')"><tr><td>表</td></tr></table>`,
	`<link rel="stylesheet" href="https://evil.example/XSS40.css"><template><script>alert('XSS40')</script></template>`,
] as const

export const MARKERS = XSS_CORPUS.map((_, i) => `XSS${String(i + 1).padStart(2, '0')}`)

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster', 'srcset', 'content'])
/** Elements that run or load something, or change where the page's links go. */
const ACTIVE = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base'])
/** And, in a rendered fragment (a lesson body), nothing but text markup: no SVG, styles, forms or page-level tags. */
const NOT_IN_FRAGMENTS = new Set(['svg', 'math', 'template', 'noscript', 'style', 'link', 'meta', 'form', 'input', 'button', 'textarea', 'select', 'details', 'video', 'audio', 'source', 'body', 'html', 'head', 'title'])

/** A URL a browser would run or render as a document; data: images are inert in <img src>. */
function isDangerousUrl(element: string, attribute: string, value: string) {
	const url = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase()
	if (/^(javascript|vbscript|livescript):/.test(url)) return true
	if (url.startsWith('data:')) return !(element === 'img' && attribute === 'src' && /^data:image\/(png|gif|jpe?g|webp|svg\+xml)[;,]/.test(url))
	return false
}

function* elements(nodes: ChildNode[]): Generator<Element> {
	for (const node of nodes) {
		if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
			yield node as Element
			yield* elements((node as Element).children)
		}
	}
}

/**
 * What in `html` a browser could run. A page may carry its own scripts (with the response's CSP
 * nonce) and forms; a fragment (markdown rendered for a lesson, case or article) may not.
 */
export function activeContent(html: string, { page = false, nonce }: { page?: boolean; nonce?: string } = {}) {
	const problems: string[] = []
	const document = parseDocument(html)
	for (const el of elements(document.children)) {
		const name = el.name.toLowerCase()
		if (name === 'script' && page) {
			if (!nonce || el.attribs.nonce !== nonce) problems.push(`<script> without the page's nonce: ${html.slice(el.startIndex ?? 0, (el.startIndex ?? 0) + 120)}`)
		} else if (ACTIVE.has(name) || (!page && NOT_IN_FRAGMENTS.has(name))) {
			problems.push(`<${name}> element`)
		}
		if (name === 'meta' && /refresh/i.test(el.attribs['http-equiv'] ?? '')) problems.push('<meta http-equiv=refresh>')
		for (const [attribute, value] of Object.entries(el.attribs)) {
			const a = attribute.toLowerCase()
			if (a.startsWith('on')) problems.push(`<${name} ${a}=…>`)
			if (URL_ATTRIBUTES.has(a) && isDangerousUrl(name, a, value)) problems.push(`<${name} ${a}="${value.slice(0, 60)}">`)
			if (a === 'style' && (!page || /expression\s*\(|javascript:|url\s*\(/i.test(value))) problems.push(`<${name} style="${value.slice(0, 60)}">`)
		}
	}
	if (!page) {
		// Whatever a more forgiving parser might make of it: no raw tag of these in the text at all.
		const raw = html.match(/<\/?(script|iframe|svg|math|object|embed|style|base|meta|link|form|template|noscript)\b/gi)
		if (raw) problems.push(`raw ${raw.join(' ')}`)
		for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
			if (/\son[a-z]+\s*=/i.test(tag) || /javascript:/i.test(tag)) problems.push(`raw tag ${tag.slice(0, 80)}`)
		}
	}
	return problems
}
