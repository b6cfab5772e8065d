// Starts the site: `npm run dev` (Vite, hot reload) or `npm start` (the production build).
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { ConfigError, getEnv } from '#app/utils/env.server.ts'
import { createHttpApp } from '#app/utils/http.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { prepareApp } from '#app/utils/startup.server.ts'
import { startJobRunner } from '#app/jobs/runner.server.ts'
import { closeDatabase } from '#app/utils/db.server.ts'

let env
try {
	env = getEnv()
} catch (error) {
	if (error instanceof ConfigError) {
		console.error(error.message)
		process.exit(1)
	}
	throw error
}
const isProduction = env.NODE_ENV === 'production'

await prepareApp()
const stopJobs = startJobRunner({ intervalMs: env.JOB_INTERVAL_SECONDS * 1000 })

const vite = isProduction
	? undefined
	: await import('vite').then((v) => v.createServer({ server: { middlewareMode: true }, appType: 'custom' }))

const app = createHttpApp({
	build: vite ? () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild> : ((await import(pathToFileURL(path.resolve('build/server/index.js')).href)) as ServerBuild),
	isProduction,
	trustProxy: env.TRUST_PROXY,
	assets: vite?.middlewares,
})

const server = app.listen(env.PORT, env.HOST, () => {
	logger.info({ event: 'app.listening', port: env.PORT }, `安全生产培训考试与宣教平台已启动：http://localhost:${env.PORT}`)
})

async function shutdown(signal: string) {
	logger.info({ event: 'app.stopping', signal }, '正在停止')
	await stopJobs()
	server.close()
	await vite?.close()
	await closeDatabase()
	process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
