import fs from 'node:fs'
import path from 'node:path'

// PGlite is single-process: two processes writing one data folder corrupt it, and PGlite takes
// no lock of its own (its postmaster.pid always says -42 and outlives a crash). So every process
// that opens a folder — the app, migrate, seed, backup, restore — first claims `<folder>.lock`,
// a file holding its pid; a lock whose process is gone (killed, crashed) is stale and taken over.

export class DataDirBusyError extends Error {}

function isAlive(pid: number) {
	try {
		process.kill(pid, 0)
		return true
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM'
	}
}

/** The lock file of a PGlite data folder (beside it, so the folder itself can be moved). */
export const lockFileOf = (dataDir: string) => `${path.resolve(dataDir)}.lock`

/**
 * Claims the folder for this process, or throws DataDirBusyError naming the process that holds
 * it. Returns the release; the lock is also released when the process exits.
 */
export function claimDataDir(dataDir: string): () => void {
	const lockFile = lockFileOf(dataDir)
	fs.mkdirSync(path.dirname(lockFile), { recursive: true })
	for (;;) {
		try {
			fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' })
			break
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
			const holder = Number(fs.readFileSync(lockFile, 'utf8'))
			if (holder === process.pid) break
			if (holder > 0 && isAlive(holder)) {
				throw new DataDirBusyError(
					`嵌入式数据库目录 ${dataDir} 正被进程 ${holder} 使用（${lockFile}）：PGlite 只允许一个进程打开，请先停止该进程（如 npm run dev / npm start）。\n` +
						`The embedded database folder ${dataDir} is in use by process ${holder}; stop it first.`,
				)
			}
			fs.rmSync(lockFile, { force: true })
		}
	}
	const release = () => {
		try {
			if (Number(fs.readFileSync(lockFile, 'utf8')) === process.pid) fs.rmSync(lockFile)
		} catch {
			// Already gone.
		}
	}
	process.once('exit', release)
	return () => {
		process.off('exit', release)
		release()
	}
}
