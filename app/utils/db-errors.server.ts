import type { ServerBuild } from '@remix-run/node'
import { logger } from './logger.server.ts'

// Database faults — the one place that tells "the database is slow, gone or full" apart from
// every other error, and turns it into a plain 503 instead of a stack trace or a hang. Used by the
// route wrapper below (pages, single-fetch data and resource routes alike), the answer-save
// endpoint, entry.server's handleError and /healthz.

export type DatabaseFault = 'timeout' | 'unavailable' | 'disk_full'

export const DATABASE_FAULT_MESSAGES: Record<DatabaseFault, string> = {
	timeout: '系统繁忙，请稍后再试。',
	unavailable: '数据库暂时无法连接，请稍后再试。',
	disk_full: '系统存储空间不足，暂时无法保存，请稍后再试并联系管理员。',
}

/** Thrown by the app itself (the PGlite guard) for a fault it detects before asking the database. */
export class DatabaseFaultError extends Error {
	constructor(
		readonly fault: DatabaseFault,
		message: string,
		readonly code = fault === 'disk_full' ? '53100' : fault === 'timeout' ? '57014' : '57P01',
	) {
		super(message)
		this.name = 'DatabaseFaultError'
	}
}

// Node's socket errors and postgres.js's own connection errors (they carry no SQLSTATE).
const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
])

function faultOfOne(error: unknown): DatabaseFault | null {
	if (error instanceof DatabaseFaultError) return error.fault
	if (!error || typeof error !== 'object') return null
	const code = String((error as { code?: unknown }).code ?? '')
	// SQLSTATE: 57014 query_canceled (statement_timeout), 55P03 lock_not_available (lock_timeout).
	if (code === '57014' || code === '55P03') return 'timeout'
	// 53100 disk_full; ENOSPC from a file write.
	if (code === '53100' || code === 'ENOSPC') return 'disk_full'
	// 57P01–57P03 admin/crash shutdown, cannot connect now; class 08 connection exceptions;
	// 53300 too many connections.
	if (/^57P0[1-3]$/.test(code) || /^08[0-9A-Z]{3}$/.test(code) || code === '53300') return 'unavailable'
	if (CONNECTION_CODES.has(code)) return 'unavailable'
	return null
}

/**
 * The database fault behind an error, or null for any other error. Looks through drizzle's
 * DrizzleQueryError (`cause`) and Node's AggregateError (`errors`, one per address tried).
 */
export function databaseFaultOf(error: unknown): DatabaseFault | null {
	const seen = new Set<unknown>()
	const queue: unknown[] = [error]
	while (queue.length) {
		const next = queue.shift()
		if (!next || typeof next !== 'object' || seen.has(next)) continue
		seen.add(next)
		const fault = faultOfOne(next)
		if (fault) return fault
		queue.push((next as { cause?: unknown }).cause)
		const inner = (next as { errors?: unknown }).errors
		if (Array.isArray(inner)) queue.push(...inner)
	}
	return null
}

/** The SQLSTATE or error code behind a fault, for the log (never the SQL or its parameters). */
function faultCode(error: unknown): string | undefined {
	for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const code = (e as { code?: unknown }).code
		if (typeof code === 'string' && code) return code
		const inner = (e as { errors?: unknown[] }).errors
		if (Array.isArray(inner) && inner[0] && typeof (inner[0] as { code?: unknown }).code === 'string') return (inner[0] as { code: string }).code
	}
	return undefined
}

/** One log line per fault: its kind and code, where it happened — no stack, SQL or parameters. */
export function logDatabaseFault(fault: DatabaseFault, error: unknown, where: Record<string, unknown> = {}) {
	logger.warn({ event: 'db.fault', fault, code: faultCode(error), ...where }, DATABASE_FAULT_MESSAGES[fault])
}

/**
 * A 503 for a database fault, null for any other error. JSON `{ ok: false, error, fault }` (what
 * the exam page's answer sync and other scripts read; Remix hands it to the error boundary as
 * `data`), or plain text for a browser opening a resource route (an export, a PDF).
 */
export function databaseFaultResponse(error: unknown, request: Request, { plainText = false } = {}): Response | null {
	const fault = databaseFaultOf(error)
	if (!fault) return null
	const message = DATABASE_FAULT_MESSAGES[fault]
	const headers = { 'Cache-Control': 'no-store', 'Retry-After': '5' }
	const wantsJson = (request.headers.get('accept') ?? '').includes('application/json')
	if (plainText && !wantsJson) return new Response(message, { status: 503, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } })
	return new Response(JSON.stringify({ ok: false, error: message, fault }), { status: 503, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } })
}

type Handler = (args: { request: Request } & Record<string, unknown>) => unknown

function guarded(handler: Handler, routeId: string, resource: boolean): Handler {
	return async (args) => {
		try {
			return await handler(args)
		} catch (error) {
			const response = databaseFaultResponse(error, args.request, { plainText: resource && args.request.method === 'GET' })
			if (!response) throw error
			logDatabaseFault(databaseFaultOf(error)!, error, { route: routeId, method: args.request.method })
			// Thrown, so Remix renders the error boundary (status 503) for a page and returns it as-is
			// from a resource route.
			throw response
		}
	}
}

const wrappedBuilds = new WeakMap<ServerBuild, ServerBuild>()

/**
 * The server build with every loader and action answering a database fault with a 503 (see
 * databaseFaultResponse) instead of a 500. createHttpApp (app/utils/http.server.ts) serves this.
 */
export function withDatabaseFaults(build: ServerBuild): ServerBuild {
	const cached = wrappedBuilds.get(build)
	if (cached) return cached
	const routes = Object.fromEntries(
		Object.entries(build.routes).map(([id, route]) => {
			const module = route.module as unknown as Record<string, unknown>
			const resource = !module.default && !module.ErrorBoundary
			const wrapped = { ...module }
			if (typeof module.loader === 'function') wrapped.loader = guarded(module.loader as Handler, id, resource)
			if (typeof module.action === 'function') wrapped.action = guarded(module.action as Handler, id, resource)
			return [id, { ...route, module: wrapped as unknown as typeof route.module }]
		}),
	)
	const result = { ...build, routes }
	wrappedBuilds.set(build, result)
	return result
}
