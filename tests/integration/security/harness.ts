import type { AddressInfo } from 'node:net'
import type { ServerBuild } from '@remix-run/node'
import { sql } from 'drizzle-orm'
import { createServer } from 'vite'
import { createHttpApp } from '#app/utils/http.server.ts'
import { queryRows } from '#app/utils/db.server.ts'

// The app as the server runs it, for the security suite.
//
// The route list comes from the server build that `npm run dev` serves (scripts/server.ts loads
// `virtual:remix/server-build` through Vite the same way): the Remix Vite plugin evaluates
// app/routes.ts (flatRoutes from @remix-run/fs-routes) and builds its manifest, so the suite sees
// exactly the routes Remix serves — a file Remix ignores is not there, a new one is — and the
// route modules it calls are the ones in that build. Rebuilding the manifest by hand (reading
// app/routes, or calling flatRoutes with our own app directory) could drift from what Remix does.

export type Fn = (args: { request: Request; params: Record<string, string>; context: unknown }) => unknown

export type AppRoute = {
	id: string
	/** The URL pattern, parents included: /people/:personId/edit. */
	path: string
	params: string[]
	loader?: Fn
	action?: Fn
}

export async function loadServerBuild() {
	const env = { ...process.env }
	const vite = await createServer({
		configFile: 'vite.config.ts',
		appType: 'custom',
		logLevel: 'warn',
		server: { middlewareMode: true, hmr: false, ws: false, watch: null },
	})
	const build = (await vite.ssrLoadModule('virtual:remix/server-build')) as ServerBuild
	// The Remix plugin copies .env files into process.env: keep the test's settings.
	for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key]
	Object.assign(process.env, env)
	return { build, close: () => vite.close() }
}

export function routesOf(build: ServerBuild): AppRoute[] {
	const fullPath = (id: string): string => {
		const route = build.routes[id]!
		const own = route.path ?? ''
		const parent = route.parentId ? fullPath(route.parentId) : ''
		return own ? `${parent.replace(/\/$/, '')}/${own}` : parent || '/'
	}
	return Object.values(build.routes).map((route) => {
		const path = fullPath(route.id)
		const module = route.module as { loader?: Fn; action?: Fn }
		return { id: route.id, path, params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!), loader: module.loader, action: module.action }
	})
}

/** The pattern with its :params filled in (URL-encoded). */
export function fill(pattern: string, params: Record<string, string>) {
	return pattern.replace(/:(\w+)/g, (_, name: string) => {
		if (params[name] === undefined) throw new Error(`no value for :${name} in ${pattern}`)
		return encodeURIComponent(params[name])
	})
}

/** The HTTP stack of scripts/server.ts in production, on a free port of 127.0.0.1. */
export async function startApp(build: ServerBuild) {
	const app = createHttpApp({ build, isProduction: true, trustProxy: false })
	const server = app.listen(0, '127.0.0.1')
	await new Promise<void>((resolve) => server.once('listening', resolve))
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
	return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** A digest of every row of every table: equal before and after means nothing was written. */
export async function databaseFingerprint() {
	const tables = await queryRows<{ table_schema: string; table_name: string }>(sql`
		select table_schema, table_name from information_schema.tables
		where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'
		order by 1, 2`)
	const digest: Record<string, string> = {}
	for (const t of tables) {
		const table = sql`${sql.identifier(t.table_schema)}.${sql.identifier(t.table_name)}`
		const [row] = await queryRows<{ n: number; h: string }>(
			sql`select count(*)::int as n, md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as h from ${table} r`,
		)
		digest[`${t.table_schema}.${t.table_name}`] = `${row!.n}:${row!.h}`
	}
	return digest
}
