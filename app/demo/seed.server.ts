import { randomUUID } from 'node:crypto'
import { and, arrayContains, count, eq, inArray } from 'drizzle-orm'
import { courses, examTemplates, exams, jobTypes, people, personJobTypes, roleAssignments, type PaperRule } from '#db/schema.ts'
import { hashPassword } from '#app/auth/password.server.ts'
import { createOrganization, orgByCode } from '#app/orgs/orgs.server.ts'
import type { EmploymentType, PersonCategory, RoleName } from '#app/people/labels.ts'
import { createPerson } from '#app/people/people.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { addAssignees } from '#app/exams/assign.server.ts'
import { withCheckDigit } from '#app/people/identity.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import { insertPlan } from '#app/records/plans.server.ts'
import { insertOfflineTraining } from '#app/records/offline.server.ts'
import { seedClearanceDemo, seedRotationRule } from './clearance-demo.server.ts'
import { seedCompetitionDemo } from './competition-demo.server.ts'
import { seedInspectionDemo } from './inspection-demo.server.ts'
import { seedSpotCheckDemo } from './spot-check-demo.server.ts'
import { addDays, chinaDay } from '#app/utils/days.ts'

// 示范县 demo data: enterprises of different industries, ~60 people, one account per role.
// Deterministic, so README and tests can name people and numbers.

export const DEMO_PASSWORD = 'Anquan@2026'

export const DEMO_ENTERPRISES = [
	{ code: 'demo-coal', name: '示范煤业有限公司', township: 'dongshan', industry: 'coal' },
	{ code: 'demo-chem', name: '示范化工有限公司', township: 'xihe', industry: 'hazchem' },
	{ code: 'demo-build', name: '示范建设工程有限公司', township: 'chengguan', industry: 'construction' },
	{ code: 'demo-gas', name: '示范燃气有限公司', township: 'chengguan', industry: 'gas' },
	{ code: 'demo-transport', name: '示范运输有限公司', township: 'nanling', industry: 'road_transport' },
] as const

type DemoPerson = {
	name: string
	phone: string
	org: string
	category: PersonCategory
	employmentType: EmploymentType
	position?: string
	jobTypes?: string[]
	/** [role, scope org code or null for platform-wide] */
	roles?: [RoleName, string | null][]
	account?: boolean
}

export const DEMO_ACCOUNTS: DemoPerson[] = (
	[
	{ name: '王建国', phone: '13900000000', org: 'county-emergency-bureau', category: 'general', employmentType: 'formal', position: '信息中心工程师', roles: [['system_admin', null]] },
	{ name: '刘志强', phone: '13900000001', org: 'county-safety-office', category: 'party_leader', employmentType: 'formal', position: '县安委办副主任', roles: [['regulator', 'demo-county']] },
	{ name: '陈海涛', phone: '13900000002', org: 'dongshan', category: 'party_leader', employmentType: 'formal', position: '乡安全生产监管站站长', roles: [['regulator', 'dongshan']] },
	{ name: '赵立新', phone: '13900000003', org: 'demo-coal', category: 'safety_manager', employmentType: 'formal', position: '安全科科长', jobTypes: ['coal_underground'], roles: [['enterprise_admin', 'demo-coal']] },
	{ name: '孙丽华', phone: '13900000004', org: 'county-emergency-bureau', category: 'general', employmentType: 'formal', position: '宣教科科员', roles: [['content_editor', null]] },
	{ name: '李大山', phone: '13900000010', org: 'demo-coal', category: 'general', employmentType: 'formal', position: '综采队采煤工', jobTypes: ['coal_underground'] },
	{ name: '周小龙', phone: '13900000011', org: 'demo-chem', category: 'general', employmentType: 'dispatched', position: '合成车间操作工', jobTypes: ['hazchem_operator'] },
] satisfies DemoPerson[]
).map((p) => ({ ...p, account: true }))

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = ['建军', '志刚', '春生', '晓东', '红梅', '国强', '海燕', '文杰', '秀英', '永福', '丽娟', '德胜', '小勇', '学军', '玉兰', '宏伟', '明亮', '桂芳', '振华', '俊峰', '爱民', '少华', '金山', '月娥', '长青', '凤英', '保平', '新民', '慧敏', '天宇']

