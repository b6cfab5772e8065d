// Service worker for exam pages (scope /attempts/). Network first; each exam page that comes
// through is kept (Cache Storage, "anquan-exam", one copy per attempt), and when the network is
// gone the kept copy of the page and its scripts is served, so a reload or a reopened tab still
// shows the paper and the answers kept on the device. The page itself keeps the first copy
// (app/components/exam/use-offline-copy.ts), before this worker controls it.
const CACHE = 'anquan-exam'
const EXAM_PAGE = /^\/attempts\/[0-9a-f-]{36}$/

self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))

self.addEventListener('fetch', (event) => {
	const request = event.request
	const url = new URL(request.url)
	if (request.method !== 'GET' || url.origin !== self.location.origin) return
	event.respondWith(
		fetch(request).then(
			(response) => {
				if (request.mode === 'navigate' && response.ok && !response.redirected && EXAM_PAGE.test(url.pathname)) {
					const copy = response.clone()
					event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)))
				}
				return response
			},
			async () => {
				const cache = await caches.open(CACHE)
				const copy = await cache.match(request, { ignoreSearch: request.mode === 'navigate' })
				if (copy) return copy
				throw new Error('offline and not saved on this device')
			},
		),
	)
})
