// Simulated exam takers saving answers the way the exam page does (app/components/exam/
// use-answer-sync.ts), shared by the chaos and fault scripts (scripts/chaos-exam.ts,
// scripts/faults.ts): the latest answer per question waits in a queue until the server
// acknowledges it (saved, or stale: a newer one is stored); a failed save (network error, 5xx)
// stays queued and is sent again after a short pause. Every send's outcome is recorded with its
// time, so a script can count the errors clients saw during a fault and how soon saves came back.
import type http from 'node:http'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { benchAnswer } from './exam-bench-setup.ts'
import { request, sleep, type BenchDatabase } from './exam-bench-server.ts'

export type Save = { position: number; seq: number; answer: string }

export class SaveClient {
	seq = 0
	attemptId = ''
	/** position → the latest intended answer not yet acknowledged */
	queue = new Map<number, Save>()
	/** position → the latest intended answer */
	intended = new Map<number, Save>()
	/** position → the highest acknowledged (saved) sequence number */
	acked = new Map<number, Save>()
	inFlight = new Set<Save>()
	failed = 0
	sent = 0
	constructor(readonly token: string) {}

	answer() {
		const position = 1 + Math.floor(Math.random() * 100)
		const save = { position, seq: ++this.seq, answer: benchAnswer(position, this.seq) }
		this.intended.set(position, save)
		this.queue.set(position, save)
	}
}

/** 'ok' (saved or stale), 'http <status>', 'network' (refused, reset, timed out). */
export type SendEvent = { at: number; ms: number; outcome: string; body?: string }

/** Shared switches of a run; the script flips them between phases. */
export type SaveControl = { origin: string; answering: boolean; paused: boolean; stopping: boolean }

/** POSTs 开始考试 for every client; fills in their attempt ids. */
export async function startAttempts(agent: http.Agent, origin: string, examId: string, tokens: string[]) {
	const clients = tokens.map((t) => new SaveClient(t))
	for (const c of clients) {
		const res = await request(agent, origin, 'POST', `/exams/${examId}`, c.token, {})
		const m = res.status === 302 ? /^\/attempts\/([0-9a-f-]{36})$/.exec(res.location ?? '') : null
		if (!m) throw new Error(`开始考试 failed: ${res.status} ${res.body.slice(0, 200)}`)
		c.attemptId = m[1]!
	}
	return clients
}

export type SaveRunOptions = {
	/** Pause between two answers of one client, ms: [min, max). */
	answerEveryMs?: [number, number]
	/** Saves each client keeps in flight (one per question at most). */
	senders?: number
	requestTimeoutMs?: number
	retryPauseMs?: number
}

/**
 * Starts every client answering and saving until `control.answering` is false and, once
 * `control.stopping` is set, its queue is empty. Resolves when all loops have ended.
 */
