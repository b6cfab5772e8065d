// Restores a backup made by scripts/backup.ts: `npm run restore -- FILE [--yes]`. See `--help`.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { claimDataDir, DataDirBusyError } from '#app/utils/data-dir-lock.server.ts'
import { pgliteDataDir } from '#app/utils/db.server.ts'

const USAGE = `用法 Usage: npm run restore -- <备份文件 FILE> [--yes]

请先停止应用。Stop the app first.

设置了 DATABASE_URL：用 pg_restore --clean --if-exists --no-owner 在一个事务中把 .dump 文件恢复到该数据库
（须先建好数据库，可以是空库）；目标库中已有数据表时，必须加 --yes 才会覆盖。
未设置 DATABASE_URL：把 .tar.gz 文件恢复到新的嵌入式数据目录，再换下原目录：原目录改名为
<目录>.before-restore-<时间> 保留，确认无误后可自行删除。应用正在运行时本命令会拒绝执行。

密钥不在备份中：请同时放回原来的 PII_ENCRYPTION_KEY、PII_LOOKUP_KEY（开发环境为 DATA_DIR/secrets.json）
和 CERTIFICATE_KEY，否则身份证号、手机号无法读取，证书无法验真。

With DATABASE_URL set: pg_restore --clean --if-exists --no-owner of a .dump file into that database
(create it first; it may be empty), in one transaction. If the target already has tables, --yes
is required to overwrite them.
Without it: the .tar.gz is loaded into a fresh embedded data folder, which then takes the place of
the old one; the old folder is kept as <folder>.before-restore-<time> (delete it once satisfied).
Refused while the app runs.

Secrets are not in the backup: put back the original PII_ENCRYPTION_KEY, PII_LOOKUP_KEY
(DATA_DIR/secrets.json outside production) and CERTIFICATE_KEY too, or 身份证号 and phone numbers
cannot be read and certificates no longer verify.`

const { values, positionals } = parseArgs({ allowPositionals: true, options: { yes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } })
if (values.help) {
	console.log(USAGE)
	process.exit(0)
}

function fail(message: string): never {
	console.error(message)
	process.exit(1)
}

const file = positionals[0]
if (!file || positionals.length > 1) fail(USAGE)
if (!fs.existsSync(file)) fail(`找不到备份文件 ${file}。No such file.`)
const head = Buffer.alloc(5)
const fd = fs.openSync(file, 'r')
fs.readSync(fd, head, 0, 5, 0)
fs.closeSync(fd)
const serverUrl = process.env.DATABASE_URL

if (serverUrl) {
	if (head.toString('latin1') !== 'PGDMP') fail(`${file} 不是 pg_dump 备份（.dump）。Not a pg_dump custom-format file.`)
	const sql = postgres(serverUrl, { max: 1, onnotice: () => {} })
	const [row] = await sql<{ tables: number }[]>`select count(*)::int as tables from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`
	await sql.end()
	const tables = row?.tables ?? 0
	if (tables > 0 && !values.yes) fail(`目标数据库已有 ${tables} 张数据表；确认要覆盖请加 --yes。The target database has ${tables} tables; add --yes to overwrite them.`)
	const restore = spawnSync('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${serverUrl}`, file], {
		stdio: ['ignore', 'inherit', 'inherit'],
	})
	if (restore.error) fail(`无法运行 pg_restore（${restore.error.message}）：请安装 PostgreSQL 客户端。Cannot run pg_restore.`)
	if (restore.status !== 0) fail(`pg_restore 失败（退出码 ${restore.status}），数据库未改变。pg_restore failed; nothing was changed.`)
	console.log(`已恢复 ${file}。Restored.`)
} else {
	if (head[0] !== 0x1f || head[1] !== 0x8b) fail(`${file} 不是嵌入式数据库备份（.tar.gz）。Not an embedded-database backup.`)
	const dataDir = path.resolve(pgliteDataDir(process.env.DATA_DIR || './data'))
	let release: () => void
	try {
		release = claimDataDir(dataDir)
	} catch (error) {
		if (error instanceof DataDirBusyError) fail(error.message)
		throw error
	}
	const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
	const fresh = `${dataDir}.restoring-${stamp}`
	fs.rmSync(fresh, { recursive: true, force: true })
	fs.mkdirSync(fresh, { recursive: true })
	try {
		const pg = new PGlite(fresh, { loadDataDir: new Blob([fs.readFileSync(file)], { type: 'application/gzip' }) })
		// It opens, and it holds the app's tables.
		const { rows } = await pg.query<{ tables: number }>(`select count(*)::int as tables from pg_tables where schemaname = 'public'`)
		await pg.close()
		if (!rows[0]?.tables) throw new Error('no tables')
	} catch (error) {
		fs.rmSync(fresh, { recursive: true, force: true })
		release()
		fail(`无法从 ${file} 恢复（${(error as Error).message}），原数据未改变。Cannot restore; nothing was changed.`)
	}
	const aside = `${dataDir}.before-restore-${stamp}`
	if (fs.existsSync(dataDir)) fs.renameSync(dataDir, aside)
	fs.renameSync(fresh, dataDir)
	release()
	console.log(`已恢复 ${file} 到 ${dataDir}。Restored.`)
	if (fs.existsSync(aside)) console.log(`原数据目录保留在 The previous folder is kept at ${aside}`)
}
