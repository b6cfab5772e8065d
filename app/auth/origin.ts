// CSRF defence (as in Lucia's guide): a request that can change state must come from a page of
// this site. Browsers send Origin on every cross-site and same-site POST.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isAllowedOrigin(method: string, origin: string | null | undefined, host: string | null | undefined) {
	if (SAFE_METHODS.has(method.toUpperCase())) return true
	if (!origin || !host) return false
	try {
		return new URL(origin).host === host
	} catch {
		return false
	}
}
