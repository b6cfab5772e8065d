import { hmac } from '@oslojs/crypto/hmac'
import { SHA256 } from '@oslojs/crypto/sha2'
import { eq, inArray } from 'drizzle-orm'
import { questionVersions, selfTestResults } from '#db/schema.ts'
import type { GradedPublicItem } from '#db/schema/outreach.ts'
import { candidatesForRules } from '#app/exams/attempts.server.ts'
import { scoreAnswer, toShownLetters } from '#app/exams/grading.ts'
import { drawPaper } from '#app/exams/paper.ts'
import { db } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { newSeed } from '#app/utils/random.ts'
import { OUTREACH_SETTINGS, type OutreachSetting } from './content-files.ts'
import { shippedOutreach } from './read.server.ts'
import { fillFromGeneral, postedAnswer, readPaper, resultIdOf, RESULT_ID, selfTestRules, signPaper, withoutTopics, type SelfTestPaper } from './self-test.ts'

// 公众自测 on the server: draw a paper from the platform's 通用 bank, grade a signed paper, read a result.

/** The signing key of self-test papers: derived from SESSION_SECRET under its own label. */
const paperKey = () => hmac(SHA256, new TextEncoder().encode(getEnv().SESSION_SECRET), new TextEncoder().encode('self-test-paper'))

// Platform questions (no enterprise's own) for everyone: the ones for 主要负责人 and 安全管理人员 stay out.
const PUBLIC_SCOPE = { ownerOrgId: null, category: 'general' } as const

async function topicsOf(setting: OutreachSetting) {
	const { pages } = await shippedOutreach()
	return pages.find((p) => p.slug === setting)?.frontMatter.selfTestTopics ?? null
}

export const selfTestTitle = (setting: OutreachSetting | null) => (setting ? `安全宣传进${OUTREACH_SETTINGS[setting]} · 自测` : '安全知识自测')

async function versionsOf(ids: string[]) {
	const rows = ids.length ? await db.select().from(questionVersions).where(inArray(questionVersions.id, ids)) : []
	return new Map(rows.map((v) => [v.id, v]))
}

/**
 * A fresh paper, signed, with its questions as the page shows them: options in the order drawn,
 * no answer, no explanation. Nothing is stored. Null for a 五进 setting without a page.
 */
export async function drawSelfTest(setting: OutreachSetting | null, now = new Date()) {
	const topics = setting ? await topicsOf(setting) : null
	if (setting && !topics) return null
	const rules = selfTestRules(topics)
	// A 五进 page's rules and the same rules over the whole 通用 bank (to top up), in one pass.
	const fallback = topics ? rules.map(withoutTopics) : []
	const candidates = await candidatesForRules(db, [...rules, ...fallback], PUBLIC_SCOPE)
	const plan = topics ? fillFromGeneral(rules, candidates.slice(0, rules.length), candidates.slice(rules.length)) : { rules, candidates }
	let items
	try {
		items = drawPaper({ rules: plan.rules, shuffleQuestions: false, shuffleOptions: true }, plan.candidates, newSeed())
	} catch {
		throw new Response('题库中的通用题目不足，暂时无法出题，请稍后再试', { status: 503 })
	}
	const paper: SelfTestPaper = { setting, issuedAt: now.getTime(), nonce: Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url'), items }
	const versions = await versionsOf(items.map((i) => i.versionId))
	return {
		setting,
		title: selfTestTitle(setting),
		token: signPaper(paperKey(), paper),
		maxScore: items.reduce((sum, i) => sum + i.points, 0),
		questions: items.map((item, index) => {
			const v = versions.get(item.versionId)!
			return { position: index + 1, type: v.type, stem: v.stem, points: item.points, options: item.optionOrder.map((i) => v.options[i]!) }
		}),
	}
}

export type SelfTestSubmission = { ok: true; id: string } | { ok: false; message: string }

/**
 * Grades a posted paper with the versions it was drawn with and stores the result under an id
 * derived from the signed paper: a second post of the same paper changes nothing and gives the same
 * id. A paper that is tampered with or older than 12 hours is refused and nothing is written.
 * Answers come as `q<position>`: display letters, or true/false.
 */
export async function submitSelfTest(form: FormData, now = new Date()): Promise<SelfTestSubmission> {
	const token = String(form.get('paper') ?? '')
	const read = readPaper(paperKey(), token, now)
	if (!read.ok) {
		return { ok: false, message: read.reason === 'expired' ? '这份试卷是 12 小时以前打开的，已经失效。请做下面这份新试卷。' : '试卷内容无法核对（可能被修改过），成绩没有保存。请做下面这份新试卷。' }
	}
	const { paper } = read
	const versions = await versionsOf(paper.items.map((i) => i.versionId))
	const graded: GradedPublicItem[] = []
	for (const [index, item] of paper.items.entries()) {
		const v = versions.get(item.versionId)
		// Versions are never deleted while their question lives; a question removed from the bank voids the paper.
		if (!v || v.questionId !== item.questionId) return { ok: false, message: '题库已更新，这份试卷无法评分。请做下面这份新试卷。' }
		const answer = postedAnswer(v.type, v.options.length, form.getAll(`q${index + 1}`).map(String))
		graded.push({ ...item, answer, awarded: scoreAnswer(v, answer, item.optionOrder, item.points) })
	}
	const id = resultIdOf(token)
	await db
		.insert(selfTestResults)
		.values({
			id,
			setting: paper.setting,
			paper: graded,
			score: graded.reduce((sum, i) => sum + i.awarded, 0),
			maxScore: graded.reduce((sum, i) => sum + i.points, 0),
			submittedAt: now,
		})
		.onConflictDoNothing()
	return { ok: true, id }
}

/** A stored result with every question: options as shown, the answer given, the right one, the explanation. */
export async function selfTestResult(id: string) {
	if (!RESULT_ID.test(id)) return null
	const [row] = await db.select().from(selfTestResults).where(eq(selfTestResults.id, id))
	if (!row) return null
	const versions = await versionsOf(row.paper.map((i) => i.versionId))
	const setting = (row.setting as OutreachSetting | null) ?? null
	return {
		id: row.id,
		setting,
		title: selfTestTitle(setting),
		score: row.score,
		maxScore: row.maxScore,
		submittedAt: row.submittedAt.toISOString(),
		questions: row.paper.flatMap((item, index) => {
			const v = versions.get(item.versionId)
			if (!v) return []
			return [
				{
					position: index + 1,
					type: v.type,
					stem: v.stem,
					options: item.optionOrder.map((i) => v.options[i]!),
					given: item.answer,
					right: typeof v.answer === 'string' ? toShownLetters(v.answer, item.optionOrder) : v.answer,
					explanation: v.explanation,
					points: item.points,
					awarded: item.awarded,
				},
			]
		}),
	}
}
