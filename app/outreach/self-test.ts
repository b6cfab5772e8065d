import { hmac } from '@oslojs/crypto/hmac'
import { sha256, SHA256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { decodeBase64urlIgnorePadding, encodeBase32LowerCaseNoPadding, encodeBase64urlNoPadding } from '@oslojs/encoding'
import { z } from 'zod'
import type { PaperRule } from '#db/schema/exams.ts'
import type { PublicPaperItem } from '#db/schema/outreach.ts'
import type { Candidate } from '#app/exams/paper.ts'
import { OUTREACH_SETTINGS, type OutreachSetting } from './content-files.ts'

// 公众自测: the paper is drawn on the page and travels with the form, signed, so nothing is stored
// until 交卷. Pure: keys, clocks and candidates are passed in.

/** The general self-test: 10 questions of the 通用 bank, 100 points. */
const GENERAL_MIX: PaperRule[] = [
	{ type: 'single', count: 4, points: 10, part: 'general' },
	{ type: 'multiple', count: 2, points: 10, part: 'general' },
	{ type: 'judge', count: 4, points: 10, part: 'general' },
]

/** The short self-test of a 五进 page: 5 questions, 100 points. */
const SETTING_MIX: PaperRule[] = [
	{ type: 'single', count: 2, points: 20, part: 'general' },
	{ type: 'multiple', count: 1, points: 20, part: 'general' },
	{ type: 'judge', count: 2, points: 20, part: 'general' },
]

/** The rules of a self-test; with topics (a 五进 page's), each rule draws only from them. */
export function selfTestRules(topics: string[] | null): PaperRule[] {
	return topics ? SETTING_MIX.map((rule) => ({ ...rule, topics })) : GENERAL_MIX
}

export const withoutTopics = ({ topics: _, ...rule }: PaperRule): PaperRule => rule

/**
 * Rules and candidates for drawPaper when a 五进 page's topics may fall short: each rule takes what
 * its topics offer, and the rest of its count comes from the whole 通用 bank (`fallback[i]`, the same
 * rule without topics). drawPaper never draws a question twice, so the top-up skips those taken.
 */
export function fillFromGeneral(rules: PaperRule[], byTopic: Candidate[][], fallback: Candidate[][]) {
	const planned: { rules: PaperRule[]; candidates: Candidate[][] } = { rules: [], candidates: [] }
	rules.forEach((rule, i) => {
		const topical = byTopic[i] ?? []
		const take = Math.min(rule.count, topical.length)
		if (take > 0) {
			planned.rules.push({ ...rule, count: take })
			planned.candidates.push(topical)
		}
		if (take < rule.count) {
			planned.rules.push({ ...withoutTopics(rule), count: rule.count - take })
			planned.candidates.push(fallback[i] ?? [])
		}
	})
	return planned
}

export const isOutreachSetting = (value: string | null | undefined): value is OutreachSetting => !!value && Object.hasOwn(OUTREACH_SETTINGS, value)

// ---- the signed paper ------------------------------------------------------------------------

/** A paper is accepted for 12 hours after it was drawn. */
export const PAPER_MAX_AGE_MS = 12 * 60 * 60 * 1000
// Several app instances may disagree on the time by a little.
const CLOCK_SKEW_MS = 5 * 60 * 1000

export type SelfTestPaper = {
	setting: OutreachSetting | null
	/** When it was drawn, milliseconds since the epoch. */
	issuedAt: number
	/** Random: two visitors who draw the same questions at the same moment still get two results. */
	nonce: string
	items: PublicPaperItem[]
}

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
const paperSchema = z.object({
	setting: z.enum(Object.keys(OUTREACH_SETTINGS) as [OutreachSetting, ...OutreachSetting[]]).nullable(),
	issuedAt: z.number().int().nonnegative(),
	nonce: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
	items: z
		.array(
			z.object({
				questionId: uuid,
				versionId: uuid,
				optionOrder: z.array(z.number().int().min(0).max(7)).max(8),
				points: z.number().int().min(1).max(100),
			}),
		)
		.min(1)
		.max(20),
})

const encoder = new TextEncoder()
const signatureOf = (key: Uint8Array, body: string) => hmac(SHA256, key, encoder.encode(`self-test:${body}`))

/** "<payload, base64url JSON>.<HMAC-SHA256, base64url>": the hidden field of the form. */
export function signPaper(key: Uint8Array, paper: SelfTestPaper) {
	const body = encodeBase64urlNoPadding(encoder.encode(JSON.stringify(paper)))
	return `${body}.${encodeBase64urlNoPadding(signatureOf(key, body))}`
}

export type ReadPaper = { ok: true; paper: SelfTestPaper } | { ok: false; reason: 'invalid' | 'expired' }

/** The paper of a signed token, if the signature holds and it is at most 12 hours old. */
export function readPaper(key: Uint8Array, token: string, now: Date): ReadPaper {
	const match = /^([A-Za-z0-9_-]{1,8000})\.([A-Za-z0-9_-]{43})$/.exec(token)
	if (!match) return { ok: false, reason: 'invalid' }
	const [, body, signature] = match as unknown as [string, string, string]
	if (!constantTimeEqual(signatureOf(key, body), decodeBase64urlIgnorePadding(signature))) return { ok: false, reason: 'invalid' }
	let parsed
	try {
		parsed = paperSchema.safeParse(JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(body))))
	} catch {
		return { ok: false, reason: 'invalid' }
	}
	if (!parsed.success) return { ok: false, reason: 'invalid' }
	const age = now.getTime() - parsed.data.issuedAt
	if (age > PAPER_MAX_AGE_MS || age < -CLOCK_SKEW_MS) return { ok: false, reason: 'expired' }
	return { ok: true, paper: parsed.data }
}

/**
 * The result id of a signed paper: base32 of the first 15 bytes of its SHA-256 (24 letters). The
 * same paper posted twice (a double tap, a resent form) lands on the same result.
 */
export function resultIdOf(token: string) {
	return encodeBase32LowerCaseNoPadding(sha256(encoder.encode(token)).slice(0, 15))
}

export const RESULT_ID = /^[a-z2-7]{24}$/

// ---- answers and verdict ---------------------------------------------------------------------

/** A posted answer as display letters ("AC") or true/false; null when blank or malformed. */
export function postedAnswer(type: 'single' | 'multiple' | 'judge', optionCount: number, values: string[]) {
	if (type === 'judge') return values.length === 1 && (values[0] === 'true' || values[0] === 'false') ? values[0] === 'true' : null
	const allowed = 'ABCDEFGH'.slice(0, optionCount)
	const letters = [...new Set(values.filter((v) => v.length === 1 && allowed.includes(v)))].sort()
	if (letters.length === 0 || (type === 'single' && letters.length > 1)) return null
	return letters.join('')
}

/** A plain verdict: 60% 合格, 90% 优秀. */
export function selfTestVerdict(score: number, maxScore: number) {
	const share = maxScore > 0 ? score / maxScore : 0
	if (share >= 0.9) return { passed: true, label: '优秀', advice: '安全知识掌握得很好，请把这些常识也讲给家人和同事听。' }
	if (share >= 0.6) return { passed: true, label: '合格', advice: '基本掌握了安全常识，看看下面答错题目的解析，查漏补缺。' }
	return { passed: false, label: '不合格', advice: '还需要加强学习：请认真阅读每道题的解析，再测一次。' }
}
