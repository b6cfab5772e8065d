import {
	boolean,
	date,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid,
} from 'drizzle-orm/pg-core'
import { industries, organizations } from './orgs.ts'

// 人员类别
export const personCategory = pgEnum('person_category', [
	'principal', // 主要负责人
	'safety_manager', // 安全管理人员
	'special_operator', // 特种作业人员
	'general', // 一般从业人员
	'party_leader', // 党政领导干部
])

// 用工形式
export const employmentType = pgEnum('employment_type', [
	'formal', // 正式
	'dispatched', // 劳务派遣
	'outsourced', // 外包
	'flexible', // 灵活用工
])

export const jobTypes = pgTable('job_types', {
	code: text().primaryKey(),
	name: text().notNull(),
	industryCode: text()
		.notNull()
		.references(() => industries.code),
	// 特种作业 (or another licence-bearing job): the holder must have a valid operation certificate.
	specialOperation: boolean().notNull().default(false),
	certificateName: text(),
	description: text().notNull().default(''),
	sortOrder: integer().notNull().default(0),
})

export const people = pgTable(
	'people',
	{
		id: uuid().primaryKey(),
		orgId: uuid()
			.notNull()
			.references(() => organizations.id),
		name: text().notNull(),
		// Phone and 身份证号 are never stored in clear: AES-GCM ciphertext for display and
		// export, keyed HMAC for look-up and uniqueness.
		phoneEnc: text().notNull(),
		phoneHash: text().notNull().unique(),
		idNumberEnc: text(),
		idNumberHash: text().unique(),
		category: personCategory().notNull().default('general'),
		employmentType: employmentType().notNull().default('formal'),
		position: text().notNull().default(''),
		hiredOn: date({ mode: 'string' }),
		passwordHash: text(),
		mustChangePassword: boolean().notNull().default(false),
		passwordChangedAt: timestamp({ withTimezone: true }),
		// Deleting a person anonymises them (name, phone, 身份证号, password gone) and keeps their
		// training records until `recordsRetainedUntil` (6 years for 特种作业人员, 3 for 主要负责人 and 安全管理人员).
		anonymisedAt: timestamp({ withTimezone: true }),
		recordsRetainedUntil: date({ mode: 'string' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('people_org_idx').on(t.orgId), index('people_name_idx').on(t.name)],
)

export const personJobTypes = pgTable(
	'person_job_types',
	{
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		jobTypeCode: text()
			.notNull()
			.references(() => jobTypes.code),
		since: date({ mode: 'string' }),
	},
	(t) => [primaryKey({ columns: [t.personId, t.jobTypeCode] }), index('person_job_types_job_idx').on(t.jobTypeCode)],
)
