import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { and, asc, count, desc, eq, gt, inArray, isNull, like, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { competitionEntries, competitions, organizations, questionVersions, type PublicPaperItem } from '#db/schema.ts'
import type { Answer } from '#db/schema/bank.ts'
import { forbidden, notFound, requireUser } from '#app/auth/auth.server.ts'
import { hasRole, type SessionUser } from '#app/auth/scope.ts'
import { candidatesForRules } from '#app/exams/attempts.server.ts'
import { deadlineFor, GRACE_SECONDS, secondsLeft } from '#app/exams/deadline.ts'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { isWellFormedAnswer, toShownLetters } from '#app/exams/grading.ts'
import { drawPaper, ruleShortfalls } from '#app/exams/paper.ts'
import { parseAnswerField } from '#app/exams/taking.server.ts'
import { maskName, maskPhone } from '#app/people/identity.ts'
import { decryptPii, encryptPii, phoneLookupHash } from '#app/people/pii.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { db, type Db, type DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { newSeed } from '#app/utils/random.ts'
import { DUPLICATE_PHONE, QUESTION_KINDS, type CompetitionInput, type Registration } from './competition-form.ts'
import { byBoardOrder, durationOf, ENTRY_STATUS, formatUsed, gradePaper, submissionStatus, windowOf, withRanks, type AnswerKey } from './competitions.ts'

// 知识竞赛: organisers (scope, create, edit, entries, export) and participants (register with a
// device cookie, draw the paper, save, 交卷, result), the leaderboard, and the lazy closing of
// entries whose time ran out. The answer key never leaves this module before 交卷.

export type Competition = typeof competitions.$inferSelect
export type Entry = typeof competitionEntries.$inferSelect

export class CompetitionError extends Error {
	constructor(
		message: string,
		readonly status: number,
	) {
		super(message)
	}
}

// ---- organisers ------------------------------------------------------------------------------

/**
 * Who organises competitions: 系统管理员 (all), 监管人员 (those owned in their subtrees; new ones
 * belong to their scope organisation) and platform 内容编辑 (the platform's, owner null).
 */
export type CompetitionScope = { user: SessionUser; all: boolean; platform: boolean; roots: { orgId: string; path: string }[]; ownerOrgId: string | null }

export function competitionScopeOf(user: SessionUser): CompetitionScope | null {
	const all = hasRole(user, 'system_admin')
	const platform = all || user.roles.some((r) => r.role === 'content_editor' && r.orgId === null)
	const roots = user.roles.filter((r) => r.role === 'regulator' && r.orgId && r.orgPath).map((r) => ({ orgId: r.orgId!, path: r.orgPath! }))
	if (!platform && !roots.length) return null
	return { user, all, platform, roots, ownerOrgId: all ? null : (roots[0]?.orgId ?? null) }
}

export async function requireCompetitionScope(request: Request) {
	const scope = competitionScopeOf(await requireUser(request))
	if (!scope) throw forbidden()
	return scope
}

function inScope(scope: CompetitionScope): SQL | undefined {
	if (scope.all) return undefined
	return or(...(scope.platform ? [isNull(competitions.ownerOrgId)] : []), ...scope.roots.map((r) => like(organizations.path, `${r.path}%`)))
}

const canManage = (scope: CompetitionScope, owner: { id: string | null; path: string | null }) =>
	scope.all || (owner.id === null ? scope.platform : scope.roots.some((r) => owner.path?.startsWith(r.path)))

/** The competitions the organiser manages, newest window first, with their entry counts. */
export async function listManagedCompetitions(tx: DbOrTx, scope: CompetitionScope, { page = 1, pageSize = 20 } = {}) {
	const entries = tx
		.select({
			competitionId: competitionEntries.competitionId,
			total: count().as('total'),
			submitted: sql<number>`count(*) filter (where ${competitionEntries.status} = 'submitted')`.mapWith(Number).as('submitted'),
		})
		.from(competitionEntries)
		.groupBy(competitionEntries.competitionId)
		.as('entry_counts')
	const rows = await tx
		.select({ competition: competitions, ownerName: organizations.name, total: entries.total, submitted: entries.submitted })
		.from(competitions)
		.leftJoin(organizations, eq(organizations.id, competitions.ownerOrgId))
		.leftJoin(entries, eq(entries.competitionId, competitions.id))
		.where(inScope(scope))
		.orderBy(desc(competitions.opensAt), asc(competitions.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
	const [total] = await tx.select({ n: count() }).from(competitions).leftJoin(organizations, eq(organizations.id, competitions.ownerOrgId)).where(inScope(scope))
	return { total: total?.n ?? 0, rows }
}

/** A competition the organiser manages, by slug; null when unknown or out of scope (a 404). */
export async function loadManagedCompetition(tx: DbOrTx, scope: CompetitionScope, slug: string) {
	if (!/^[a-z0-9-]{1,60}$/.test(slug)) return null
	const [row] = await tx
		.select({ competition: competitions, ownerName: organizations.name, ownerPath: organizations.path })
		.from(competitions)
		.leftJoin(organizations, eq(organizations.id, competitions.ownerOrgId))
		.where(and(eq(competitions.slug, slug), inScope(scope)))
	if (!row || !canManage(scope, { id: row.competition.ownerOrgId, path: row.ownerPath })) return null
	return row
}

/** For the organiser's pages of one competition: 403 for non-organisers, 404 outside their scope. */
export async function requireManagedCompetition(request: Request, slug: string | undefined) {
	const scope = await requireCompetitionScope(request)
	const found = slug ? await loadManagedCompetition(db, scope, slug) : null
	if (!found) throw notFound('没有找到这个竞赛')
	return { scope, ...found }
}

const KIND_NAMES = Object.fromEntries(QUESTION_KINDS) as Record<string, string>

const isUniqueViolation = (error: unknown, constraint: string) => {
	const e = error as { code?: string; constraint_name?: string; constraint?: string; cause?: { code?: string; constraint_name?: string; constraint?: string } }
	const inner = e?.code === '23505' ? e : e?.cause?.code === '23505' ? e.cause : null
	return Boolean(inner && (inner.constraint_name ?? inner.constraint ?? constraint) === constraint)
}

// The platform's questions and the owner's, none meant only for 主要负责人/安全管理人员: the public takes it.
const PUBLIC_CANDIDATES = (ownerOrgId: string | null) => ({ ownerOrgId, category: 'general' as const })

/** A paper drawn by the rules: shuffled questions and options (a fixed paper is drawn once and shared). */
async function drawPublicPaper(tx: DbOrTx, rules: Competition['rules'], ownerOrgId: string | null): Promise<PublicPaperItem[]> {
	const candidates = await candidatesForRules(tx, rules, PUBLIC_CANDIDATES(ownerOrgId))
	return drawPaper({ rules, shuffleQuestions: true, shuffleOptions: true }, candidates, newSeed())
}

export type SaveCompetitionResult = { ok: true; slug: string } | { ok: false; errors: FormErrors }

/**
 * Creates a competition, or changes one that has not opened yet: checks the bank can satisfy the
 * rules (nothing written otherwise), draws the fixed paper when asked (again when the rules
 * change), then writes it and its audit entry in one transaction. The slug never changes.
 */
export async function saveCompetition(db: Db, scope: CompetitionScope, input: CompetitionInput, existing?: Competition, now = new Date()): Promise<SaveCompetitionResult> {
	if (existing && now >= existing.opensAt) return { ok: false, errors: { form: '竞赛已经开始，试卷和时间不能再修改，只能修改名称和说明' } }
	if (input.closesAt <= now) return { ok: false, errors: { closesAt: '结束时间须晚于现在' } }
	const ownerOrgId = existing ? existing.ownerOrgId : scope.ownerOrgId
	const candidates = await candidatesForRules(db, input.rules, PUBLIC_CANDIDATES(ownerOrgId))
	const shortfalls = ruleShortfalls(input.rules, candidates)
	if (shortfalls.length) {
		const errors: FormErrors = {}
		for (const s of shortfalls) {
			const rule = input.rules[s.rule]!
			errors[`${rule.type}Count`] = `题库中符合条件的${KIND_NAMES[rule.type]}只有 ${s.available} 道，还差 ${s.needed - s.available} 道`
		}
		errors.form = '题库不能满足试卷要求，请减少题数、放宽出题范围，或先向题库补充试题。'
		return { ok: false, errors }
	}
	if (!existing) {
		const [taken] = await db.select({ id: competitions.id }).from(competitions).where(eq(competitions.slug, input.slug))
		if (taken) return { ok: false, errors: { slug: '这个链接名已被使用，请换一个' } }
	}
	const rulesChanged = !existing || JSON.stringify(existing.rules) !== JSON.stringify(input.rules)
	const fixedPaper = !input.fixedPaper ? null : !rulesChanged && existing?.fixedPaper ? existing.fixedPaper : await drawPublicPaper(db, input.rules, ownerOrgId)
	const values = { title: input.title, description: input.description, opensAt: input.opensAt, closesAt: input.closesAt, timeLimitMinutes: input.timeLimitMinutes, rules: input.rules, fixedPaper }
	const id = existing?.id ?? randomUUID()
	try {
		await db.transaction(async (tx) => {
			if (existing) await tx.update(competitions).set({ ...values, updatedAt: now }).where(eq(competitions.id, id))
			else await tx.insert(competitions).values({ id, slug: input.slug, ownerOrgId, ...values, createdBy: scope.user.id, createdAt: now, updatedAt: now })
			await writeAudit(tx, {
				actorId: scope.user.id,
				action: existing ? 'competition.update' : 'competition.create',
				targetType: 'competition',
				targetId: id,
				orgId: ownerOrgId,
				detail: { slug: existing?.slug ?? input.slug, questions: input.rules.reduce((n, r) => n + r.count, 0), fixedPaper: Boolean(fixedPaper), drawn: fixedPaper !== null && fixedPaper !== existing?.fixedPaper },
			})
		})
	} catch (error) {
		if (isUniqueViolation(error, 'competitions_slug_unique')) return { ok: false, errors: { slug: '这个链接名已被使用，请换一个' } }
		throw error
	}
	return { ok: true, slug: existing?.slug ?? input.slug }
}

/** After opening, only the title and the description may change. */
export async function updateCompetitionDetails(db: Db, scope: CompetitionScope, existing: Competition, details: { title: string; description: string }, now = new Date()) {
	await db.transaction(async (tx) => {
		await tx.update(competitions).set({ ...details, updatedAt: now }).where(eq(competitions.id, existing.id))
		await writeAudit(tx, { actorId: scope.user.id, action: 'competition.update', targetType: 'competition', targetId: existing.id, orgId: existing.ownerOrgId, detail: { slug: existing.slug, fields: ['title', 'description'] } })
	})
}

// ---- the public side -------------------------------------------------------------------------

export async function competitionBySlug(tx: DbOrTx, slug: string | undefined) {
	if (!slug || !/^[a-z0-9-]{1,60}$/.test(slug)) return null
	const [row] = await tx.select({ competition: competitions, ownerName: organizations.name }).from(competitions).leftJoin(organizations, eq(organizations.id, competitions.ownerOrgId)).where(eq(competitions.slug, slug))
	return row ?? null
}

/** /competitions: running and upcoming ones, and the 20 most recently finished. */
export async function publicCompetitions(tx: DbOrTx, now = new Date()) {
	const columns = { slug: competitions.slug, title: competitions.title, opensAt: competitions.opensAt, closesAt: competitions.closesAt, timeLimitMinutes: competitions.timeLimitMinutes, rules: competitions.rules }
	const [current, finished] = await Promise.all([
		tx.select(columns).from(competitions).where(gt(competitions.closesAt, now)).orderBy(asc(competitions.opensAt), asc(competitions.slug)),
		tx.select(columns).from(competitions).where(lte(competitions.closesAt, now)).orderBy(desc(competitions.closesAt), asc(competitions.slug)).limit(20),
	])
	return { open: current.filter((c) => c.opensAt <= now), upcoming: current.filter((c) => c.opensAt > now), finished }
}

// The participant's device holds a random token; the table keeps only its SHA-256.
const ENTRY_COOKIE = 'competition_entry'
const tokenHashOf = (token: string) => createHash('sha256').update(token).digest('hex')
const isProduction = () => process.env.NODE_ENV === 'production'

/** HttpOnly, SameSite=Lax, only sent to this competition's pages; kept a month past the close to read the result. */
export function entryCookie(slug: string, token: string, closesAt: Date) {
	const expires = new Date(closesAt.getTime() + 30 * 24 * 3600_000)
	const parts = [`${ENTRY_COOKIE}=${token}`, `Path=/competitions/${slug}`, 'HttpOnly', 'SameSite=Lax', `Expires=${expires.toUTCString()}`]
	if (isProduction()) parts.push('Secure')
	return parts.join('; ')
}

function entryTokensFrom(request: Request) {
	const tokens: string[] = []
	for (const part of (request.headers.get('Cookie') ?? '').split(';')) {
		const [name, ...rest] = part.trim().split('=')
		const value = rest.join('=')
		if (name === ENTRY_COOKIE && /^[A-Za-z0-9_-]{43}$/.test(value)) tokens.push(value)
	}
	return tokens
}

/** The entry whose token the request carries for this competition, or null. */
export const entryOfRequest = (tx: DbOrTx, request: Request, competitionId: string) => entryByTokens(tx, competitionId, entryTokensFrom(request))

/** The competition's entry holding one of these device tokens, or null. */
export async function entryByTokens(tx: DbOrTx, competitionId: string, tokens: string[]) {
	const hashes = tokens.map(tokenHashOf)
	if (!hashes.length) return null
	const [entry] = await tx
		.select()
		.from(competitionEntries)
		.where(and(eq(competitionEntries.competitionId, competitionId), inArray(competitionEntries.tokenHash, hashes)))
	return entry ?? null
}

export type RegisterResult = { ok: true; token: string | null; entryId: string } | { ok: false; errors: FormErrors }

/**
 * 报名, only while the competition is open. One entry per phone number: the same phone again
 * resumes the entry if the request carries its cookie (token null: nothing new to set), and is
 * refused otherwise. The unique index decides between two registrations racing each other.
 */
export async function registerEntry(db: Db, competition: Competition, input: Registration, request: Request | null, now = new Date()): Promise<RegisterResult> {
	const window = windowOf(competition, now)
	if (window !== 'open') return { ok: false, errors: { form: window === 'upcoming' ? '竞赛尚未开始，开始后才能报名' : '竞赛已经结束，不能再报名' } }
	const phoneHash = phoneLookupHash(input.phone)
	const [existing] = await db
		.select({ id: competitionEntries.id, tokenHash: competitionEntries.tokenHash })
		.from(competitionEntries)
		.where(and(eq(competitionEntries.competitionId, competition.id), eq(competitionEntries.phoneHash, phoneHash)))
	if (existing) {
		if (request && entryTokensFrom(request).some((t) => tokenHashOf(t) === existing.tokenHash)) return { ok: true, token: null, entryId: existing.id }
		return { ok: false, errors: { phone: DUPLICATE_PHONE } }
	}
	const token = randomBytes(32).toString('base64url')
	const id = randomUUID()
	try {
		await db.insert(competitionEntries).values({
			id,
			competitionId: competition.id,
			tokenHash: tokenHashOf(token),
			name: input.name,
			phoneEnc: encryptPii(input.phone),
			phoneHash,
			organization: input.organization,
			registeredAt: now,
		})
	} catch (error) {
		if (isUniqueViolation(error, 'competition_entries_phone')) return { ok: false, errors: { phone: DUPLICATE_PHONE } }
		throw error
	}
	return { ok: true, token, entryId: id }
}

/**
 * 开始答题: the paper is the fixed one or drawn now by the rules, and the clock starts: the
 * deadline is the time limit from now, or the close if that comes first. A second press is a no-op.
 */
export async function startEntry(db: Db, competition: Competition, entry: Entry, now = new Date()) {
	if (entry.status !== 'registered') return
	if (windowOf(competition, now) !== 'open') throw new CompetitionError('竞赛已经结束，不能再开始答题', 409)
	let paper = competition.fixedPaper
	if (!paper) {
		try {
			paper = await drawPublicPaper(db, competition.rules, competition.ownerOrgId)
		} catch {
			throw new CompetitionError('题库中的题目暂时不足，无法组卷，请联系主办单位', 409)
		}
	}
	await db
		.update(competitionEntries)
		.set({ status: 'started', startedAt: now, deadlineAt: deadlineFor(now, competition.timeLimitMinutes, competition.closesAt), paper, maxScore: paper.reduce((n, i) => n + i.points, 0) })
		.where(and(eq(competitionEntries.id, entry.id), eq(competitionEntries.status, 'registered')))
}

async function versionsOf(tx: DbOrTx, paper: readonly PublicPaperItem[]) {
	const ids = [...new Set(paper.map((i) => i.versionId))]
	if (!ids.length) return new Map<string, typeof questionVersions.$inferSelect>()
	const rows = await tx.select().from(questionVersions).where(inArray(questionVersions.id, ids))
	return new Map(rows.map((v) => [v.id, v]))
}

/** The posted form's answers (fields q-1, q-2, …), each checked against its question; missing ones are null. */
function answersFrom(form: FormData, paper: readonly PublicPaperItem[], versions: Map<string, { type: AnswerKey['type']; options: string[] }>) {
	const answers: Record<string, Answer | null> = {}
	paper.forEach((item, i) => {
		const position = String(i + 1)
		const version = versions.get(item.versionId)
		const answer = parseAnswerField(form.getAll(`q-${position}`))
		answers[position] = version && isWellFormedAnswer(version.type, version.options.length, answer) ? answer : null
	})
	return answers
}

async function lockedEntry(tx: DbOrTx, entryId: string) {
	const [entry] = await tx.select().from(competitionEntries).where(eq(competitionEntries.id, entryId)).for('update')
	return entry ?? null
}

/** Saves the answers as they are given (the whole form). False once the entry no longer takes answers. */
export async function saveEntryAnswers(db: Db, entryId: string, form: FormData, now = new Date()) {
	return db.transaction(async (tx) => {
		const entry = await lockedEntry(tx, entryId)
		if (!entry || entry.status !== 'started' || !entry.paper || submissionStatus(now, entry.deadlineAt!) !== 'submitted') return false
		await tx.update(competitionEntries).set({ answers: answersFrom(form, entry.paper, await versionsOf(tx, entry.paper)) }).where(eq(competitionEntries.id, entryId))
		return true
	})
}

/**
 * 交卷. Within the deadline and its grace: the posted answers are saved and graded, the entry is
 * ranked by score and 用时. Later: 'late' — the posted answers are refused, the answers saved in
 * time are graded, and it is not ranked. An entry already closed is left as it is.
 */
export async function submitEntry(db: Db, competition: Competition, entryId: string, form: FormData, now = new Date()) {
	return db.transaction(async (tx) => {
		const entry = await lockedEntry(tx, entryId)
		if (!entry || entry.status !== 'started' || !entry.paper || !entry.startedAt || !entry.deadlineAt) return entry
		const versions = await versionsOf(tx, entry.paper)
		const status = submissionStatus(now, entry.deadlineAt)
		const answers = status === 'submitted' ? answersFrom(form, entry.paper, versions) : entry.answers
		const { score, maxScore } = gradePaper(entry.paper, versions, answers)
		const [closed] = await tx
			.update(competitionEntries)
			.set({ status, answers, submittedAt: now, score, maxScore, durationMs: status === 'submitted' ? durationOf(entry.startedAt, now, competition.timeLimitMinutes) : null })
			.where(eq(competitionEntries.id, entryId))
			.returning()
		return closed ?? null
	})
}

/**
 * Closes the competition's entries whose deadline and grace passed without 交卷: 'expired',
 * graded with the answers saved in time, not ranked. Run lazily by the pages that read entries;
 * rows are claimed with SKIP LOCKED and all closed by one UPDATE.
 */
export async function expireOverdueEntries(db: Db, competitionId: string, now = new Date()) {
	return db.transaction(async (tx) => {
		const due = await tx
			.select({ id: competitionEntries.id, paper: competitionEntries.paper, answers: competitionEntries.answers })
			.from(competitionEntries)
			.where(and(eq(competitionEntries.competitionId, competitionId), sql`${competitionEntries.status} = 'started'`, lt(competitionEntries.deadlineAt, new Date(now.getTime() - GRACE_SECONDS * 1000))))
			.for('update', { skipLocked: true })
		if (!due.length) return 0
		const versions = await versionsOf(tx, due.flatMap((e) => e.paper ?? []))
		const marks = due.map((e) => {
			const { score, maxScore } = gradePaper(e.paper ?? [], versions, e.answers)
			return { id: e.id, score, max_score: maxScore }
		})
		await tx.execute(sql`
			update ${competitionEntries} set status = 'expired', score = m.score, max_score = m.max_score
			from jsonb_to_recordset(${JSON.stringify(marks)}::jsonb) as m(id uuid, score int, max_score int)
			where ${competitionEntries.id} = m.id and ${competitionEntries.status} = 'started'`)
		return due.length
	})
}

/** The paper as the participant sees it while answering: stems and options in the order shown, no key. */
export async function paperForEntry(tx: DbOrTx, entry: Entry, now = new Date()) {
	const paper = entry.paper ?? []
	const versions = await versionsOf(tx, paper)
	return {
		questions: paper.map((item, i) => {
			const v = versions.get(item.versionId)!
			return { position: i + 1, type: v.type, stem: v.stem, points: item.points, options: v.type === 'judge' ? [] : item.optionOrder.map((k) => v.options[k]!) }
		}),
		// The participant's own answers as `given`: nothing on this page is called `answer`.
		given: entry.answers,
		deadlineAt: entry.deadlineAt!.toISOString(),
		now: now.toISOString(),
		secondsLeft: secondsLeft(now, entry.deadlineAt!),
		maxScore: entry.maxScore ?? 0,
	}
}

/** 1 + the ranked entries strictly ahead (higher score, or equal score in less time). */
export async function rankOf(tx: DbOrTx, entry: Entry) {
	if (entry.status !== 'submitted' || entry.score === null || entry.durationMs === null) return null
	const [row] = await tx
		.select({ ahead: count() })
		.from(competitionEntries)
		.where(
			and(
				eq(competitionEntries.competitionId, entry.competitionId),
				sql`${competitionEntries.status} = 'submitted'`,
				or(gt(competitionEntries.score, entry.score), and(eq(competitionEntries.score, entry.score), lt(competitionEntries.durationMs, entry.durationMs))),
			),
		)
	return (row?.ahead ?? 0) + 1
}

/** A closed entry's result: score, rank, and every question with the answer given, the key and the explanation. */
export async function resultForEntry(tx: DbOrTx, entry: Entry) {
	const paper = entry.paper ?? []
	const versions = await versionsOf(tx, paper)
	const { awarded } = gradePaper(paper, versions, entry.answers)
	return {
		status: entry.status,
		score: entry.score ?? 0,
		maxScore: entry.maxScore ?? 0,
		used: formatUsed(entry.durationMs),
		submittedAt: entry.submittedAt ? formatChinaTime(entry.submittedAt) : null,
		rank: await rankOf(tx, entry),
		review: paper.map((item, i) => {
			const v = versions.get(item.versionId)!
			return {
				position: i + 1,
				type: v.type,
				stem: v.stem,
				options: v.type === 'judge' ? [] : item.optionOrder.map((k) => v.options[k]!),
				given: entry.answers[String(i + 1)] ?? null,
				right: typeof v.answer === 'string' ? toShownLetters(v.answer, item.optionOrder) : v.answer,
				explanation: v.explanation,
				points: item.points,
				awarded: awarded[i] ?? 0,
			}
		}),
	}
}

// ---- standings -------------------------------------------------------------------------------

const BOARD_COLUMNS = {
	name: competitionEntries.name,
	organization: competitionEntries.organization,
	score: competitionEntries.score,
	durationMs: competitionEntries.durationMs,
	submittedAt: competitionEntries.submittedAt,
}

/** 排行榜: the ranked entries (交卷 in time) by score, then 用时, the top `limit`, names masked. */
export async function leaderboard(tx: DbOrTx, competitionId: string, limit = 100) {
	// 'submitted' as a literal and the index's own order, so competition_entries_board_idx serves it.
	const rows = await tx
		.select(BOARD_COLUMNS)
		.from(competitionEntries)
		.where(and(eq(competitionEntries.competitionId, competitionId), sql`${competitionEntries.status} = 'submitted'`))
		.orderBy(sql`${competitionEntries.score} desc nulls last`, asc(competitionEntries.durationMs), asc(competitionEntries.submittedAt))
		.limit(limit)
	return withRanks(rows.map((r) => ({ ...r, score: r.score ?? 0, durationMs: r.durationMs ?? 0 }))).map((r) => ({
		rank: r.rank,
		name: maskName(r.name),
		organization: r.organization,
		score: r.score,
		used: formatUsed(r.durationMs),
	}))
}

/**
 * Every entry for the organiser: the ranked ones in board order with their rank, then the others
 * (late, expired, still answering, never started) by registration.
 */
export async function standings(tx: DbOrTx, competitionId: string) {
	const rows = await tx.select().from(competitionEntries).where(eq(competitionEntries.competitionId, competitionId))
	const ranked = withRanks(
		rows
			.filter((r) => r.status === 'submitted')
			.map((r) => ({ ...r, score: r.score ?? 0, durationMs: r.durationMs ?? 0 }))
			.sort((a, b) => byBoardOrder(a, b) || a.submittedAt!.getTime() - b.submittedAt!.getTime()),
	)
	const others = rows.filter((r) => r.status !== 'submitted').sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || (a.id < b.id ? -1 : 1))
	return [...ranked, ...others.map((r) => ({ ...r, rank: null as number | null }))]
}

type Standing = Awaited<ReturnType<typeof standings>>[number]

/** One entry as the organiser's table shows it: the name in full, the phone masked. */
export function standingRow(r: Standing) {
	return {
		id: r.id,
		rank: r.rank,
		name: r.name,
		phone: maskPhone(decryptPii(r.phoneEnc)),
		organization: r.organization,
		status: ENTRY_STATUS[r.status],
		score: r.score,
		maxScore: r.maxScore,
		used: r.status === 'submitted' ? formatUsed(r.durationMs) : '—',
		submittedAt: r.submittedAt ? formatChinaTime(r.submittedAt) : '',
	}
}

/**
 * 成绩导出: every entry in rank order with the phone in full (the organiser contacts the winners),
 * so the export is written to the audit log.
 */
export async function resultsWorkbook(db: Db, scope: CompetitionScope, competition: Competition, now = new Date()) {
	await expireOverdueEntries(db, competition.id, now)
	const rows = await standings(db, competition.id)
	const workbook = new ExcelJS.Workbook()
	const sheet = workbook.addWorksheet('竞赛成绩')
	sheet.columns = [
		{ header: '名次', width: 6 },
		{ header: '姓名', width: 10 },
		{ header: '手机号', width: 14 },
		{ header: '单位', width: 28 },
		{ header: '得分', width: 8 },
		{ header: '满分', width: 8 },
		{ header: '用时', width: 8 },
		{ header: '交卷时间', width: 18 },
		{ header: '状态', width: 22 },
	]
	sheet.getRow(1).font = { bold: true }
	for (const r of rows) {
		sheet.addRow([
			r.rank ?? '',
			r.name,
			decryptPii(r.phoneEnc),
			r.organization,
			r.score ?? '',
			r.maxScore ?? '',
			r.status === 'submitted' ? formatUsed(r.durationMs) : '',
			r.submittedAt ? formatChinaTime(r.submittedAt) : '',
			ENTRY_STATUS[r.status],
		])
	}
	// Phone numbers as text: Excel would show an 11-digit number in scientific notation.
	sheet.getColumn(3).numFmt = '@'
	await writeAudit(db, {
		actorId: scope.user.id,
		action: 'competition.export',
		targetType: 'competition',
		targetId: competition.id,
		orgId: competition.ownerOrgId,
		detail: { entries: rows.length, ranked: rows.filter((r) => r.rank !== null).length },
	})
	return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer)
}