// Roster per enterprise: [category, employment type, job types, position].
const ROSTERS: Record<string, [PersonCategory, EmploymentType, string[], string][]> = {
	'demo-coal': [
		['principal', 'formal', [], '矿长'],
		['safety_manager', 'formal', ['coal_underground'], '安全副矿长'],
		['special_operator', 'formal', ['coal_gas_inspector'], '瓦斯检查工'],
		['special_operator', 'formal', ['coal_safety_inspector'], '安全检查工'],
		['special_operator', 'formal', ['coal_electrician'], '井下电钳工'],
		['special_operator', 'formal', ['coal_blasting'], '爆破工'],
		['special_operator', 'formal', ['coal_hoist'], '提升机司机'],
		['general', 'formal', ['coal_underground'], '掘进工'],
		['general', 'formal', ['coal_underground'], '采煤工'],
		['general', 'dispatched', ['coal_underground'], '运输工'],
		['general', 'outsourced', ['coal_underground'], '巷道维修工'],
		['general', 'flexible', ['general_worker'], '地面装车工'],
		['special_operator', 'formal', ['welding'], '机修焊工'],
	],
	'demo-chem': [
		['principal', 'formal', [], '总经理'],
		['safety_manager', 'formal', ['hazchem_operator'], '安全环保部部长'],
		['special_operator', 'formal', ['hazchem_process'], '加氢工艺操作工'],
		['special_operator', 'formal', ['hazchem_process'], '氯化工艺操作工'],
		['special_operator', 'formal', ['electrician'], '电工'],
		['general', 'formal', ['hazchem_operator'], '外操巡检工'],
		['general', 'formal', ['hazchem_loading'], '装卸工'],
		['general', 'dispatched', ['hazchem_loading'], '装卸工'],
		['general', 'outsourced', ['confined_space'], '储罐清洗工'],
		['general', 'formal', ['forklift_driver'], '叉车司机'],
		['general', 'formal', ['boiler_operator'], '锅炉工'],
	],
	'demo-build': [
		['principal', 'formal', [], '项目经理'],
		['safety_manager', 'formal', ['construction_worker'], '专职安全员'],
		['special_operator', 'formal', ['height_work'], '登高架设工'],
		['special_operator', 'outsourced', ['construction_scaffolder'], '架子工'],
		['special_operator', 'dispatched', ['welding'], '电焊工'],
		['special_operator', 'formal', ['electrician'], '施工电工'],
		['general', 'flexible', ['construction_worker'], '钢筋工'],
		['general', 'flexible', ['construction_worker'], '木工'],
		['general', 'outsourced', ['construction_worker'], '混凝土工'],
		['general', 'formal', ['crane_operator'], '塔吊司机'],
	],
	'demo-gas': [
		['principal', 'formal', [], '总经理'],
		['safety_manager', 'formal', ['gas_worker'], '安全部经理'],
		['general', 'formal', ['gas_worker'], '入户安检员'],
		['general', 'formal', ['gas_worker'], '场站运行工'],
		['general', 'dispatched', ['gas_worker'], '抢修工'],
		['special_operator', 'formal', ['welding'], '管道焊工'],
		['general', 'formal', ['fire_facility_operator'], '消防控制室值班员'],
	],
	'demo-transport': [
		['principal', 'formal', [], '总经理'],
		['safety_manager', 'formal', ['road_driver'], '安全主管'],
		['general', 'formal', ['hazmat_driver'], '危货车驾驶员'],
		['general', 'formal', ['hazmat_driver'], '危货车驾驶员'],
		['general', 'dispatched', ['road_driver'], '客车驾驶员'],
		['general', 'formal', ['road_driver'], '货车驾驶员'],
	],
}

// 党政领导干部 of the townships and departments (for the leaders' register and spot checks).
const LEADERS: [string, string][] = [
	['chengguan', '镇长'],
	['dongshan', '乡长'],
	['xihe', '副镇长'],
	['nanling', '街道办事处主任'],
	['county-emergency-bureau', '局长'],
	['county-housing-bureau', '副局长'],
]

/** A valid 18-digit 身份证号 (Shanxi region code, given birth date and sequence). */
function demoIdNumber(index: number) {
	const birth = `${1965 + (index % 35)}${String((index % 12) + 1).padStart(2, '0')}${String((index % 27) + 1).padStart(2, '0')}`
	return withCheckDigit(`140702${birth}${String(100 + index).slice(-3)}`)
}

export async function isDatabaseEmpty(db: DbOrTx) {
	const [row] = await db.select({ n: count() }).from(people)
	return (row?.n ?? 0) === 0
}

