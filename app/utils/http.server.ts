import { randomBytes } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { isAllowedOrigin } from '#app/auth/origin.ts'
import { logger } from './logger.server.ts'

// Express middleware shared by every way of serving the app (dev and production).

/** One JSON log line per request: method, path (never the query string), status, duration. */
export function requestLog(req: Request, res: Response, next: NextFunction) {
	const started = process.hrtime.bigint()
	res.on('finish', () => {
		const ms = Number(process.hrtime.bigint() - started) / 1e6
		logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request')
	})
	next()
}

export function securityHeaders(isProduction: boolean) {
	return (_req: Request, res: Response, next: NextFunction) => {
		const nonce = randomBytes(16).toString('base64')
		res.locals.cspNonce = nonce
		res.setHeader('X-Content-Type-Options', 'nosniff')
		res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
		res.setHeader('X-Frame-Options', 'DENY')
		res.setHeader('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()')
		if (isProduction) {
			// Vite's dev server injects inline scripts and a websocket, so the strict policy is production only.
			res.setHeader(
				'Content-Security-Policy',
				[
					"default-src 'self'",
					`script-src 'self' 'nonce-${nonce}'`,
					"style-src 'self' 'unsafe-inline'",
					"img-src 'self' data: blob:",
					"connect-src 'self'",
					"font-src 'self'",
					"object-src 'none'",
					"base-uri 'self'",
					"form-action 'self'",
					"frame-ancestors 'none'",
				].join('; '),
			)
			res.setHeader('Strict-Transport-Security', 'max-age=31536000')
		}
		next()
	}
}

/** Refuses state-changing requests whose Origin is not this site (CSRF). */
export function originCheck(req: Request, res: Response, next: NextFunction) {
	const host = req.get('x-forwarded-host') && req.app.get('trust proxy') ? req.get('x-forwarded-host') : req.get('host')
	if (isAllowedOrigin(req.method, req.get('origin'), host)) return next()
	res.status(403).type('text/plain; charset=utf-8').send('请求来源不被允许：请从本站页面提交表单。')
}

/** PostgreSQL cannot hold a NUL character: a URL carrying one (%00) is refused before any loader reads it. */
export function refuseNulInUrl(req: Request, res: Response, next: NextFunction) {
	if (!/%00|\u0000/i.test(req.originalUrl)) return next()
	res.status(400).type('text/plain; charset=utf-8').send('请求地址中有无效的字符。')
}
