// `npm run lighthouse`: builds the site, starts the production server on a free port with a fresh
// embedded database (it seeds the demo county on first start), audits the public pages below with
// Lighthouse's mobile profile (its default form factor and throttling) in Debian's Chromium, and
// prints the scores as one JSON line: {"/": {"performance": 99, "accessibility": 100, …}, …}.
// Other pages: `npm run lighthouse -- /glossary /wujin/family`.
// Exits non-zero when a page does not load. LIGHTHOUSE_SKIP_BUILD=1 reuses an existing ./build;
// LIGHTHOUSE_RUNS=n audits each page n times (default 3) and reports the median run;
// LIGHTHOUSE_REPORT_DIR=dir also writes that run's full report there (open the .html in a browser).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { freePort, stopProcess } from './exam-bench-server.ts'

/** The pages audited: the home page, a case study and the public self-test; or the paths given. */
const PAGES = process.argv.length > 2 ? process.argv.slice(2) : ['/', '/cases/coal-mine-gas-explosion', '/self-test']
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const

const ROOT = path.resolve(import.meta.dirname, '..')
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const REPORT_DIR = process.env.LIGHTHOUSE_REPORT_DIR
const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS) || 3)

async function waitForServer(base: string, child: ChildProcess, log: string) {
	const deadline = Date.now() + 180_000
	while (Date.now() < deadline && child.exitCode === null) {
		try {
			if ((await fetch(`${base}/healthz`)).ok) return
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500))
	}
	throw new Error(`lighthouse: the server did not start; its log:\n${fs.readFileSync(log, 'utf8').slice(-4000)}`)
}

if (process.env.LIGHTHOUSE_SKIP_BUILD !== '1' || !fs.existsSync(path.join(ROOT, 'build/server/index.js'))) {
	const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
	if (build.status !== 0) {
		console.error(`${build.stdout}\n${build.stderr}`.split('\n').slice(-60).join('\n'))
		process.exit(1)
	}
}

const port = await freePort()
const base = `http://127.0.0.1:${port}`
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anquan-lighthouse-'))
const logFile = path.join(dataDir, 'server.log')
const secret = () => randomBytes(32).toString('base64url')
const env: NodeJS.ProcessEnv = {
	...process.env,
	NODE_ENV: 'production',
	PORT: String(port),
	HOST: '127.0.0.1',
	DATA_DIR: dataDir,
	LOG_LEVEL: 'warn',
	SESSION_SECRET: secret(),
	PII_ENCRYPTION_KEY: secret(),
	PII_LOOKUP_KEY: secret(),
	CERTIFICATE_KEY: secret(),
}
delete env.DATABASE_URL
delete env.PGLITE_DATA_DIR
delete env.NODE_OPTIONS

const logFd = fs.openSync(logFile, 'w')
const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/server.ts'], { cwd: ROOT, env, stdio: ['ignore', logFd, logFd] })
fs.closeSync(logFd)

let chrome: chromeLauncher.LaunchedChrome | undefined
let failed = false
try {
	await waitForServer(base, server, logFile)
	chrome = await chromeLauncher.launch({
		chromePath: CHROMIUM,
		chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
	})
	const scores: Record<string, Record<string, number | null>> = {}
	for (const page of PAGES) {
		// Scores wobble on a busy machine: audit each page RUNS times and keep the run whose
		// performance score is the median (what Lighthouse's own docs advise).
		const runs = []
		for (let i = 0; i < RUNS; i++) {
			const result = await lighthouse(`${base}${page}`, { port: chrome.port, output: 'html', logLevel: 'error', onlyCategories: [...CATEGORIES] })
			if (!result || result.lhr.runtimeError) {
				console.error(`lighthouse: ${page} did not load: ${result?.lhr.runtimeError?.message ?? 'no result'}`)
				break
			}
			runs.push(result)
		}
		if (runs.length < RUNS) {
			failed = true
			continue
		}
		const { lhr, report } = runs.sort((a, b) => (a.lhr.categories.performance?.score ?? 0) - (b.lhr.categories.performance?.score ?? 0))[Math.floor(RUNS / 2)]!
		scores[page] = Object.fromEntries(
			CATEGORIES.map((c) => {
				const score = lhr.categories[c]?.score
				return [c, score == null ? null : Math.round(score * 100)]
			}),
		)
		if (REPORT_DIR) {
			const name = page.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'home'
			fs.mkdirSync(REPORT_DIR, { recursive: true })
			fs.writeFileSync(path.join(REPORT_DIR, `${name}.html`), String(report))
			fs.writeFileSync(path.join(REPORT_DIR, `${name}.json`), JSON.stringify(lhr))
		}
		// Name what cost points, so a drop below 100 says where to look (on stderr: stdout is the one line).
		const weighted = CATEGORIES.flatMap((c) => lhr.categories[c]?.auditRefs.filter((r) => r.weight > 0).map((r) => r.id) ?? [])
		const losses = weighted
			.map((id) => lhr.audits[id]!)
			.filter((a) => a.score !== null && a.score < 1)
			.map((a) => `${a.id} (${a.displayValue || a.score})`)
		if (losses.length) console.error(`${page}: ${losses.join(', ')}`)
	}
	console.log(JSON.stringify(scores))
} catch (error) {
	console.error(error instanceof Error ? error.message : error)
	failed = true
} finally {
	await chrome?.kill()
	await stopProcess(server)
	fs.rmSync(dataDir, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
