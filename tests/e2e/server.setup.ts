import fs from 'node:fs'
import { expect, test } from '@playwright/test'
import { SERVER_LOG } from './support.ts'

// Project "server" (see playwright.config.ts): runs before the browser tests; its teardown
// project "server-log" checks the log once they are all done, whether they passed or not.

test('the production server under test is up on the expected database', async ({ request }) => {
	const res = await request.get('/healthz')
	expect(res.status()).toBe(200)
	const kind = process.env.DATABASE_URL ? 'postgres' : 'pglite'
	const events = fs
		.readFileSync(SERVER_LOG, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as { event?: string; db?: string })
	expect(events.find((e) => e.event === 'app.ready')?.db).toBe(kind)
	expect(events.some((e) => e.event === 'app.listening')).toBe(true)
})
