// Benchmark: the county dashboard (数据看板) over 100,000 people in 4 townships × 50 enterprises
// and 1,000,000 exam attempts, with lessons, 三违, open orders and a 5 % spot check. Times the
// route's server function (dashboardOf) for the county, one township and one enterprise, and the
// clearance of everyone on its own, which is most of the county's time.
// Usage: npx tsx scripts/bench-dashboard.ts [peoplePerEnterprise] [runs]
// On the embedded database (PGlite) by default; with DATABASE_URL, on a fresh database created on
// that server for the run and dropped afterwards.
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { percentiles, useBenchDatabase } from './bench-support.ts'

const perEnterprise = Number(process.argv[2] ?? 500)
const runs = Number(process.argv[3] ?? 5)
const ENTERPRISES_PER_TOWNSHIP = 50
const ATTEMPTS_PER_PERSON = 10
const cleanUp = await useBenchDatabase('bench-dashboard')
const { db, dbKind, migrateDatabase } = await import('#app/utils/db.server.ts')
const { sql } = await import('drizzle-orm')
const schema = await import('#db/schema.ts')
const { syncShippedContent } = await import('#app/content/sync.server.ts')
const { demoPreJobRules } = await import('#app/demo/seed.server.ts')
const { createOrganization, orgByCode } = await import('#app/orgs/orgs.server.ts')
const { encryptPii } = await import('#app/people/pii.server.ts')
const { clearanceOfPeople } = await import('#app/records/clearance.server.ts')
const { dashboardOf } = await import('#app/oversight/dashboard.server.ts')
const { chinaDay } = await import('#app/utils/days.ts')

