import { useEffect } from 'react'

const CACHE = 'anquan-exam'

/**
 * Keeps a copy of this exam page and the scripts and styles it runs on in Cache Storage, and
 * registers the service worker (public/exam-sw.js) that serves them when the network is gone:
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
			await cache.addAll([attemptPath, ...assets])
		})().catch(() => {})
	}, [attemptPath])
}
