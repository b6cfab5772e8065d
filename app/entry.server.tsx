import { Transform } from 'node:stream'
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext, type HandleErrorFunction } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { NonceProvider } from './components/nonce.tsx'
import { databaseFaultOf, logDatabaseFault } from './utils/db-errors.server.ts'
import './utils/context.ts'

const ABORT_DELAY = 5_000

/**
 * React 18's streaming renderer flushes its whole 2 KB buffer even when a multi-byte character
 * (most Chinese text) did not fit at its end, leaving NUL bytes in the HTML (fixed in React 19,
 * facebook/react#26228). HTML never ends a chunk with a real NUL, so trailing ones are dropped.
 */
function withoutTrailingNuls() {
	return new Transform({
		transform(chunk: Buffer, _encoding, done) {
			let end = chunk.length
			while (end > 0 && chunk[end - 1] === 0) end--
			done(null, end === chunk.length ? chunk : chunk.subarray(0, end))
		},
	})
}

/**
 * Errors Remix did not hand to a route: a database fault is one short log line (kind, SQLSTATE,
 * path) — drizzle's own error would print the SQL and its parameters; anything else as before.
 * Routes turn database faults into 503 pages themselves (withDatabaseFaults, installed by createHttpApp in app/utils/http.server.ts).
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
	if (request.signal.aborted) return
	const fault = databaseFaultOf(error)
	if (fault) return logDatabaseFault(fault, error, { method: request.method, path: new URL(request.url).pathname })
	console.error(error)
}

export default function handleRequest(
	request: Request,
	responseStatusCode: number,
	responseHeaders: Headers,
	remixContext: EntryContext,
	loadContext: AppLoadContext,
) {
	// Crawlers and share previews get the whole page at once; browsers get it streamed.
	const waitForAll = isbot(request.headers.get('user-agent') ?? '')
	const nonce = loadContext.cspNonce
	return new Promise((resolve, reject) => {
		let shellRendered = false
		const { pipe, abort } = renderToPipeableStream(
			<NonceProvider value={nonce}>
				<RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
			</NonceProvider>,
			{
				nonce,
				[waitForAll ? 'onAllReady' : 'onShellReady']() {
					shellRendered = true
					const body = withoutTrailingNuls()
					responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
					resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
					pipe(body)
				},
				onShellError(error: unknown) {
					reject(error)
				},
				onError(error: unknown) {
					responseStatusCode = 500
					if (shellRendered) console.error(error)
				},
			},
		)
		setTimeout(abort, ABORT_DELAY)
	})
}
