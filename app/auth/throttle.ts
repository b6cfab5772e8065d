// Failed sign-in throttling, as pure rules. Per account the limit is low; per IP it is high,
// because a whole factory may share one Wi-Fi address.

export type ThrottleState = { failures: number; windowStartedAt: Date; lockedUntil: Date | null }
export type ThrottlePolicy = { maxFailures: number; windowMs: number; lockMs: number }

export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }
export const IP_POLICY: ThrottlePolicy = { maxFailures: 100, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }

export function lockedUntil(state: ThrottleState | null | undefined, now: Date): Date | null {
	return state?.lockedUntil && state.lockedUntil > now ? state.lockedUntil : null
}

export function afterFailure(state: ThrottleState | null | undefined, now: Date, policy: ThrottlePolicy): ThrottleState {
	const fresh = !state || now.getTime() - state.windowStartedAt.getTime() > policy.windowMs
	const failures = fresh ? 1 : state.failures + 1
	const windowStartedAt = fresh ? now : state.windowStartedAt
	const locked = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null
	return { failures, windowStartedAt, lockedUntil: locked }
}

export function retryMessage(until: Date, now: Date) {
	const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000))
	const hhmm = until.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' })
	return `登录失败次数过多，已暂时锁定。请在 ${hhmm}（约 ${minutes} 分钟后）再试。`
}
