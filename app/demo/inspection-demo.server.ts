import { asc, eq } from 'drizzle-orm'
import { inspectionHazards, people, questions } from '#db/schema.ts'
import { loadSessionUser } from '#app/auth/auth.server.ts'
import { createInspection, inspectionInScope, inspectorScopeOf, rectifyHazard } from '#app/oversight/inspections.server.ts'
import { closeOnsiteQuiz, joinQuiz, quizByCode, quizOfInspection, startOnsiteQuiz } from '#app/oversight/onsite-quiz.server.ts'
import { orgByCode } from '#app/orgs/orgs.server.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import { addDays, chinaDay } from '#app/utils/days.ts'
import type { Db } from '#app/utils/db.server.ts'
import { sitExam } from './sit-exam.server.ts'

// 逢查必考 in the demo: 东山乡's inspector (13900000002) inspected 示范煤业 two days ago, found two
// hazards (one rectified since) and ran an on-site quiz that three miners took — two passed, one
// failed (which opened a 脱产培训 order) — through the real functions, at past times.

const MINUTE = 60_000

export async function seedInspectionDemo(db: Db, now = new Date()) {
	// The quiz draws from the shipped questions; without them (some tests) there is no demo inspection.
	const [shipped] = await db.select({ id: questions.id }).from(questions).limit(1)
	if (!shipped) return
	const [inspector] = await db.select({ id: people.id }).from(people).where(eq(people.phoneHash, phoneLookupHash('13900000002')))
	const user = inspector ? await loadSessionUser(inspector.id) : null
	const scope = user ? inspectorScopeOf(user) : null
	if (!user || !scope) throw new Error('demo: the 东山乡 inspector is missing')
	const coal = await orgByCode(db, 'demo-coal')
	const at = new Date(now.getTime() - 2 * 24 * 60 * MINUTE)
	const inspectedOn = chinaDay(at)

	const created = await createInspection(
		db,
		user,
		scope,
		{
			orgId: coal.id,
			inspectedOn,
			inspectors: '陈海涛、王磊',
			findings: '检查了 3102 掘进工作面、主运输巷和井下变电所。安全管理制度齐全，班前会记录完整；个别作业人员对自救器使用要领掌握不熟练。',
			hazards: [
				{ description: '主运输巷 2 号皮带机头防护栏缺失', rectifyBy: addDays(inspectedOn, 1) },
				{ description: '井下变电所灭火器 2 具压力不足', rectifyBy: addDays(inspectedOn, 7) },
			],
		},
		at,
	)
	if (!created.ok) throw new Error(`demo: inspection not recorded: ${JSON.stringify(created.errors)}`)
	const found = (await inspectionInScope(db, scope, created.id))!
	const [guardRail] = await db.select({ id: inspectionHazards.id }).from(inspectionHazards).where(eq(inspectionHazards.inspectionId, created.id)).orderBy(asc(inspectionHazards.rectifyBy))
	await rectifyHazard(db, user, found, guardRail!.id, addDays(inspectedOn, 1))

	const quizAt = new Date(at.getTime() + 60 * MINUTE)
	const started = await startOnsiteQuiz(db, user, scope, found, { questionCount: 5, minutes: 5 }, quizAt)
	if (!started.ok) throw new Error(`demo: on-site quiz not started: ${JSON.stringify(started.errors)}`)
	const q = (await quizOfInspection(db, created.id, started.quizId))!
	const joinable = (await quizByCode(db, q.quiz.joinCode))!

	const staff = await db.select({ id: people.id, position: people.position }).from(people).where(eq(people.orgId, coal.id))
	const takers: [string, boolean][] = [
		['掘进工', true],
		['运输工', true],
		['采煤工', false],
	]
	for (const [i, [position, pass]] of takers.entries()) {
		const person = staff.find((p) => p.position === position)
		if (!person) throw new Error(`demo: nobody at 示范煤业 is ${position}`)
		const joinedAt = new Date(quizAt.getTime() + (i + 1) * MINUTE)
		const joined = await joinQuiz(db, joinable, { id: person.id, orgPath: coal.path }, 'session', joinedAt)
		if (!joined.ok) throw new Error(`demo: ${position} could not join: ${joined.error}`)
		await sitExam(db, joined.examId, person.id, joinedAt, { pass, minutes: 3 })
	}
	await closeOnsiteQuiz(db, user, found, q, new Date(quizAt.getTime() + 15 * MINUTE))
}