export function runSaveClients(clients: SaveClient[], agent: http.Agent, control: SaveControl, events: SendEvent[], options: SaveRunOptions = {}) {
	const [minPause, maxPause] = options.answerEveryMs ?? [5, 25]
	const timeoutMs = options.requestTimeoutMs ?? 5000
	const retryPauseMs = options.retryPauseMs ?? 100

	async function answerLoop(c: SaveClient) {
		while (control.answering) {
			c.answer()
			await sleep(minPause + Math.random() * (maxPause - minPause))
		}
	}
	async function sendLoop(c: SaveClient) {
		for (;;) {
			if (control.paused) {
				await sleep(20)
				continue
			}
			const next = [...c.queue.values()].find((s) => ![...c.inFlight].some((f) => f.position === s.position))
			if (!next) {
				if (control.stopping) return
				await sleep(5)
				continue
			}
			c.inFlight.add(next)
			c.sent++
			const started = Date.now()
			let outcome = 'network'
			let body: string | undefined
			try {
				const res = await request(agent, control.origin, 'POST', `/attempts/${c.attemptId}/answers`, c.token, { position: next.position, answer: next.answer, clientSeq: next.seq }, timeoutMs)
				outcome = `http ${res.status}`
				body = res.body
				if (res.status !== 200) throw new Error(outcome)
				const reply = JSON.parse(res.body) as { ok: boolean; saved: boolean; stale: boolean }
				if (reply.saved) {
					const prev = c.acked.get(next.position)
					if (!prev || prev.seq < next.seq) c.acked.set(next.position, next)
				}
				if (!reply.saved && !reply.stale) throw new Error(`not saved: ${res.body}`)
				outcome = 'ok'
				body = undefined
				if (c.queue.get(next.position) === next) c.queue.delete(next.position)
			} catch {
				c.failed++
			}
			events.push({ at: started, ms: Date.now() - started, outcome, body })
			// Still marked in flight while pausing, so the other sender does not pick it up at once.
			if (outcome !== 'ok') await sleep(retryPauseMs)
			c.inFlight.delete(next)
		}
	}
	const senders = options.senders ?? 2
	return Promise.all(clients.flatMap((c) => [answerLoop(c), ...Array.from({ length: senders }, () => sendLoop(c))]))
}

/** Stops answering and waits (up to `maxMs`) until every client's queue is acknowledged. */
export async function flushClients(clients: SaveClient[], control: SaveControl, loops: Promise<unknown>, maxMs = 30_000) {
	control.answering = false
	control.stopping = true
	control.paused = false
	const by = Date.now() + maxMs
	while (clients.some((c) => c.queue.size) && Date.now() < by) await sleep(50)
	await Promise.race([loops, sleep(10_000)])
	return clients.reduce((n, c) => n + c.queue.size, 0)
}

export type Stored = Map<string, { seq: number; answer: unknown }>

/** Every stored answer, read straight from the database (the server may be down). */
export async function storedAnswers(database: BenchDatabase): Promise<Stored> {
	let rows: { attempt_id: string; position: number; client_seq: number; answer: unknown }[]
	if (database.kind === 'postgres') {
		const sql = postgres(database.url!, { max: 1, onnotice: () => {} })
		try {
			rows = await sql`select attempt_id, position, client_seq, answer from attempt_answers`
		} finally {
			await sql.end()
		}
	} else {
		const pg = new PGlite(path.join(database.dataDir, 'pglite'))
		try {
			rows = (await pg.query<(typeof rows)[number]>('select attempt_id, position, client_seq, answer from attempt_answers')).rows
		} finally {
			await pg.close()
		}
	}
	return new Map(rows.map((r) => [`${r.attempt_id} ${r.position}`, { seq: r.client_seq, answer: r.answer }]))
}

/** What each client had seen acknowledged at this moment. */
export const ackedSnapshot = (clients: SaveClient[]) => clients.map((c) => new Map(c.acked))

/** Acknowledged answers (as of the snapshot) missing from the database, or older there. */
export function lostAcknowledged(clients: SaveClient[], snapshot: Map<number, Save>[], stored: Stored) {
	let lost = 0
	clients.forEach((c, i) => {
		for (const a of snapshot[i]!.values()) {
			const s = stored.get(`${c.attemptId} ${a.position}`)
			if (!s || s.seq < a.seq || (s.seq === a.seq && String(s.answer) !== a.answer)) lost++
		}
	})
	return lost
}

/** Questions whose last intended answer is not what the database holds. */
export function notStoredAsLastGiven(clients: SaveClient[], stored: Stored) {
	let missing = 0
	for (const c of clients) {
		for (const s of c.intended.values()) {
			const got = stored.get(`${c.attemptId} ${s.position}`)
			if (!got || got.seq !== s.seq || String(got.answer) !== s.answer) missing++
		}
	}
	return missing
}

export const sum = (clients: SaveClient[], of: (c: SaveClient) => number) => clients.reduce((n, c) => n + of(c), 0)
