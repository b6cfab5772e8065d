import { db } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { closeExpiredAttempts } from './attempts.server.ts'

/**
 * Closes and grades attempts whose deadline and grace have passed, every `everyMs`, so a worker
 * who never comes back still gets a result. Safe with many app instances: attempts are claimed
 * with SKIP LOCKED and closed exactly once.
 */
export function startAttemptSweeper(everyMs = 30_000) {
	let running = false
	const timer = setInterval(async () => {
		if (running) return
		running = true
		try {
			const closed = await closeExpiredAttempts(db)
			if (closed) logger.info({ event: 'attempts.swept', closed }, '已自动交卷超时的考试')
		} catch (error) {
			logger.error({ event: 'attempts.sweep_failed', error: error instanceof Error ? error.message : String(error) }, '自动交卷失败，稍后重试')
		} finally {
			running = false
		}
	}, everyMs)
	timer.unref()
	return () => clearInterval(timer)
}
