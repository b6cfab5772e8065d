// `npm run test:e2e`: the browser tests (Playwright) in Debian's Chromium. Extra arguments go to
// `playwright test`, e.g. `npm run test:e2e -- tests/e2e/http.spec.ts`.
//
// Without a Chromium the tests cannot run: under CI=true that is a failure; on a developer's
// machine it is a loud warning, so `npm test` still reports the other suites.
import { spawn } from 'node:child_process'
import fs from 'node:fs'

function isExecutable(file: string) {
	try {
		fs.accessSync(file, fs.constants.X_OK)
		return fs.statSync(file).isFile()
	} catch {
		return false
	}
}

const candidates = process.env.CHROMIUM_PATH
	? [process.env.CHROMIUM_PATH]
	: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium']
const chromium = candidates.find(isExecutable)
const isCi = process.env.CI === 'true' || process.env.CI === '1'

if (!chromium) {
	const looked = candidates.join(', ')
	if (isCi) {
		console.error(
			[
				`test:e2e: no Chromium found (looked at ${looked}).`,
				'The browser tests need one. Install Debian\'s Chromium with',
				'    apt-get update && apt-get install -y chromium',
				'or set CHROMIUM_PATH to a Chromium/Chrome executable.',
			].join('\n'),
		)
		process.exit(1)
	}
	const bar = '!'.repeat(72)
	console.warn(
		[
			'',
			bar,
			'!!  WARNING: THE BROWSER TESTS (tests/e2e) WERE NOT RUN.',
			`!!  No Chromium executable found (looked at ${looked}).`,
			'!!  Install one:   apt-get update && apt-get install -y chromium',
			'!!  or point to one: CHROMIUM_PATH=/path/to/chromium npm run test:e2e',
			'!!  (Under CI=true this is an error.)',
			bar,
			'',
		].join('\n'),
	)
	process.exit(0)
}

const child = spawn('npx', ['playwright', 'test', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, CHROMIUM_PATH: chromium },
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
