import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { logger } from '#app/utils/logger.server.ts'
import { jobHandlers, periodicJobs } from './handlers.server.ts'
import { enqueue, runDueJobs, type JobHandlers } from './queue.server.ts'
import { errorText, slotOf } from './slots.ts'

export type PeriodicJob = { kind: string; everyMs: number }

/** Queues the current slot of every periodic job: however many instances do it, one job per slot exists. */
export async function schedulePeriodic(periodic: PeriodicJob[], now = new Date()) {
	for (const { kind, everyMs } of periodic) {
		const slot = slotOf(now, everyMs)
		await enqueue(kind, slot.key, {}, slot.start)
	}
}

/**
 * The job runner of this app instance: just after each slot boundary of `intervalMs` (plus a little
 * jitter) it queues the periodic jobs' slots and runs the due jobs. Returns stop(), which waits for
 * the job in progress.
 */
export function startJobRunner({
	intervalMs = 30_000,
	handlers = jobHandlers,
	periodic = periodicJobs(intervalMs),
	workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
}: { intervalMs?: number; handlers?: JobHandlers; periodic?: PeriodicJob[]; workerId?: string } = {}) {
	let stopped = false
	let timer: NodeJS.Timeout | undefined
	let current: Promise<void> = Promise.resolve()

	async function tick() {
		try {
			await schedulePeriodic(periodic)
			await runDueJobs(workerId, handlers)
		} catch (error) {
			// The database is away (restart, failover): the next tick tries again.
			logger.error({ event: 'jobs.tick_failed', workerId, error: errorText(error) }, '后台任务轮询失败，稍后重试')
		}
	}
	function next() {
		if (stopped) return
		const jitter = Math.random() * Math.min(1000, intervalMs / 10)
		timer = setTimeout(() => {
			current = tick().then(next)
		}, intervalMs - (Date.now() % intervalMs) + jitter)
		timer.unref()
	}
	current = tick().then(next)
	logger.info({ event: 'jobs.started', workerId, intervalMs }, '后台任务已启动')
	return async () => {
		stopped = true
		clearTimeout(timer)
		await current
	}
}
