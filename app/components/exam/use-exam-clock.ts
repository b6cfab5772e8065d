import { useCallback, useEffect, useRef, useState } from 'react'

// The time left, always computed from the server's deadline and the server's clock (offset from
// this device's clock), never a countdown of its own: a reload, a background tab or a sleeping
// phone shows the right time again at once. Also reports 切屏 (the page hidden / shown again);
// the count shown is the one the server returns.

type Clock = { ok?: boolean; status?: 'open' | 'submitted'; switchCount?: number; now?: string; deadlineAt?: string }

// The last known difference between the server's clock and this device's, kept on the device: a
// page opened from the offline copy carries an old server time and must not be trusted.
const OFFSET_KEY = 'anquan.clock-offset'
const rememberOffset = (ms: number) => {
	try {
		localStorage.setItem(OFFSET_KEY, String(Math.round(ms)))
	} catch {
		// storage full or blocked: the offset is only a refinement
	}
}
const rememberedOffset = () => {
	try {
		const value = localStorage.getItem(OFFSET_KEY)
		return value === null ? null : Number(value)
	} catch {
		return null
	}
}

type Options = {
	attemptId: string
	deadlineAt: string
	serverNow: string
	secondsLeft: number
	switchCount: number
	onClosed: (message: string) => void
}

export function useExamClock({ attemptId, deadlineAt, serverNow, secondsLeft, switchCount, onClosed }: Options) {
	const [left, setLeft] = useState(secondsLeft)
	const [switches, setSwitches] = useState(switchCount)
	const deadline = useRef(Date.parse(deadlineAt))
	// serverTime ≈ Date.now() + offset. First guess: the loader's clock as the page arrives.
	const offset = useRef<number | null>(null)
	const closedRef = useRef(onClosed)
	closedRef.current = onClosed

	const tick = useCallback(() => {
		const now = Date.now() + (offset.current ?? 0)
		setLeft(Math.max(0, Math.ceil((deadline.current - now) / 1000)))
	}, [])

	/** A reply carrying the server's time: the offset, with the request's round trip halved. */
	const serverTime = useCallback(
		(serverMs: number, sentAt: number, receivedAt: number) => {
			if (!Number.isFinite(serverMs)) return
			offset.current = serverMs - (sentAt + receivedAt) / 2
			rememberOffset(offset.current)
			tick()
		},
		[tick],
	)

	const apply = useCallback(
		(clock: Clock | null, sentAt: number) => {
			if (!clock?.ok) return
			if (clock.now) serverTime(Date.parse(clock.now), sentAt, Date.now())
			if (clock.deadlineAt) deadline.current = Date.parse(clock.deadlineAt)
			if (typeof clock.switchCount === 'number') setSwitches(clock.switchCount)
			if (clock.status === 'submitted') closedRef.current('本次考试已交卷')
			tick()
		},
		[serverTime, tick],
	)

	useEffect(() => {
		deadline.current = Date.parse(deadlineAt)
		const pageOffset = Date.parse(serverNow) - Date.now()
		const known = rememberedOffset()
		// A page whose server time is well behind the last reading is the copy saved for offline use.
		offset.current = known !== null && Number.isFinite(known) && known - pageOffset > 30_000 ? known : pageOffset
		if (offset.current === pageOffset) rememberOffset(pageOffset)
		tick()
		const ask = async (init?: RequestInit) => {
			const sentAt = Date.now()
			try {
				const res = await fetch(`/attempts/${attemptId}/events`, { credentials: 'same-origin', redirect: 'manual', headers: { Accept: 'application/json' }, ...init })
				apply((await res.json().catch(() => null)) as Clock | null, sentAt)
			} catch {
				// offline: the last known offset still holds
			}
		}
		const report = (kind: 'hidden' | 'visible') => ask({ method: 'POST', body: new URLSearchParams({ kind }), keepalive: true })
		const timer = window.setInterval(tick, 1000)
		// A reload or leaving through a link also hides the page (after pagehide): not a 切屏.
		let unloading = false
		const onPageHide = () => {
			unloading = true
		}
		const onPageShow = () => {
			unloading = false
		}
		window.addEventListener('pagehide', onPageHide)
		window.addEventListener('pageshow', onPageShow)
		const onVisibility = () => {
			if (document.visibilityState !== 'hidden') {
				tick()
				void report('visible')
			} else if (!unloading) void report('hidden')
		}
		document.addEventListener('visibilitychange', onVisibility)
		// The page may have taken a while to arrive: correct the clock with a fresh reading.
		void ask()
		return () => {
			window.clearInterval(timer)
			window.removeEventListener('pagehide', onPageHide)
			window.removeEventListener('pageshow', onPageShow)
			document.removeEventListener('visibilitychange', onVisibility)
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [attemptId])

	return { left, switches, serverTime }
}
