import fs from 'node:fs'
import { expect, test } from '@playwright/test'
import { BASE_URL, CLEAR_PHONE, DEMO_ACCOUNTS, DEMO_PASSWORD, SERVER_LOG } from './support.ts'

// Runs after every other spec (project "server-log" is the teardown of project "server" in
// playwright.config.ts), so the log holds all their sign-ins and form posts, even when some failed.

test('the server log is JSON lines, with no phone number or 身份证号 in clear', async ({ request }) => {
	// Sign-ins of its own (refused, failed, successful), so the log certainly holds some even
	// when only part of the suite ran.
	const post = (password: string, origin: string) =>
		request.post('/login', { form: { phone: '13900000010', password }, headers: { Origin: origin }, maxRedirects: 0 })
	expect((await post(DEMO_PASSWORD, 'https://evil.example')).status()).toBe(403)
	expect((await post('not-the-password-1', BASE_URL)).status()).toBe(400)
	expect((await post(DEMO_PASSWORD, BASE_URL)).status()).toBe(302)
	expect((await request.get('/healthz')).ok()).toBe(true)
	await expect.poll(() => fs.readFileSync(SERVER_LOG, 'utf8')).toContain('"path":"/healthz"')

	const text = fs.readFileSync(SERVER_LOG, 'utf8')
	const lines = text.split('\n').filter((line) => line.trim() !== '')
	expect(lines.length).toBeGreaterThan(10)
	const entries = lines.map((line, i) => {
		try {
			return JSON.parse(line) as Record<string, unknown>
		} catch {
			throw new Error(`log line ${i + 1} is not JSON: ${line.slice(0, 200)}`)
		}
	})

	const requests = entries.filter((e) => e.msg === 'request')
	expect(requests.length).toBeGreaterThan(10)
	for (const entry of requests) {
		expect(typeof entry.method, JSON.stringify(entry)).toBe('string')
		expect(typeof entry.path, JSON.stringify(entry)).toBe('string')
		expect(typeof entry.status, JSON.stringify(entry)).toBe('number')
		expect(typeof entry.ms, JSON.stringify(entry)).toBe('number')
		expect(entry.path as string, 'no query strings in the log').not.toContain('?')
	}
	expect(requests.some((e) => e.method === 'POST' && e.path === '/login' && e.status === 302)).toBe(true)
	expect(requests.some((e) => e.method === 'POST' && e.path === '/login' && e.status === 403)).toBe(true)
	expect(requests.some((e) => e.method === 'POST' && e.path === '/login' && e.status === 400)).toBe(true)

	for (const account of DEMO_ACCOUNTS) expect(text, `phone of ${account.name}`).not.toContain(account.phone)
	expect(text).not.toMatch(CLEAR_PHONE)
	// Any 身份证号, also right after a letter (特种作业操作证 numbers are T + 身份证号).
	expect(text).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/)
	expect(text).not.toContain(DEMO_PASSWORD)
	expect(text).not.toContain('not-the-password-1')
})
