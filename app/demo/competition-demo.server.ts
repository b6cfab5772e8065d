import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { competitions, people, questions, questionVersions, type PaperRule } from '#db/schema.ts'
import { parseChinaTime } from '#app/exams/exam-form.ts'
import { toShownLetters } from '#app/exams/grading.ts'
import { orgByCode } from '#app/orgs/orgs.server.ts'
import { entryByTokens, registerEntry, startEntry, submitEntry, type Competition } from '#app/outreach/competitions.server.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import type { Db } from '#app/utils/db.server.ts'
import { addDays, chinaDay } from '#app/utils/days.ts'

// 知识竞赛 in the demo county: the 县安委办's “安全生产月” competition, open from 30 days ago to 30
// days ahead, 10 通用 questions drawn for each participant, 15 minutes; six invented participants
// took part through the real functions (two tie for first place).

export const DEMO_COMPETITION_SLUG = 'anquan-zhishi-jingsai'

/** 5 单选 + 2 多选 + 3 判断, 10 分 each: 100 分. */
export const DEMO_COMPETITION_RULES: PaperRule[] = [
	{ type: 'single', count: 5, points: 10, part: 'general' },
	{ type: 'multiple', count: 2, points: 10, part: 'general' },
	{ type: 'judge', count: 3, points: 10, part: 'general' },
]

// Invented people: [name, phone, organisation, questions answered right, seconds used].
const PARTICIPANTS: [string, string, string, number, number][] = [
	['张晓梅', '13600000001', '示范煤业有限公司', 10, 372],
	['李国华', '13600000002', '城关镇东街社区', 10, 372],
	['欧阳明轩', '13600000003', '示范县第一中学', 9, 340],
	['王志远', '13600000004', '示范化工有限公司', 9, 483],
	['赵雪', '13600000005', '西河镇河西村', 7, 600],
	['孙海波', '13600000006', '示范运输有限公司', 6, 545],
]

const DESCRIPTION = `每年六月是全国“安全生产月”。为普及安全生产法律法规和应急避险常识，示范县安全生产委员会办公室举办本次线上知识竞赛，欢迎企业职工、村（社区）居民和在校师生参加。

## 竞赛规则

- 报名时填写姓名、手机号和单位，每个手机号只有一次答题机会；
- 每人随机抽取 10 道题（单选、多选、判断），每题 10 分，限时 15 分钟；
- 按得分排名，得分相同的用时少者在前；
- 排行榜只显示部分姓名，手机号仅用于联系获奖者。

## 奖项设置

一等奖 3 名、二等奖 5 名、三等奖 10 名，竞赛结束后由主办单位电话联系。`

export async function seedCompetitionDemo(db: Db, now = new Date()) {
	// The paper draws from the shipped 通用 questions; without them (some tests) there is no demo competition.
	const [shipped] = await db.select({ id: questions.id }).from(questions).where(eq(questions.part, 'general')).limit(1)
	if (!shipped) return
	const office = await orgByCode(db, 'county-safety-office')
	const [organiser] = await db.select({ id: people.id }).from(people).where(eq(people.phoneHash, phoneLookupHash('13900000001')))
	const today = chinaDay(now)
	const id = randomUUID()
	const [competition] = await db
		.insert(competitions)
		.values({
			id,
			slug: DEMO_COMPETITION_SLUG,
			title: `${today.slice(0, 4)} 年“安全生产月”安全知识竞赛`,
			description: DESCRIPTION,
			ownerOrgId: office.id,
			opensAt: parseChinaTime(`${addDays(today, -30)}T00:00`)!,
			closesAt: parseChinaTime(`${addDays(today, 30)}T23:59`)!,
			timeLimitMinutes: 15,
			rules: DEMO_COMPETITION_RULES,
			fixedPaper: null,
			createdBy: organiser?.id ?? null,
			createdAt: new Date(now.getTime() - 31 * 86_400_000),
		})
		.returning()
	for (const [i, [name, phone, organization, right, seconds]] of PARTICIPANTS.entries()) {
		const at = new Date(now.getTime() - (PARTICIPANTS.length - i) * 86_400_000)
		await takePart(db, competition!, { name, phone, organization }, right, seconds, at)
	}
}

/** Registers, starts, answers the first `right` questions correctly (the rest left blank) and hands in. */
async function takePart(db: Db, competition: Competition, input: { name: string; phone: string; organization: string }, right: number, seconds: number, at: Date) {
	const registered = await registerEntry(db, competition, input, null, at)
	if (!registered.ok || !registered.token) throw new Error(`demo: could not register ${input.name}`)
	const device = [registered.token]
	await startEntry(db, competition, (await entryByTokens(db, competition.id, device))!, at)
	const entry = (await entryByTokens(db, competition.id, device))!
	const form = new FormData()
	for (const [i, item] of entry.paper!.slice(0, right).entries()) {
		const [version] = await db.select({ answer: questionVersions.answer }).from(questionVersions).where(eq(questionVersions.id, item.versionId))
		const answer = version!.answer
		if (typeof answer === 'boolean') form.set(`q-${i + 1}`, String(answer))
		else for (const letter of toShownLetters(answer, item.optionOrder)) form.append(`q-${i + 1}`, letter)
	}
	await submitEntry(db, competition, entry.id, form, new Date(at.getTime() + seconds * 1000))
}
