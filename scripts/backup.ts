// Backs up the database: `npm run backup -- [--out FILE]`. See `--help` and README (Backups).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { claimDataDir, DataDirBusyError } from '#app/utils/data-dir-lock.server.ts'
import { pgliteDataDir } from '#app/utils/db.server.ts'

const USAGE = `用法 Usage: npm run backup -- [--out 文件 FILE]

设置了 DATABASE_URL（PostgreSQL 服务器）：用 pg_dump -Fc 导出整个数据库，默认写入 backups/<时间>.dump；
应用可以照常运行（pg_dump 读取的是一致的快照）。
未设置 DATABASE_URL（嵌入式 PGlite，目录 DATA_DIR/pglite，默认 ./data/pglite）：打开数据目录并导出为
压缩包，默认写入 backups/<时间>.tar.gz。PGlite 只允许一个进程打开数据目录，因此必须先停止应用；
应用正在运行时本命令会拒绝执行。

注意：备份中不含密钥。PII_ENCRYPTION_KEY、PII_LOOKUP_KEY（开发环境在 DATA_DIR/secrets.json）和
CERTIFICATE_KEY 须另行妥善保管；没有它们，恢复后的身份证号、手机号无法读取或查找，已发证书无法验真。

With DATABASE_URL set (a PostgreSQL server): pg_dump -Fc of the whole database, by default to
backups/<time>.dump; the app may keep running (pg_dump reads one consistent snapshot).
Without it (embedded PGlite in DATA_DIR/pglite, ./data/pglite by default): the data folder is
opened and dumped as a tarball, by default to backups/<time>.tar.gz. PGlite allows one process
per folder, so stop the app first; this command refuses while the app runs.

Secrets are NOT in the backup: keep PII_ENCRYPTION_KEY and PII_LOOKUP_KEY (DATA_DIR/secrets.json
outside production) and CERTIFICATE_KEY safe separately. Without them the restored 身份证号 and
phone numbers cannot be read or found, and issued certificates no longer verify.`

const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
if (values.help) {
	console.log(USAGE)
	process.exit(0)
}

function fail(message: string): never {
	console.error(message)
	process.exit(1)
}

// 20260601-020000, China time: sorts by time, one file a second.
const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
const serverUrl = process.env.DATABASE_URL
const out = path.resolve(values.out ?? path.join('backups', `${stamp}${serverUrl ? '.dump' : '.tar.gz'}`))
fs.mkdirSync(path.dirname(out), { recursive: true })
// Written beside and renamed when complete: a file named like a backup is a whole one.
const partial = `${out}.partial`

if (serverUrl) {
	const dump = spawnSync('pg_dump', ['--format=custom', `--file=${partial}`, `--dbname=${serverUrl}`], { stdio: ['ignore', 'inherit', 'inherit'] })
	if (dump.error) fail(`无法运行 pg_dump（${dump.error.message}）：请安装 PostgreSQL 客户端。Cannot run pg_dump.`)
	if (dump.status !== 0) {
		fs.rmSync(partial, { force: true })
		fail(`pg_dump 失败（退出码 ${dump.status}），未生成备份。pg_dump failed, no backup written.`)
	}
} else {
	const dataDir = pgliteDataDir(process.env.DATA_DIR || './data')
	if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) fail(`${dataDir} 中没有嵌入式数据库。No embedded database in ${dataDir}.`)
	let release: () => void
	try {
		release = claimDataDir(dataDir)
	} catch (error) {
		if (error instanceof DataDirBusyError) fail(error.message)
		throw error
	}
	const pg = new PGlite(dataDir)
	try {
		// dumpDataDir does not wait for the database to open: it hangs if called before.
		await pg.waitReady
		const tarball = await pg.dumpDataDir('gzip')
		fs.writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()))
	} finally {
		await pg.close()
		release()
	}
}
fs.renameSync(partial, out)
console.log(`已备份到 Backed up to ${out}（${(fs.statSync(out).size / 1024).toFixed(0)} KB）`)
console.log('密钥不在备份中，请另行保管。Secrets are not in the backup: keep them separately.')