const step = async (label: string, fn: () => Promise<unknown>) => {
	const t = performance.now()
	await fn()
	console.log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`)
}

try {
	await migrateDatabase()
	await syncShippedContent(db)
	const county = await orgByCode(db, 'demo-county')
	const townships = await Promise.all(['chengguan', 'dongshan', 'xihe', 'nanling'].map((code) => orgByCode(db, code)))
	const industries = ['coal', 'hazchem', 'construction', 'gas', 'road_transport']
	const enterprises: Awaited<ReturnType<typeof createOrganization>>[] = []
	for (const [t, township] of townships.entries()) {
		for (let i = 0; i < ENTERPRISES_PER_TOWNSHIP; i++) {
			enterprises.push(await createOrganization(db, { parentId: township.id, kind: 'enterprise', name: `${township.name}压测企业${String(i + 1).padStart(2, '0')}`, industryCode: industries[(t + i) % industries.length]! }))
		}
	}
	const templates: Record<string, string> = {}
	for (const jobType of ['coal_underground', 'welding', 'electrician']) {
		templates[jobType] = randomUUID()
		await db.insert(schema.examTemplates).values({ id: templates[jobType], title: `${jobType} 岗前考试`, purpose: 'pre_job', jobTypes: [jobType], timeLimitMinutes: 45, passMark: 80, rules: demoPreJobRules(jobType) })
	}
	const total = perEnterprise * enterprises.length
	console.log(`${dbKind()}: ${enterprises.length} enterprises, ${total} people, ${total * ATTEMPTS_PER_PERSON} attempts…`)
	const t0 = performance.now()

	// People numbered 1…N in their names ("压测<n>"), so every later step can spread by number.
	await step('people', () =>
		db.execute(sql`
			insert into people (id, org_id, name, phone_enc, phone_hash, category, employment_type)
			select gen_random_uuid(), e.id, '压测' || ((e.n - 1) * ${perEnterprise} + g), ${encryptPii('13800000000')}, md5('bench' || e.id::text || g),
				(case when g % 50 = 0 then 'safety_manager' when g = 1 then 'principal' else 'general' end)::person_category,
				(array['formal', 'formal', 'dispatched', 'outsourced', 'flexible'])[1 + g % 5]::employment_type
			from (select id, row_number() over (order by path) as n from organizations where kind = 'enterprise' and path like ${`${county.path}%`}) e
			cross join generate_series(1, ${perEnterprise}) g`),
	)
	await step('job types', () =>
		db.execute(sql`
			insert into person_job_types (person_id, job_type_code)
			select id, (array['coal_underground', 'coal_underground', 'welding', 'electrician', 'general_worker', 'coal_underground'])[1 + substr(name, 3)::int % 6]
			from people where name like '压测%'`),
	)
	// Four in five have finished the courses of their job.
	await step('lessons', () =>
		db.execute(sql`
			insert into lesson_progress (person_id, lesson_id, studied_seconds, reached_end, completed_at, updated_at)
			select p.id, l.id, l.min_minutes * 60, true, now() - interval '200 days', now()
			from people p join person_job_types pj on pj.person_id = p.id
			join courses c on c.published and (c.for_all_job_types or exists (select 1 from course_job_types cj where cj.course_id = c.id and cj.job_type_code = pj.job_type_code))
			join lessons l on l.course_id = c.id
			where p.name like '压测%' and substr(p.name, 3)::int % 5 <> 0
			on conflict do nothing`),
	)
	// Ten attempts each over the last 14 months, four in five passed; of the person's job exam
	// where there is one, else the coal one.
	await step('attempts', () =>
		db.execute(sql`
			with exam as (
				insert into exams (id, template_id, owner_org_id, title, opens_at, closes_at, created_at)
				select gen_random_uuid(), t.id, ${county.id}, t.title, now() - interval '500 days', now() + interval '30 days', now() - interval '500 days'
				from exam_templates t where t.id in (${templates.coal_underground}, ${templates.welding}, ${templates.electrician})
				returning id, template_id
			),
			by_job as (
				select t.job_types[1] as job, e.id from exam e join exam_templates t on t.id = e.template_id
			)
			insert into attempts (id, exam_id, person_id, status, started_at, deadline_at, submitted_at, submitted_by, score, max_score, passed)
			select gen_random_uuid(), coalesce(j.id, (select id from by_job where job = 'coal_underground')), p.id, 'submitted', s.at - interval '30 minutes', s.at, s.at, 'person',
				case when (s.n + k) % 5 = 0 then 60 else 90 end, 100, (s.n + k) % 5 <> 0
			from people p join person_job_types pj on pj.person_id = p.id
			left join by_job j on j.job = pj.job_type_code
			cross join lateral (select substr(p.name, 3)::int as n) num
			cross join generate_series(1, ${ATTEMPTS_PER_PERSON}) k
			cross join lateral (select num.n, now() - (((num.n * 7 + k * 37) % 420) || ' days')::interval - ((k * 13) || ' minutes')::interval as at) s
			where p.name like '压测%'`),
	)
	await step('三违 and orders', async () => {
		await db.execute(sql`
			insert into violations (id, person_id, kind, occurred_on, place, description)
			select gen_random_uuid(), id, 'operation', (now() - ((substr(name, 3)::int % 360) || ' days')::interval)::date, '作业面', '压测'
			from people where name like '压测%' and substr(name, 3)::int % 50 = 7`)
		await db.execute(sql`
			insert into retraining_orders (id, person_id, source, reason, opened_at, closed_at)
			select gen_random_uuid(), person_id, 'violation', '三违', occurred_on::timestamptz, case when substr(p.name, 3)::int % 100 = 7 then now() end
			from violations v join people p on p.id = v.person_id where p.name like '压测%'`)
	})
	// A 5 % spot check of the county; four in five of those drawn have taken it.
	await step('spot check', async () => {
		const spotCheckId = randomUUID()
		const examId = randomUUID()
		await db.insert(schema.exams).values({ id: examId, templateId: templates.coal_underground!, ownerOrgId: county.id, title: '随机抽考', opensAt: new Date(Date.now() - 10 * 86_400_000), closesAt: new Date(Date.now() + 10 * 86_400_000) })
		await db.insert(schema.spotChecks).values({ id: spotCheckId, title: '随机抽考', ownerOrgId: county.id, population: { orgId: county.id, categories: [], industryCodes: [], jobTypes: [], employmentTypes: [] }, samplePercent: 5, templateId: templates.coal_underground!, examId, opensAt: new Date(Date.now() - 10 * 86_400_000), closesAt: new Date(Date.now() + 10 * 86_400_000), seed: '00', populationSize: total, drawnAt: new Date(Date.now() - 10 * 86_400_000) })
		await db.execute(sql`
			insert into spot_check_population (spot_check_id, position, person_id, org_id, drawn)
			select ${spotCheckId}, row_number() over (order by id) - 1, id, org_id, substr(name, 3)::int % 20 = 3 from people where name like '压测%'`)
		await db.execute(sql`
			insert into attempts (id, exam_id, person_id, status, started_at, deadline_at, submitted_at, submitted_by, score, max_score, passed)
			select gen_random_uuid(), ${examId}, p.id, 'submitted', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days', 'person', 85, 100, substr(p.name, 3)::int % 7 <> 0
			from spot_check_population sp join people p on p.id = sp.person_id where sp.drawn and (substr(p.name, 3)::int / 20) % 5 <> 0`)
	})
	await step('analyze', () => db.execute(sql`analyze`))
	const [{ n: attempts } = { n: 0 }] = (await db.select({ n: sql<number>`count(*)::int` }).from(schema.attempts)) as { n: number }[]
	console.log(`set up in ${((performance.now() - t0) / 1000).toFixed(1)} s (${attempts} attempts)`)

	const time = async <T>(fn: () => Promise<T>) => {
		const samples: number[] = []
		let last: T | undefined
		for (let i = 0; i < runs + 1; i++) {
			const t = performance.now()
			last = await fn()
			if (i >= 1) samples.push(performance.now() - t)
		}
		return { ...percentiles(samples), last: last! }
	}
	const asOf = chinaDay(new Date())
	const countyDashboard = await time(() => dashboardOf(county, asOf))
	const clearance = await time(() => clearanceOfPeople({ orgPath: county.path }, asOf))
	const townshipDashboard = await time(() => dashboardOf(townships[1]!, asOf))
	const enterpriseDashboard = await time(() => dashboardOf(enterprises[0]!, asOf))

	console.log(`\n${dbKind()}, ${total} people, ${attempts} attempts, ${os.cpus().length} cores, Node ${process.version}, ${runs} runs after 1 warm-up (ms)`)
	const { tally, rates } = countyDashboard.last.total
	console.log(`county: ${JSON.stringify(tally)}`)
	console.log(`rates: ${JSON.stringify(Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, v === null ? null : +v.toFixed(3)])))}`)
	const line = (label: string, r: { p50: number; p95: number }) => console.log(`${label.padEnd(52)} p50 ${String(r.p50).padStart(8)}  p95 ${String(r.p95).padStart(8)}`)
	line(`county dashboard (dashboardOf, ${total} people)`, countyDashboard)
	line('  of which: clearance of everyone (clearanceOfPeople)', clearance)
	line(`township dashboard (${total / 4} people)`, townshipDashboard)
	line(`enterprise dashboard (${perEnterprise} people)`, enterpriseDashboard)
} finally {
	await cleanUp()
}
