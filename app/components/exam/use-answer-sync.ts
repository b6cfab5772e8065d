import { useCallback, useEffect, useRef, useState } from 'react'
import type { ShownAnswer } from './format.ts'

// Every answer is kept on the device first (localStorage), then saved to the server with an
// increasing clientSeq; it stays "未同步" until the server acknowledges it, and is retried on
// `online`, on a timer with backoff and on every page load. The server ignores stale and repeated
// saves, so sending an answer again is always safe.

type Entry = { a: ShownAnswer; s: number; ok: boolean } // answer, clientSeq, acknowledged
type Stored = { seq: number; answers: Record<string, Entry> }
export type ServerAnswers = Record<string, { given: ShownAnswer; clientSeq: number }>

const RETRY_FIRST_MS = 2_000
const RETRY_MAX_MS = 20_000
const SAVE_TIMEOUT_MS = 15_000

export const storageKey = (attemptId: string) => `anquan.exam.${attemptId}`

function readStored(attemptId: string): Stored {
	try {
		const parsed = JSON.parse(window.localStorage.getItem(storageKey(attemptId)) ?? 'null') as Stored | null
		if (parsed && typeof parsed.seq === 'number' && parsed.answers && typeof parsed.answers === 'object') return parsed
	} catch {
		// unreadable: start afresh (the server still has everything it acknowledged)
	}
	return { seq: 0, answers: {} }
}

function writeStored(attemptId: string, stored: Stored) {
	try {
		window.localStorage.setItem(storageKey(attemptId), JSON.stringify(stored))
	} catch {
		// storage full or disabled: the answer is still in memory and being sent
	}
}

export const encodeAnswer = (a: ShownAnswer) => (a === null ? '' : typeof a === 'boolean' ? String(a) : a)

/** The server's answers merged with the device's: the one with the higher clientSeq wins. */
export function mergeAnswers(stored: Stored, server: ServerAnswers): Stored {
	const answers: Record<string, Entry> = { ...stored.answers }
	let seq = stored.seq
	for (const [pos, saved] of Object.entries(server)) {
		const local = answers[pos]
		if (!local || local.s <= saved.clientSeq) answers[pos] = { a: saved.given, s: saved.clientSeq, ok: true }
		seq = Math.max(seq, saved.clientSeq)
	}
	// Newer on the device than in the page's data: still pending unless the server acknowledged it
	// (an acknowledged save is durable; the page may be the copy saved for offline use, older than
	// the acknowledgement).
	for (const local of Object.values(answers)) seq = Math.max(seq, local.s)
	return { seq, answers }
}

type Options = { attemptId: string; server: ServerAnswers; onClosed: (message: string) => void; onServerTime?: (serverNowMs: number, sentAt: number, receivedAt: number) => void }

