import { useFetcher } from '@remix-run/react'
import { useEffect, useState } from 'react'

/**
 * The markdown body of an editor form and its rendered preview: with JavaScript the preview follows
 * the typing (rendered on the server by /editor/preview, as the public will see it); without it the
 * form's 预览 button posts and the page shows `serverHtml`.
 */
export function useMarkdownPreview(initialBody: string, serverHtml: string | null) {
	const [body, setBody] = useState(initialBody)
	const preview = useFetcher<{ html: string }>()
	useEffect(() => {
		const timer = setTimeout(() => preview.submit({ body }, { method: 'post', action: '/editor/preview' }), 400)
		return () => clearTimeout(timer)
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [body])
	return { body, setBody, html: preview.data?.html ?? serverHtml }
}

export function MarkdownPreview({ html }: { html: string | null }) {
	return (
		<section className="card lesson-preview" aria-label="预览">
			<h2>预览</h2>
			{html ? <div className="lesson-body" dangerouslySetInnerHTML={{ __html: html }} /> : <p className="muted">输入正文后在此预览。</p>}
		</section>
	)
}
