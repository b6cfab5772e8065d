import { expect, test } from 'vitest'
import { runChaos } from '../../scripts/chaos-exam.ts'

// Chaos: the production server (a child process with a database of its own: a fresh PGlite folder,
// or a fresh database on the PostgreSQL server of DATABASE_URL) is killed with SIGKILL while
// answer saves are in flight, then restarted. Every save a client saw acknowledged must be in the
// database right after the kill, and once the clients have re-sent what was not acknowledged,
// every answer they gave must be stored as last given. Uses ./build (built first if missing).
test('SIGKILL with saves in flight loses no acknowledged answer, and re-sends store the rest', { timeout: 180_000 }, async () => {
	const lines: string[] = []
	const report = await runChaos({ serverUrl: process.env.TEST_DATABASE_SERVER_URL, clients: 6, kills: 2, runMs: 1500, log: (l) => lines.push(l) })
	expect(report.inFlightAtKills, lines.join('\n')).toBeGreaterThan(0)
	expect(report.acknowledged).toBeGreaterThan(0)
	expect(report.lostAcknowledged, lines.join('\n')).toBe(0)
	expect(report.missingAfterResend, lines.join('\n')).toBe(0)
})