export function useAnswerSync({ attemptId, server, onClosed, onServerTime }: Options) {
	const store = useRef<Stored>({ seq: 0, answers: Object.fromEntries(Object.entries(server).map(([p, v]) => [p, { a: v.given, s: v.clientSeq, ok: true }])) })
	const inflight = useRef(new Map<string, number>())
	const retryTimer = useRef<number | undefined>(undefined)
	const backoff = useRef(RETRY_FIRST_MS)
	const closed = useRef(false)
	const callbacks = useRef({ onClosed, onServerTime })
	callbacks.current = { onClosed, onServerTime }

	const [answers, setAnswers] = useState<Record<string, ShownAnswer>>(() => Object.fromEntries(Object.entries(server).map(([p, v]) => [p, v.given])))
	const [pending, setPending] = useState<number[]>([])
	const [networkDown, setNetworkDown] = useState(false)
	const [browserOffline, setBrowserOffline] = useState(false)
	const [problem, setProblem] = useState<string | null>(null)

	const publish = useCallback(() => {
		const entries = Object.entries(store.current.answers)
		setAnswers(Object.fromEntries(entries.map(([p, e]) => [p, e.a])))
		setPending(entries.filter(([, e]) => !e.ok).map(([p]) => Number(p)).sort((a, b) => a - b))
	}, [])

	const sendRef = useRef<(pos: string) => Promise<void>>(async () => {})
	const flushRef = useRef<() => Promise<number>>(async () => 0)

	const scheduleRetry = useCallback(() => {
		if (retryTimer.current !== undefined || closed.current) return
		const wait = backoff.current
		backoff.current = Math.min(backoff.current * 2, RETRY_MAX_MS)
		retryTimer.current = window.setTimeout(() => {
			retryTimer.current = undefined
			void flushRef.current()
		}, wait)
	}, [])

	sendRef.current = async (pos: string) => {
		const entry = store.current.answers[pos]
		if (!entry || entry.ok || closed.current || inflight.current.get(pos) === entry.s) return
		inflight.current.set(pos, entry.s)
		const controller = new AbortController()
		const timeout = window.setTimeout(() => controller.abort(), SAVE_TIMEOUT_MS)
		const sentAt = Date.now()
		try {
			const body = new URLSearchParams({ position: pos, answer: encodeAnswer(entry.a), clientSeq: String(entry.s) })
			const res = await fetch(`/attempts/${attemptId}/answers`, { method: 'POST', body, signal: controller.signal, credentials: 'same-origin', redirect: 'manual', headers: { Accept: 'application/json' } })
			setNetworkDown(false)
			const reply = (await res.json().catch(() => null)) as { ok?: boolean; clientSeq?: number; error?: string; now?: string } | null
			if (res.status === 409) {
				closed.current = true
				callbacks.current.onClosed(reply?.error ?? '本次考试已结束')
				return
			}
			if (res.ok && reply?.ok) {
				if (reply.now) callbacks.current.onServerTime?.(Date.parse(reply.now), sentAt, Date.now())
				const current = store.current.answers[pos]
				// Acknowledged: the server holds this answer, or a newer one (stale).
				if (current && current.s <= (reply.clientSeq ?? 0)) current.ok = true
				if (current && current.s === entry.s) current.ok = true
				writeStored(attemptId, store.current)
				backoff.current = RETRY_FIRST_MS
				setProblem(null)
				publish()
				return
			}
			if (res.status === 400 || res.status === 404) {
				// This answer can never be saved as it is: stop retrying it.
				const current = store.current.answers[pos]
				if (current && current.s === entry.s) current.ok = true
				writeStored(attemptId, store.current)
				setProblem(reply?.error ?? '答案未能保存')
				publish()
				return
			}
			setProblem(reply?.error ?? (res.type === 'opaqueredirect' ? '登录已失效，请重新登录后继续答题（答案已保存在本机）' : '服务器暂时无法保存答案，正在重试'))
			scheduleRetry()
		} catch {
			setNetworkDown(true)
			scheduleRetry()
		} finally {
			window.clearTimeout(timeout)
			if (inflight.current.get(pos) === entry.s) inflight.current.delete(pos)
			// Changed again while this one was on its way: send the newer answer.
			const latest = store.current.answers[pos]
			if (latest && !latest.ok && latest.s !== entry.s && !closed.current) void sendRef.current(pos)
		}
	}

	/** Sends every answer not yet acknowledged; resolves with how many are still waiting. */
	flushRef.current = async () => {
		const waiting = Object.entries(store.current.answers).filter(([, e]) => !e.ok).map(([p]) => p)
		await Promise.all(waiting.map((p) => sendRef.current(p)))
		const left = Object.values(store.current.answers).filter((e) => !e.ok).length
		if (left) scheduleRetry()
		return left
	}

	const answer = useCallback(
		(position: number, value: ShownAnswer) => {
			if (closed.current) return
			// Another tab of the same attempt may have counted further: never reuse a number.
			const s = Math.max(store.current.seq, readStored(attemptId).seq) + 1
			store.current.seq = s
			store.current.answers[String(position)] = { a: value, s, ok: false }
			writeStored(attemptId, store.current)
			publish()
			void sendRef.current(String(position))
		},
		[attemptId, publish],
	)

	const flush = useCallback(() => {
		window.clearTimeout(retryTimer.current)
		retryTimer.current = undefined
		backoff.current = RETRY_FIRST_MS
		return flushRef.current()
	}, [])

	useEffect(() => {
		// On load: what the device has that the server does not (saved offline, or before a reload).
		store.current = mergeAnswers(readStored(attemptId), server)
		writeStored(attemptId, store.current)
		publish()
		setBrowserOffline(!navigator.onLine)
		void flushRef.current()
		const online = () => {
			setBrowserOffline(false)
			void flush()
		}
		const offline = () => setBrowserOffline(true)
		window.addEventListener('online', online)
		window.addEventListener('offline', offline)
		return () => {
			window.removeEventListener('online', online)
			window.removeEventListener('offline', offline)
			window.clearTimeout(retryTimer.current)
			retryTimer.current = undefined
		}
		// The server's answers are read once, when the attempt page loads.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [attemptId])

	return { answers, pending, offline: browserOffline || networkDown, problem, answer, flush }
}
