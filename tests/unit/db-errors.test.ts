import type { ServerBuild } from '@remix-run/node'
import { DrizzleQueryError } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { databaseFaultOf, databaseFaultResponse, DatabaseFaultError, withDatabaseFaults } from '#app/utils/db-errors.server.ts'
import { breaksInstance } from '#app/utils/pglite-guard.server.ts'

// The one classifier of database faults (app/utils/db-errors.server.ts) and what it makes of them.
// The errors are shaped as the drivers throw them: postgres.js puts the SQLSTATE in `code` and its
// own connection errors' names there too; drizzle wraps every query error in DrizzleQueryError
// (`cause`); Node's connect to a name with two addresses throws an AggregateError.

const pgError = (code: string, message: string) => Object.assign(new Error(message), { name: 'PostgresError', code, severity: 'ERROR' })
const wrapped = (cause: unknown) => new DrizzleQueryError('insert into "attempt_answers" … values ($1, $2)', ['13900000010', 'A'], cause as Error)

describe('databaseFaultOf', () => {
	test.each([
		['statement timeout (57014)', pgError('57014', 'canceling statement due to statement timeout'), 'timeout'],
		['lock timeout (55P03)', pgError('55P03', 'canceling statement due to lock timeout'), 'timeout'],
		['server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command'), 'unavailable'],
		['server starting up (57P03)', pgError('57P03', 'the database system is starting up'), 'unavailable'],
		['connection failure (08006)', pgError('08006', 'connection failure'), 'unavailable'],
		['too many connections (53300)', pgError('53300', 'sorry, too many clients already'), 'unavailable'],
		['postgres.js connection closed', Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' }), 'unavailable'],
		['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'unavailable'],
		['disk full (53100)', pgError('53100', 'could not extend file "base/5/16384": No space left on device'), 'disk_full'],
		['ENOSPC', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'disk_full'],
		['the PGlite guard', new DatabaseFaultError('disk_full', '剩余空间不足'), 'disk_full'],
	] as const)('%s', (_name, error, fault) => {
		expect(databaseFaultOf(error)).toBe(fault)
		// drizzle's wrapper, as every query through the app's client throws it
		expect(databaseFaultOf(wrapped(error))).toBe(fault)
	})

	test('looks into an AggregateError (one refused connection per address)', () => {
		const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' })
		expect(databaseFaultOf(wrapped(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')])))).toBe('unavailable')
	})

	test('the guard’s error is recognised by its code too (the server build bundles its own copy of the class)', () => {
		const { fault, code, message } = new DatabaseFaultError('timeout', 'x')
		expect(fault).toBe('timeout')
		expect(databaseFaultOf(Object.assign(new Error(message), { code }))).toBe('timeout')
	})

	test.each([
		['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
		['a check violation', pgError('23514', 'new row violates check constraint')],
		['a syntax error', pgError('42601', 'syntax error at or near "selec"')],
		['a plain error', new Error('something else')],
		['a string', 'oops'],
		['nothing', undefined],
	])('%s is not a database fault', (_name, error) => {
		expect(databaseFaultOf(error)).toBeNull()
		if (error instanceof Error) expect(databaseFaultOf(wrapped(error))).toBeNull()
	})
})

describe('databaseFaultResponse', () => {
	const post = new Request('http://x/attempts/1/answers', { method: 'POST', headers: { Accept: 'application/json' } })

	test('a 503 in JSON with the plain message and the kind, nothing of the query', async () => {
		const res = databaseFaultResponse(wrapped(pgError('57014', 'canceling statement due to statement timeout')), post)!
		expect(res.status).toBe(503)
		expect(res.headers.get('content-type')).toContain('application/json')
		expect(res.headers.get('cache-control')).toBe('no-store')
		const text = await res.text()
		expect(JSON.parse(text)).toEqual({ ok: false, error: '系统繁忙，请稍后再试。', fault: 'timeout' })
		expect(text).not.toMatch(/attempt_answers|13900000010|canceling/)
	})

	test('each fault has its own message', async () => {
		const messageOf = async (error: unknown) => ((await databaseFaultResponse(error, post)!.json()) as { error: string }).error
		expect(await messageOf(pgError('57P01', 'terminating connection'))).toBe('数据库暂时无法连接，请稍后再试。')
		expect(await messageOf(pgError('53100', 'No space left on device'))).toContain('存储空间不足')
	})

	test('plain text for a browser opening a resource route', async () => {
		const res = databaseFaultResponse(pgError('57P03', 'starting up'), new Request('http://x/people/export.xlsx'), { plainText: true })!
		expect(res.status).toBe(503)
		expect(res.headers.get('content-type')).toContain('text/plain')
		expect(await res.text()).toBe('数据库暂时无法连接，请稍后再试。')
	})

	test('null for any other error', () => {
		expect(databaseFaultResponse(new Error('x'), post)).toBeNull()
	})
})

describe('withDatabaseFaults', () => {
	const timeout = () => wrapped(pgError('57014', 'canceling statement due to statement timeout'))
	const other = new Error('a bug')
	const build = {
		routes: {
			'routes/page': { id: 'routes/page', path: 'page', module: { default: () => null, loader: async () => Promise.reject(timeout()), action: async () => Promise.reject(other) } },
			'routes/export': { id: 'routes/export', path: 'export', module: { loader: async () => Promise.reject(timeout()) } },
			'routes/fine': { id: 'routes/fine', path: 'fine', module: { default: () => null, loader: async () => ({ fine: true }) } },
		},
	} as unknown as ServerBuild
	const wrappedBuild = withDatabaseFaults(build)
	type Fn = (args: { request: Request; params: object; context: object }) => Promise<unknown>
	const call = (id: string, fn: 'loader' | 'action', request = new Request('http://x/')) =>
		((wrappedBuild.routes[id]!.module as unknown as Record<string, Fn>)[fn]!)({ request, params: {}, context: {} })

	test('a page loader’s database fault becomes a thrown 503 (the error boundary renders it)', async () => {
		const thrown = await call('routes/page', 'loader').catch((e: unknown) => e)
		expect(thrown).toBeInstanceOf(Response)
		expect((thrown as Response).status).toBe(503)
		expect(await (thrown as Response).json()).toMatchObject({ fault: 'timeout', error: '系统繁忙，请稍后再试。' })
	})

	test('any other error passes through untouched', async () => {
		expect(await call('routes/page', 'action').catch((e: unknown) => e)).toBe(other)
	})

	test('a resource route opened by a browser gets plain text; results pass through', async () => {
		const thrown = (await call('routes/export', 'loader').catch((e: unknown) => e)) as Response
		expect(thrown.headers.get('content-type')).toContain('text/plain')
		expect(await call('routes/fine', 'loader')).toEqual({ fine: true })
	})

	test('the rest of the build is kept, and wrapping twice gives the same build', () => {
		expect((wrappedBuild.routes['routes/page']!.module as { default: unknown }).default).toBe((build.routes['routes/page']!.module as { default: unknown }).default)
		expect(withDatabaseFaults(build)).toBe(wrappedBuild)
	})
})

describe('breaksInstance (PGlite written off)', () => {
	test('a failed WAL or commit-log write on a full disk', () => {
		expect(breaksInstance(pgError('53100', 'could not write to file "pg_wal/xlogtemp.42": No space left on device'))).toBe('disk_full')
		expect(breaksInstance(pgError('53100', 'could not extend file "pg_xact/0000": No space left on device'))).toBe('disk_full')
	})

	test('a WASM abort', () => {
		expect(breaksInstance(Object.assign(new Error('unreachable'), { name: 'RuntimeError' }))).toBe('unavailable')
	})

	test('a table that cannot grow leaves the instance usable; so does any ordinary error', () => {
		expect(breaksInstance(pgError('53100', 'could not extend file "base/5/16384": No space left on device'))).toBeNull()
		expect(breaksInstance(pgError('23505', 'duplicate key'))).toBeNull()
		expect(breaksInstance(new Error('x'))).toBeNull()
	})
})
