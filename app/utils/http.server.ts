import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express'
import { isAllowedOrigin } from '#app/auth/origin.ts'
import { withDatabaseFaults } from './db-errors.server.ts'
import { logger } from './logger.server.ts'

// The HTTP stack in front of Remix, shared by every way of serving the app: the server
// (scripts/server.ts, dev and production) and the security tests.

type HttpAppOptions = {
	build: ServerBuild | (() => Promise<ServerBuild>)
	isProduction: boolean
	trustProxy: boolean
	// In development, Vite's middleware serves the scripts and styles; otherwise build/client.
	assets?: RequestHandler
}

export function createHttpApp({ build, isProduction, trustProxy, assets }: HttpAppOptions) {
	const app = express()
	app.disable('x-powered-by')
	if (trustProxy) app.set('trust proxy', true)
	app.use(requestLog)
	app.use(securityHeaders(isProduction))
	app.use(compression())
	if (assets) {
		app.use(assets)
	} else {
		app.use('/assets', express.static(path.resolve('build/client/assets'), { immutable: true, maxAge: '1y' }))
		app.use(express.static(path.resolve('build/client'), { maxAge: '1h' }))
	}
	app.use(refuseNulInUrl)
	app.use(limitBodySize)
	app.use(originCheck)
	app.all(
		'*',
		createRequestHandler({
			// Every loader and action answers a slow, unreachable or full database with a plain 503.
			build: typeof build === 'function' ? () => build().then(withDatabaseFaults) : withDatabaseFaults(build),
			mode: isProduction ? 'production' : 'development',
			getLoadContext: (req, res) => ({ cspNonce: String(res.locals.cspNonce), clientIp: req.ip ?? 'unknown' }),
		}),
	)
	return app
}

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

/**
 * The largest request body the app reads. Uploads have their own, smaller limits (5 MB) with a
 * message next to the field, so this only stops what no form sends; a body streamed without a
 * Content-Length is left to the reverse proxy (client_max_body_size in the nginx example).
 */
export const MAX_BODY_BYTES = 20 * 1024 * 1024

export function limitBodySize(req: Request, res: Response, next: NextFunction) {
	if (Number(req.get('content-length') ?? 0) <= MAX_BODY_BYTES) return next()
	// Closed after the answer: the rest of the body is not worth reading.
	res.set('Connection', 'close').status(413).type('text/plain; charset=utf-8').send('上传的内容太大（超过 20 MB），请缩小后重试。')
}

/** PostgreSQL cannot hold a NUL character: a URL carrying one (%00) is refused before any loader reads it. */
export function refuseNulInUrl(req: Request, res: Response, next: NextFunction) {
	if (!/%00|\u0000/i.test(req.originalUrl)) return next()
	res.status(400).type('text/plain; charset=utf-8').send('请求地址中有无效的字符。')
}
