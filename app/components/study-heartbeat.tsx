import { useFetcher } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { ACTIVITY_WINDOW_SECONDS, HEARTBEAT_SECONDS } from '#app/courses/study-time.ts'

type HeartbeatResult = { studiedSeconds: number; done: boolean }

/**
 * Sends a heartbeat every HEARTBEAT_SECONDS while the page is visible and the person has been
 * active recently, and once when the end of the lesson scrolls into view. The server decides
 * how much time that earns.
 */
export function useStudyHeartbeat(lessonId: string, initial: HeartbeatResult) {
	const fetcher = useFetcher<HeartbeatResult>()
	const endRef = useRef<HTMLDivElement>(null)
	const lastActivity = useRef(Date.now())
	const reachedEnd = useRef(false)
	const [state, setState] = useState(initial)

	useEffect(() => {
		if (fetcher.data) setState((s) => ({ studiedSeconds: Math.max(s.studiedSeconds, fetcher.data!.studiedSeconds), done: s.done || fetcher.data!.done }))
	}, [fetcher.data])

	useEffect(() => {
		setState(initial)
		const send = () => fetcher.submit({ intent: 'heartbeat', reachedEnd: reachedEnd.current ? '1' : '0' }, { method: 'post' })
		const onActivity = () => {
			lastActivity.current = Date.now()
		}
		const events = ['pointerdown', 'keydown', 'scroll', 'touchstart', 'wheel'] as const
		for (const e of events) window.addEventListener(e, onActivity, { passive: true })
		const timer = window.setInterval(() => {
			const active = Date.now() - lastActivity.current < ACTIVITY_WINDOW_SECONDS * 1000
			if (document.visibilityState === 'visible' && active) send()
		}, HEARTBEAT_SECONDS * 1000)
		const observer = new IntersectionObserver((entries) => {
			if (entries.some((e) => e.isIntersecting) && !reachedEnd.current) {
				reachedEnd.current = true
				lastActivity.current = Date.now()
				send()
			}
		})
		if (endRef.current) observer.observe(endRef.current)
		return () => {
			for (const e of events) window.removeEventListener(e, onActivity)
			window.clearInterval(timer)
			observer.disconnect()
		}
		// Restart for each lesson.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [lessonId])

	return { ...state, endRef }
}