export async function seedDemo(db: Db) {
	const passwordHash = await hashPassword(DEMO_PASSWORD)
	await db.transaction(async (tx) => {
		const county = await orgByCode(tx, 'demo-county')
		const orgIds = new Map<string, string>()
		const orgId = async (code: string) => {
			if (!orgIds.has(code)) orgIds.set(code, (await orgByCode(tx, code)).id)
			return orgIds.get(code)!
		}
		for (const e of DEMO_ENTERPRISES) {
			const org = await createOrganization(tx, {
				parentId: await orgId(e.township),
				kind: 'enterprise',
				name: e.name,
				code: e.code,
				industryCode: e.industry,
			})
			orgIds.set(e.code, org.id)
		}

		const everyone: DemoPerson[] = [...DEMO_ACCOUNTS]
		let n = 0
		const nextName = () => {
			const name = `${SURNAMES[(n * 7) % SURNAMES.length]}${GIVEN[(n * 11) % GIVEN.length]}`
			n++
			return name
		}
		for (const [org, roster] of Object.entries(ROSTERS)) {
			for (const [category, employmentType, jobTypes, position] of roster) {
				everyone.push({ name: nextName(), phone: `1380000${String(1000 + n).slice(-4)}`, org, category, employmentType, jobTypes, position })
			}
		}
		for (const [org, position] of LEADERS) {
			everyone.push({ name: nextName(), phone: `1380000${String(1000 + n).slice(-4)}`, org, category: 'party_leader', employmentType: 'formal', position })
		}

		for (const [i, p] of everyone.entries()) {
			const personId = await createPerson(tx, {
				orgId: await orgId(p.org),
				name: p.name,
				phone: p.phone,
				idNumber: demoIdNumber(i),
				category: p.category,
				employmentType: p.employmentType,
				position: p.position,
				hiredOn: `20${String(10 + (i % 15)).padStart(2, '0')}-0${(i % 9) + 1}-15`,
				jobTypes: p.jobTypes,
				passwordHash: p.account ? passwordHash : null,
				mustChangePassword: false,
			})
			for (const [role, scopeCode] of p.roles ?? []) {
				await tx.insert(roleAssignments).values({ personId, role, orgId: scopeCode ? await orgId(scopeCode) : null })
			}
		}
		await writeAudit(tx, {
			actorId: null,
			action: 'demo.seed',
			targetType: 'organization',
			targetId: county.id,
			orgId: county.id,
			detail: { people: everyone.length, enterprises: DEMO_ENTERPRISES.length },
		})
		await seedDemoExams(tx)
		await seedTrainingDemo(tx)
	})
	await seedRotationRule(db)
	await seedClearanceDemo(db)
	await seedSpotCheckDemo(db)
	await seedInspectionDemo(db)
	await seedCompetitionDemo(db)
}

/** Job types with their own shipped questions (content/questions/<code>.yaml). */
export const DEMO_EXAM_JOB_TYPES = [
	'coal_underground',
	'hazchem_operator',
	'confined_space',
	'dust_explosion',
	'electrician',
	'welding',
	'height_work',
	'gas_worker',
	'fire_facility_operator',
	'forklift_driver',
	'road_driver',
]

/** 岗前安全培训考试: 10 单选 × 4 + 5 多选 × 6 + 10 判断 × 3 = 100 分, 80 分及格, 45 分钟. */
export function demoPreJobRules(jobType: string): PaperRule[] {
	return [
		{ type: 'single', count: 10, points: 4, jobTypes: [jobType] },
		{ type: 'multiple', count: 5, points: 6, jobTypes: [jobType] },
		{ type: 'judge', count: 10, points: 3, jobTypes: [jobType] },
	]
}

/**
 * Platform templates 「<工种>岗前安全培训考试」 for the job types with shipped questions, and in
 * every demo enterprise an open exam of each (yesterday → in 30 days) for its people of that job
 * type. Needs no questions: the paper is drawn when an attempt starts.
 */
