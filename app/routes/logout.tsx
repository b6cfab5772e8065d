import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { getSessionId } from '#app/auth/auth.server.ts'
import { clearedSessionCookie, invalidateSession } from '#app/auth/session.server.ts'

export async function loader() {
	return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
	const sessionId = await getSessionId(request)
	if (sessionId) await invalidateSession(sessionId)
	return redirect('/', { headers: { 'Set-Cookie': clearedSessionCookie() } })
}
