// Shared by the benchmarks: a throw-away database and a synthetic question bank.
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'

/**
 * Points the app at a fresh database before it is imported: PGlite in a temporary folder, or,
 * with DATABASE_URL, a new database on that server. Returns how to clean up afterwards.
 */
export async function useBenchDatabase(name: string) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`))
	process.env.DATA_DIR = dir
	process.env.LOG_LEVEL = 'silent'
	let dropDatabase: (() => Promise<void>) | undefined
	const serverUrl = process.env.DATABASE_URL
	if (serverUrl) {
		const database = `${name.replace(/-/g, '_')}_${process.pid}_${randomBytes(3).toString('hex')}`
		const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
		await admin.unsafe(`create database ${database}`)
		const url = new URL(serverUrl)
		url.pathname = `/${database}`
		process.env.DATABASE_URL = url.toString()
		dropDatabase = async () => {
			await admin.unsafe(`drop database if exists ${database} with (force)`)
			await admin.end()
		}
	}
	return async () => {
		const { closeDatabase } = await import('#app/utils/db.server.ts')
		await closeDatabase()
		await dropDatabase?.()
		fs.rmSync(dir, { recursive: true, force: true })
	}
}

const TOPICS = ['入井安全', '瓦斯', '顶板', '防治水', '动火作业', '有限空间', '触电', '消防', '急救', '劳动防护', '应急疏散', '隐患排查']
export const BENCH_TOPICS = TOPICS

/**
 * Migrates, loads the catalogue and inserts `count` synthetic questions: types in turn, one job
 * type each (so every job type gets all three types), one in ten for all job types.
 */
export async function fillBank(count: number) {
	const { db, dbKind, migrateDatabase } = await import('#app/utils/db.server.ts')
	const { syncCatalogue, readCatalogue } = await import('#app/content/catalogue.server.ts')
	const { questions, questionVersions } = await import('#db/schema.ts')
	await migrateDatabase()
	const catalogue = await readCatalogue()
	await syncCatalogue(db, catalogue)
	const jobs = catalogue.jobTypes.map((j) => j.code)
	const types = ['single', 'multiple', 'judge'] as const
	console.log(`${dbKind()}: inserting ${count} questions…`)
	const t0 = performance.now()
	for (let start = 0; start < count; start += 1000) {
		const rows = []
		const versions = []
		for (let i = start; i < Math.min(count, start + 1000); i++) {
			const id = randomUUID()
			const versionId = randomUUID()
			const type = types[i % 3]!
			const options = type === 'judge' ? [] : ['选项一', '选项二', '选项三', '选项四']
			const answer = type === 'judge' ? i % 2 === 0 : type === 'single' ? 'B' : 'AC'
			const q = { type, stem: `第 ${i} 题：关于${TOPICS[i % TOPICS.length]}的安全要求，下列说法正确的是哪一项？`, options, answer, explanation: '依据相关安全规程作答。', difficulty: (i % 5) + 1 }
			rows.push({ id, currentVersionId: versionId, ...q, part: i % 4 === 0 ? ('general' as const) : ('professional' as const), forAllJobTypes: i % 10 === 0, jobTypes: [jobs[Math.floor(i / 3) % jobs.length]!], topics: [TOPICS[i % TOPICS.length]!], updatedAt: new Date(Date.now() - i * 1000) })
			versions.push({ id: versionId, questionId: id, version: 1, ...q })
		}
		await db.insert(questions).values(rows)
		await db.insert(questionVersions).values(versions)
	}
	await db.execute(sql`analyze`)
	console.log(`inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
	return db
}

/** p50/p95/p99 of a list of milliseconds, to 0.1 ms. */
export function percentiles(xs: number[]) {
	const sorted = [...xs].sort((a, b) => a - b)
	const at = (p: number) => +sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!.toFixed(1)
	return { p50: at(50), p95: at(95), p99: at(99) }
}