export async function seedDemoExams(tx: DbOrTx, now = new Date()) {
	const known = await tx.select({ code: jobTypes.code, name: jobTypes.name }).from(jobTypes).where(inArray(jobTypes.code, DEMO_EXAM_JOB_TYPES))
	const templates = new Map<string, { id: string; title: string }>()
	for (const code of DEMO_EXAM_JOB_TYPES) {
		const job = known.find((j) => j.code === code)
		if (!job) continue
		const id = randomUUID()
		const title = `${job.name}岗前安全培训考试`
		await tx.insert(examTemplates).values({
			id,
			ownerOrgId: null,
			title,
			purpose: 'pre_job',
			jobTypes: [code],
			timeLimitMinutes: 45,
			passMark: 80,
			// One 补考 and one more try, so visitors can take the demo exam again.
			attemptsAllowed: 3,
			rules: demoPreJobRules(code),
			shuffleQuestions: true,
			shuffleOptions: true,
			partialCredit: false,
			showReview: true,
			// 岗前安全培训合格证, valid for the 12 months of the annual round.
			issuesCertificate: true,
			certificateValidMonths: 12,
		})
		templates.set(code, { id, title })
	}
	const opensAt = new Date(now.getTime() - 24 * 3600_000)
	const closesAt = new Date(now.getTime() + 30 * 24 * 3600_000)
	for (const e of DEMO_ENTERPRISES) {
		const org = await orgByCode(tx, e.code)
		const holders = await tx
			.select({ personId: personJobTypes.personId, code: personJobTypes.jobTypeCode })
			.from(personJobTypes)
			.innerJoin(people, eq(people.id, personJobTypes.personId))
			.where(and(eq(people.orgId, org.id), inArray(personJobTypes.jobTypeCode, [...templates.keys()])))
		for (const [code, template] of templates) {
			const personIds = holders.filter((h) => h.code === code).map((h) => h.personId)
			if (!personIds.length) continue
			const examId = randomUUID()
			await tx.insert(exams).values({ id: examId, templateId: template.id, ownerOrgId: org.id, title: template.title, opensAt, closesAt, createdAt: now })
			await addAssignees(tx, examId, personIds, now)
		}
	}
}

/**
 * 培训计划 and 线下培训 at 示范煤业: a plan for its 煤矿井下作业人员 (通用知识 + 专业知识 and the
 * demo exam, due in 30 days, made by its 安全管理员 赵立新), yesterday's 班前会 for the same
 * people, and a 24-学时 轮训 two weeks ago for its 主要负责人 and 安全管理人员. No attachments.
 */
export async function seedTrainingDemo(tx: DbOrTx, now = new Date()) {
	const coal = await orgByCode(tx, 'demo-coal')
	const [manager] = await tx.select({ id: people.id }).from(people).where(eq(people.phoneHash, phoneLookupHash('13900000003')))
	const underground = await tx
		.select({ id: people.id })
		.from(people)
		.innerJoin(personJobTypes, eq(personJobTypes.personId, people.id))
		.where(and(eq(people.orgId, coal.id), eq(personJobTypes.jobTypeCode, 'coal_underground')))
	// Courses are there when shipped content was loaded first (as on every start).
	const planCourses = await tx.select({ id: courses.id, code: courses.code }).from(courses).where(inArray(courses.code, ['general-safety', 'coal-underground-pro']))
	const [exam] = await tx
		.select({ id: exams.id })
		.from(exams)
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.where(and(eq(exams.ownerOrgId, coal.id), arrayContains(examTemplates.jobTypes, ['coal_underground'])))
	const today = chinaDay(now)
	await insertPlan(
		tx,
		{
			orgId: coal.id,
			title: `${today.slice(0, 4)} 年煤矿井下作业人员岗前安全培训`,
			dueOn: addDays(today, 30),
			courseIds: ['general-safety', 'coal-underground-pro'].flatMap((code) => planCourses.filter((c) => c.code === code).map((c) => c.id)),
			examId: exam?.id ?? null,
			jobTypes: ['coal_underground'],
			categories: [],
			createdBy: manager?.id ?? null,
		},
		underground.map((p) => p.id),
		now,
	)
	await insertOfflineTraining(
		tx,
		{ orgId: coal.id, kind: 'pre_shift', topic: '班前会：顶板管理与敲帮问顶', heldOn: addDays(today, -1), hours: 0.5, trainer: '综采队队长', personIds: underground.map((p) => p.id), recordedBy: manager?.id ?? null },
		now,
	)
	const leaders = await tx
		.select({ id: people.id })
		.from(people)
		.where(and(eq(people.orgId, coal.id), inArray(people.category, ['principal', 'safety_manager'])))
	await insertOfflineTraining(
		tx,
		{ orgId: coal.id, kind: 'rotation', topic: '主要负责人和安全管理人员安全生产知识轮训（3 天）', heldOn: addDays(today, -14), hours: 24, trainer: '县应急管理局', personIds: leaders.map((p) => p.id), recordedBy: manager?.id ?? null },
		now,
	)
}
