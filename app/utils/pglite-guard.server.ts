import fs from 'node:fs'
import type { PGlite } from '@electric-sql/pglite'
import { DatabaseFaultError } from './db-errors.server.ts'
import { logger } from './logger.server.ts'

// The embedded database on a full disk (measured with PGlite 0.5 on a full tmpfs, see README
// "Faults"): a table that cannot grow fails cleanly (53100) and the instance carries on, but
// once a new WAL segment (16 MB) cannot be written, the next statement spins in the WASM forever
// and blocks the whole Node process — freeing space does not bring it back; a new process
// opens the folder with every committed row. So:
// 1. No statement is started while the folder's disk has less than MIN_FREE_BYTES free: the
//    request gets a clear 503 (disk_full) and the instance never reaches a WAL write failure.
//    It serves again as soon as space is freed, without a restart.
// 2. Should a WAL or commit-log write fail anyway (the disk filled during a statement), the
//    instance is written off: nothing more is sent to it and the process exits (status 1) for
//    its supervisor to restart it on the intact folder.

/** Four WAL segments: room for the statements already running and the next segment. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024

export function freeBytes(dir: string) {
	const stats = fs.statfsSync(dir)
	return stats.bavail * stats.bsize
}

function diskFullError(free: number, needed = MIN_FREE_BYTES) {
	return new DatabaseFaultError('disk_full', `嵌入式数据库所在磁盘剩余空间不足（剩余 ${Math.floor(free / 1048576)} MB，至少需要 ${Math.ceil(needed / 1048576)} MB）`)
}

/** Refuses to open the folder on a disk that is already (nearly) full. */
export function assertRoomToStart(dataDir: string) {
	const free = freeBytes(dataDir)
	if (free < MIN_FREE_BYTES) throw diskFullError(free)
}

/** Write failures after which the instance is not to be trusted (WAL, commit log) or a WASM abort. */
export function breaksInstance(error: unknown): 'disk_full' | 'unavailable' | null {
	const e = error as { code?: unknown; message?: unknown; name?: unknown } | null
	if (!e || typeof e !== 'object') return null
	const message = String(e.message ?? '')
	if (e.code === '53100' || /No space left on device/i.test(message)) return /pg_wal|xlog|pg_xact|pg_multixact|pg_subtrans/i.test(message) ? 'disk_full' : null
	return e.name === 'RuntimeError' || e.name === 'ExitStatus' || /^Aborted\(/.test(message) ? 'unavailable' : null
}

type Guarded = Pick<PGlite, 'query' | 'exec' | 'transaction' | 'execProtocolStream'>

type GuardOptions = {
	/** Runs once when the instance is written off: by default the process exits for a restart. */
	onDead?: () => void
	/** 0 turns the first guard off (scripts/faults.ts, to show the second one at work). */
	minFreeBytes?: number
}

/** Installs both guards on a PGlite client opened on a folder (not memory://). */
export function guardPglite(client: PGlite, dataDir: string, { onDead = exitForRestart, minFreeBytes = MIN_FREE_BYTES }: GuardOptions = {}) {
	const target = client as unknown as Guarded
	let dead: DatabaseFaultError | null = null
	let checkedAt = 0
	let lastFree = Number.POSITIVE_INFINITY
	const roomForAStatement = () => {
		if (dead) throw dead
		if (minFreeBytes <= 0) return
		const now = Date.now()
		// statfs is cheap, but a page runs dozens of statements: once per 100 ms is enough.
		if (now - checkedAt > 100) {
			lastFree = freeBytes(dataDir)
			checkedAt = now
		}
		if (lastFree < minFreeBytes) throw diskFullError(lastFree, minFreeBytes)
	}
	// Entry points only (a statement inside a transaction is not refused half-way: its ROLLBACK
	// or COMMIT must still reach the database).
	for (const name of ['query', 'exec', 'transaction'] as const) {
		const original = target[name].bind(client) as (...args: unknown[]) => Promise<unknown>
		;(target as Record<string, unknown>)[name] = async (...args: unknown[]) => {
			roomForAStatement()
			return original(...args)
		}
	}
	// Every statement passes here, inside transactions too: a written-off instance gets nothing more.
	const execProtocolStream = target.execProtocolStream.bind(client)
	target.execProtocolStream = (async (...args: Parameters<typeof execProtocolStream>) => {
		if (dead) throw dead
		try {
			return await execProtocolStream(...args)
		} catch (error) {
			const broken = dead ? null : breaksInstance(error)
			if (broken) {
				// Whatever is refused from now on (the failed transaction's ROLLBACK included) says why.
				dead = new DatabaseFaultError(broken, '嵌入式数据库已停止服务，等待重启')
				logger.fatal(
					{ event: 'db.pglite.dead', code: (error as { code?: string }).code, free: freeBytes(dataDir) },
					broken === 'disk_full' ? '嵌入式数据库写入 WAL 失败（磁盘已满）：不再使用该实例，进程退出后由守护进程重启；已提交的数据完好' : '嵌入式数据库实例已中止：进程退出后由守护进程重启',
				)
				onDead()
			}
			throw error
		}
	}) as typeof execProtocolStream
}

function exitForRestart() {
	// A moment for the responses already decided (503s) to leave, then out: the instance would
	// block the event loop on its next statement.
	setTimeout(() => process.exit(1), 200).unref()
}
