import { boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { examTemplates, exams } from './exams.ts'
import { organizations } from './orgs.ts'
import { people } from './people.ts'

// Oversight by the 安委办 and township inspectors: 随机抽考 spot checks and 逢查必考 inspections.

/** Who may be drawn: everyone under `orgId` matching every non-empty list. */
export type SpotCheckPopulation = {
	orgId: string
	categories: string[]
	industryCodes: string[]
	jobTypes: string[]
	employmentTypes: string[]
}

// 随机抽考: the sample is a deterministic function of the seed and the frozen population.
export const spotChecks = pgTable(
	'spot_checks',
	{
		id: uuid().primaryKey(),
		title: text().notNull(),
		// The regulator's organisation the check belongs to (its scope root).
		ownerOrgId: uuid()
			.notNull()
			.references(() => organizations.id),
		population: jsonb().$type<SpotCheckPopulation>().notNull(),
		// Either a number of people or a percentage of the population.
		sampleSize: integer(),
		samplePercent: integer(),
		minPerEnterprise: integer().notNull().default(0),
		templateId: uuid()
			.notNull()
			.references(() => examTemplates.id),
		// The exam given to the drawn people, with the check's window.
		examId: uuid().references(() => exams.id),
		opensAt: timestamp({ withTimezone: true }).notNull(),
		closesAt: timestamp({ withTimezone: true }).notNull(),
		// Recorded at draw time: the seed (hex) and the size of the frozen population.
		seed: text().notNull(),
		populationSize: integer().notNull(),
		drawnAt: timestamp({ withTimezone: true }).notNull(),
		createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('spot_checks_owner_idx').on(t.ownerOrgId)],
)

// The population as it was at draw time, in the stable order the draw used (by person id),
// with each person's enterprise for the per-enterprise minimum.
export const spotCheckPopulation = pgTable(
	'spot_check_population',
	{
		spotCheckId: uuid()
			.notNull()
			.references(() => spotChecks.id, { onDelete: 'cascade' }),
		position: integer().notNull(),
		personId: uuid()
			.notNull()
			.references(() => people.id),
		orgId: uuid()
			.notNull()
			.references(() => organizations.id),
		drawn: boolean().notNull().default(false),
	},
	(t) => [primaryKey({ columns: [t.spotCheckId, t.position] }), uniqueIndex('spot_check_population_person').on(t.spotCheckId, t.personId)],
)

export const hazardStatus = pgEnum('hazard_status', ['open', 'rectified'])

// An inspection of an enterprise (执法检查): a simple record, not a hazard-management system.
export const inspections = pgTable(
	'inspections',
	{
		id: uuid().primaryKey(),
		orgId: uuid()
			.notNull()
			.references(() => organizations.id),
		inspectedOn: date({ mode: 'string' }).notNull(),
		inspectors: text().notNull(),
		findings: text().notNull().default(''),
		createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('inspections_org_idx').on(t.orgId, t.inspectedOn)],
)

export const inspectionHazards = pgTable(
	'inspection_hazards',
	{
		id: uuid().primaryKey(),
		inspectionId: uuid()
			.notNull()
			.references(() => inspections.id, { onDelete: 'cascade' }),
		description: text().notNull(),
		// 整改期限
		rectifyBy: date({ mode: 'string' }).notNull(),
		status: hazardStatus().notNull().default('open'),
		rectifiedOn: date({ mode: 'string' }),
	},
	(t) => [index('inspection_hazards_inspection_idx').on(t.inspectionId)],
)

// 逢查必考: a short quiz started during an inspection, joined by code or QR code.
export const onsiteQuizzes = pgTable(
	'onsite_quizzes',
	{
		id: uuid().primaryKey(),
		inspectionId: uuid()
			.notNull()
			.references(() => inspections.id, { onDelete: 'cascade' }),
		examId: uuid()
			.notNull()
			.references(() => exams.id),
		// Six digits, unique among quizzes still open.
		joinCode: text().notNull(),
		closedAt: timestamp({ withTimezone: true }),
		createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('onsite_quizzes_code_idx').on(t.joinCode), uniqueIndex('onsite_quizzes_exam_unique').on(t.examId)],
)
