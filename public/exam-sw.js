// Service worker for exam pages (scope /attempts/). Network first; when the network is gone, the
// copy the exam page saved of itself and its scripts (Cache Storage, "anquan-exam") is served, so
// a reload or a reopened tab still shows the paper and the answers kept on the device.
const CACHE = 'anquan-exam'

self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))

self.addEventListener('fetch', (event) => {
	const request = event.request
	if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return
	event.respondWith(
		fetch(request).catch(async () => {
			const cache = await caches.open(CACHE)
			const copy = await cache.match(request, { ignoreSearch: request.mode === 'navigate' })
			if (copy) return copy
			throw new Error('offline and not saved on this device')
		}),
	)
})
