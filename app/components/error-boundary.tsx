import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'

const MESSAGES: Record<number, string> = {
	400: '请求有误，请检查后重试。',
	403: '您没有权限访问此页面。',
	404: '没有找到您要的页面或记录，它可能不存在，或不在您的管理范围内。',
	405: '不支持这种操作。',
	413: '上传的内容太大。',
	429: '操作太频繁，请稍后再试。',
	503: '系统繁忙，请稍后再试。',
}

/** Plain-language errors; never a stack trace or SQL on screen. */
export function GeneralErrorBoundary() {
	const error = useRouteError()
	const status = isRouteErrorResponse(error) ? error.status : 500
	// A 503 carries its own reason (数据库暂时无法连接, 存储空间不足…: app/utils/db-errors.server.ts).
	const ownMessage = status === 503 && isRouteErrorResponse(error) ? (error.data as { error?: unknown } | null)?.error : undefined
	const message = (typeof ownMessage === 'string' ? ownMessage : MESSAGES[status]) ?? '系统出了点问题，请稍后再试。如果一直出现，请联系管理员。'
	return (
		<section className="error-page" aria-labelledby="error-title">
			<h1 id="error-title">{status === 404 ? '找不到页面' : status === 403 ? '无权访问' : status === 503 ? '暂时无法服务' : '出错了'}</h1>
			<p>{message}</p>
			<p>
				<Link to="/">返回首页</Link>
			</p>
		</section>
	)
}
