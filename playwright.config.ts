import { defineConfig, devices, type ReporterDescription } from '@playwright/test'
import { BASE_URL } from './tests/e2e/support.ts'

// Browser tests against the production build (see tests/e2e/global-setup.ts), in Debian's
// Chromium: Playwright's own browser downloads are not available here. Run them with
// `npm run test:e2e`, which checks for a Chromium first.

const reporter: ReporterDescription[] = [['list']]
// Machine-readable results for .ci/run (or whoever sets the variable).
if (process.env.CI || process.env.PLAYWRIGHT_JSON_OUTPUT_FILE) {
	reporter.push(['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE || 'test-results/playwright-results.json' }])
}

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/playwright',
	globalSetup: './tests/e2e/global-setup.ts',
	fullyParallel: false,
	workers: 2,
	forbidOnly: true,
	retries: 0,
	timeout: 30_000,
	// Build, seed and every spec on 2 shared cores: about 5 minutes here, so room to spare.
	globalTimeout: 10 * 60_000,
	expect: { timeout: 10_000 },
	reporter,
	use: {
		baseURL: BASE_URL,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
		},
	},
	projects: [
		// "server" checks the server is up; its teardown "server-log" reads the server's log once
		// every browser test has finished, whether they passed or not.
		{ name: 'server', testMatch: 'server.setup.ts', teardown: 'server-log' },
		{ name: 'server-log', testMatch: 'server-log.spec.ts' },
		{ name: 'chromium', use: { ...devices['Desktop Chrome'] }, testMatch: '**/*.spec.ts', testIgnore: 'server-log.spec.ts', dependencies: ['server'] },
	],
})
