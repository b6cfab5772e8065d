import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import type { Answer } from './bank.ts'
import type { PaperRule } from './exams.ts'
import { organizations } from './orgs.ts'
import { people } from './people.ts'

/** One question of a public paper, frozen when drawn: the exact version and the option order shown. */
export type PublicPaperItem = { questionId: string; versionId: string; optionOrder: number[]; points: number }

/** A graded public paper: each item with the answer given (display letters or true/false) and the points awarded. */
export type GradedPublicItem = PublicPaperItem & { answer: Answer | null; awarded: number }

// 公众自测: a graded self-test kept under a random id so that its result page can be shared.
// It holds no personal data; the paper was drawn on the page and signed, so nothing is stored before 交卷.
export const selfTestResults = pgTable(
	'self_test_results',
	{
		id: text().primaryKey(),
		// The 五进 setting whose topics the test was drawn from; null for the general self-test.
		setting: text(),
		paper: jsonb().$type<GradedPublicItem[]>().notNull(),
		score: integer().notNull(),
		maxScore: integer().notNull(),
		submittedAt: timestamp({ withTimezone: true }).notNull(),
	},
	(t) => [index('self_test_results_submitted_idx').on(t.submittedAt)],
)

// 知识竞赛: a public competition with a time window and one scored attempt per phone number.
export const competitions = pgTable('competitions', {
	id: uuid().primaryKey(),
	slug: text().notNull().unique(),
	title: text().notNull(),
	// Markdown: rules, prizes, organiser.
	description: text().notNull().default(''),
	// The organiser's organisation (its 安委办 or the platform when null): whose staff manage it.
	ownerOrgId: uuid().references(() => organizations.id),
	opensAt: timestamp({ withTimezone: true }).notNull(),
	closesAt: timestamp({ withTimezone: true }).notNull(),
	timeLimitMinutes: integer().notNull(),
	rules: jsonb().$type<PaperRule[]>().notNull(),
	// A fixed paper, the same for everyone; null: each participant draws their own by the rules.
	fixedPaper: jsonb().$type<PublicPaperItem[]>(),
	createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
})

export const entryStatus = pgEnum('competition_entry_status', [
	'registered', // signed up, paper not yet drawn
	'started', // paper drawn, the clock runs
	'submitted', // graded and ranked
	'late', // 交卷 arrived after the deadline and its grace: not ranked
	'expired', // the deadline passed without 交卷: not ranked
])

// A participant of a competition. Registering twice with one phone number is refused; the
// participant's device holds a secret cookie whose SHA-256 is `tokenHash`.
export const competitionEntries = pgTable(
	'competition_entries',
	{
		id: uuid().primaryKey(),
		competitionId: uuid()
			.notNull()
			.references(() => competitions.id, { onDelete: 'cascade' }),
		tokenHash: text().notNull().unique(),
		name: text().notNull(),
		phoneEnc: text().notNull(),
		phoneHash: text().notNull(),
		organization: text().notNull(),
		status: entryStatus().notNull().default('registered'),
		registeredAt: timestamp({ withTimezone: true }).notNull(),
		startedAt: timestamp({ withTimezone: true }),
		deadlineAt: timestamp({ withTimezone: true }),
		paper: jsonb().$type<PublicPaperItem[]>(),
		// Display-letter answers by position, saved as they are given and at 交卷.
		answers: jsonb().$type<Record<string, Answer | null>>().notNull().default({}),
		submittedAt: timestamp({ withTimezone: true }),
		score: integer(),
		maxScore: integer(),
		// submittedAt − startedAt: the tie-breaker of the leaderboard.
		durationMs: integer(),
	},
	(t) => [
		uniqueIndex('competition_entries_phone').on(t.competitionId, t.phoneHash),
		index('competition_entries_board_idx')
			.on(t.competitionId, t.score.desc(), t.durationMs, t.submittedAt)
			.where(sql`${t.status} = 'submitted'`),
	],
)

export const articleStatus = pgEnum('article_status', ['draft', 'published'])

// Outreach pages an editor publishes from the browser (notices, campaign pages, 五进 articles),
// alongside the shipped ones in content/.
export const articles = pgTable(
	'articles',
	{
		id: uuid().primaryKey(),
		slug: text().notNull().unique(),
		title: text().notNull(),
		summary: text().notNull(),
		body: text().notNull(),
		// A 五进 setting (enterprise, rural, …) whose page lists the article; null for none.
		setting: text(),
		status: articleStatus().notNull().default('draft'),
		publishedAt: timestamp({ withTimezone: true }),
		createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		updatedBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('articles_published_idx').on(t.publishedAt).where(sql`${t.status} = 'published'`)],
)
