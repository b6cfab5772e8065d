import { useEffect } from 'react'

const CACHE = 'anquan-exam'

/**
 * Keeps a copy of this exam page and the scripts and styles it runs on in Cache Storage, and
 * registers the service worker (public/exam-sw.js) that keeps later copies and serves them when
 * the network is gone:
 * a worker who reloads or reopens the tab offline gets the paper back, with the answers kept
 * in localStorage. Old copies of other attempts are dropped.
 */
export function useOfflineCopy(attemptPath: string) {
	useEffect(() => {
		if (!('serviceWorker' in navigator) || !('caches' in window)) return
		navigator.serviceWorker.register('/exam-sw.js', { scope: '/attempts/' }).catch(() => {})
		const assets = Array.from(document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>('script[src], link[rel="modulepreload"], link[rel="stylesheet"]'))
			.map((el) => (el instanceof HTMLScriptElement ? el.src : el.href))
			.filter((url) => new URL(url).origin === location.origin)
		void (async () => {
			const cache = await caches.open(CACHE)
			for (const request of await cache.keys()) {
				const path = new URL(request.url).pathname
				if (path.startsWith('/attempts/') && path !== attemptPath) await cache.delete(request)
			}
			// The page is fetched again only when no copy is kept yet: afterwards the service worker
			// keeps each copy that passes through it, and a render of a 100-question page is not free.
			const kept = await cache.match(attemptPath)
			await cache.addAll(kept ? assets : [attemptPath, ...assets])
		})().catch(() => {})
	}, [attemptPath])
}
