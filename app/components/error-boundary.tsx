import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'

const MESSAGES: Record<number, string> = {
	400: '请求有误，请检查后重试。',
	403: '您没有权限访问此页面。',
	404: '没有找到您要的页面或记录，它可能不存在，或不在您的管理范围内。',
	405: '不支持这种操作。',
	413: '上传的内容太大。',
	429: '操作太频繁，请稍后再试。',
}

/** Plain-language errors; never a stack trace or SQL on screen. */
export function GeneralErrorBoundary() {
	const error = useRouteError()
	const status = isRouteErrorResponse(error) ? error.status : 500
	const message = MESSAGES[status] ?? '系统出了点问题，请稍后再试。如果一直出现，请联系管理员。'
	return (
		<section className="error-page" aria-labelledby="error-title">
			<h1 id="error-title">{status === 404 ? '找不到页面' : status === 403 ? '无权访问' : '出错了'}</h1>
			<p>{message}</p>
			<p>
				<Link to="/">返回首页</Link>
			</p>
		</section>
	)
}
