// Set-up for the exam benchmarks (scripts/load-exam.ts, scripts/chaos-exam.ts): in the database the
// environment names (DATABASE_URL, or the embedded PGlite under DATA_DIR), already migrated and
// seeded, creates N worker accounts of 示范煤业 with a session each, a template of 100 questions
// (50 单选 + 25 多选 + 25 判断 for 煤矿井下作业, in rule order: no question shuffle, so a load
// generator knows each position's type without reading the paper) and an exam assigned to all.
// Usage: tsx scripts/exam-bench-setup.ts <takers> <out.json>
// Writes { examId, tokens: string[], personIds: string[] } to out.json.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { and, eq, isNotNull } from 'drizzle-orm'
import { examTemplates, exams, people, type PaperRule } from '#db/schema.ts'
import { createSession } from '#app/auth/session.server.ts'
import { isDatabaseEmpty, seedDemo } from '#app/demo/seed.server.ts'
import { addAssignees } from '#app/exams/assign.server.ts'
import { candidatesForRules } from '#app/exams/attempts.server.ts'
import { ruleShortfalls } from '#app/exams/paper.ts'
import { orgByCode } from '#app/orgs/orgs.server.ts'
import { createPerson } from '#app/people/people.server.ts'
import { closeDatabase, db } from '#app/utils/db.server.ts'
import { prepareApp } from '#app/utils/startup.server.ts'

export const BENCH_RULES: PaperRule[] = [
	{ type: 'single', count: 50, points: 1, jobTypes: ['coal_underground'] },
	{ type: 'multiple', count: 25, points: 2, jobTypes: ['coal_underground'] },
	{ type: 'judge', count: 25, points: 1, jobTypes: ['coal_underground'] },
]

/** The question type at a position (1-based) of a paper drawn from BENCH_RULES without question shuffle. */
export function benchTypeAt(position: number): 'single' | 'multiple' | 'judge' {
	return position <= 50 ? 'single' : position <= 75 ? 'multiple' : 'judge'
}

/** A well-formed answer for a position: shown letters for 单选/多选 (every question has ≥ 2 options), true/false for 判断. */
export function benchAnswer(position: number, n: number): string {
	const type = benchTypeAt(position)
	if (type === 'single') return n % 2 ? 'A' : 'B'
	if (type === 'multiple') return n % 2 ? 'AB' : 'A'
	return n % 2 ? 'true' : 'false'
}

async function main() {
	const takers = Number(process.argv[2] ?? 1000)
	const out = process.argv[3]
	if (!out) throw new Error('usage: exam-bench-setup.ts <takers> <out.json>')

	// PGlite seeds itself here (as on its first start); a PostgreSQL server was seeded by scripts/seed.ts.
	await prepareApp()
	if (await isDatabaseEmpty(db)) await seedDemo(db)

	const org = await orgByCode(db, 'demo-coal')
	const [holder] = await db.select({ hash: people.passwordHash }).from(people).where(isNotNull(people.passwordHash)).limit(1)
	if (!holder?.hash) throw new Error('no seeded account to borrow a password hash from')

	const candidates = await candidatesForRules(db, BENCH_RULES, { ownerOrgId: null, category: 'general' })
	const short = ruleShortfalls(BENCH_RULES, candidates)
	if (short.length) throw new Error(`the shipped bank cannot satisfy the benchmark template: ${JSON.stringify(short)}`)

	const personIds: string[] = []
	for (let start = 0; start < takers; start += 100) {
		await db.transaction(async (tx) => {
			for (let i = start; i < Math.min(takers, start + 100); i++) {
				personIds.push(
					await createPerson(tx, {
						orgId: org.id,
						name: `压测${i + 1}`,
						phone: `137${String(10_000_000 + i).slice(-8)}`,
						category: 'general',
						employmentType: 'formal',
						jobTypes: ['coal_underground'],
						passwordHash: holder.hash,
						mustChangePassword: false,
					}),
				)
			}
		})
	}
	const tokens: string[] = []
	for (const id of personIds) tokens.push((await createSession(id)).token)

	const templateId = randomUUID()
	const examId = randomUUID()
	const now = new Date()
	await db.transaction(async (tx) => {
		await tx.insert(examTemplates).values({
			id: templateId,
			ownerOrgId: null,
			title: '压测：煤矿井下作业 100 题',
			purpose: 'pre_job',
			jobTypes: ['coal_underground'],
			timeLimitMinutes: 120,
			passMark: 60,
			attemptsAllowed: 1,
			rules: BENCH_RULES,
			shuffleQuestions: false,
			shuffleOptions: true,
			partialCredit: false,
			showReview: true,
		})
		await tx.insert(exams).values({ id: examId, templateId, ownerOrgId: org.id, title: '压测：煤矿井下作业 100 题', opensAt: new Date(now.getTime() - 3600_000), closesAt: new Date(now.getTime() + 24 * 3600_000) })
		for (let i = 0; i < personIds.length; i += 500) await addAssignees(tx, examId, personIds.slice(i, i + 500), now)
	})
	const [check] = await db.select({ id: exams.id }).from(exams).where(and(eq(exams.id, examId), eq(exams.templateId, templateId)))
	if (!check) throw new Error('exam not created')
	fs.writeFileSync(out, JSON.stringify({ examId, tokens, personIds }))
	await closeDatabase()
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
