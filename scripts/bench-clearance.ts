// Benchmark: 上岗资格 for a whole enterprise of 20,000 people — the clearance of everyone (as
// the enterprise home and the roster's status filter compute it), the roster page filtered by
// status, and the enterprise summary.
// Usage: npx tsx scripts/bench-clearance.ts [people] [runs]
// On the embedded database (PGlite) by default; with DATABASE_URL, on a fresh database created on
// that server for the run and dropped afterwards.
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { percentiles, useBenchDatabase } from './bench-support.ts'

const count = Number(process.argv[2] ?? 20_000)
const runs = Number(process.argv[3] ?? 10)
const cleanUp = await useBenchDatabase('bench-clearance')
const { db, dbKind, migrateDatabase } = await import('#app/utils/db.server.ts')
const { sql } = await import('drizzle-orm')
const schema = await import('#db/schema.ts')
const { syncShippedContent } = await import('#app/content/sync.server.ts')
const { demoPreJobRules } = await import('#app/demo/seed.server.ts')
const { createOrganization, orgByCode } = await import('#app/orgs/orgs.server.ts')
const { encryptPii, phoneLookupHash } = await import('#app/people/pii.server.ts')
const { clearanceOfPeople } = await import('#app/records/clearance.server.ts')
const { clearanceSummary } = await import('#app/records/summary.server.ts')
const { listPeople } = await import('#app/people/people.server.ts')
const { chinaDay } = await import('#app/utils/days.ts')

const JOBS = ['coal_underground', 'coal_underground', 'coal_underground', 'welding', 'electrician', 'general_worker']
const batches = <T>(rows: T[], size = 2000) => Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size))

try {
	await migrateDatabase()
	await syncShippedContent(db)
	const township = await orgByCode(db, 'dongshan')
	const enterprise = await createOrganization(db, { parentId: township.id, kind: 'enterprise', name: '压测煤矿', industryCode: 'coal' })
	for (const jobType of ['coal_underground', 'welding', 'electrician']) {
		await db.insert(schema.examTemplates).values({ id: randomUUID(), title: `${jobType} 岗前考试`, purpose: 'pre_job', jobTypes: [jobType], timeLimitMinutes: 45, passMark: 80, rules: demoPreJobRules(jobType) })
	}
	console.log(`${dbKind()}: ${count} people with their records…`)
	const t0 = performance.now()

	const ids = Array.from({ length: count }, () => randomUUID())
	const phoneEnc = encryptPii('13800000000')
	for (const batch of batches(ids.map((id, i) => ({ id, orgId: enterprise.id, name: `压测${i}`, phoneEnc, phoneHash: phoneLookupHash(`136${String(i).padStart(8, '0')}`), category: i % 50 === 0 ? ('safety_manager' as const) : ('general' as const), employmentType: (['formal', 'formal', 'dispatched', 'outsourced', 'flexible'] as const)[i % 5] })))) {
		await db.insert(schema.people).values(batch)
	}
	for (const batch of batches(ids.map((personId, i) => ({ personId, jobTypeCode: JOBS[i % JOBS.length]! })))) await db.insert(schema.personJobTypes).values(batch)

	// Four in five have finished their courses (every lesson of the courses for their job).
	await db.execute(sql`
		insert into lesson_progress (person_id, lesson_id, studied_seconds, reached_end, completed_at, updated_at)
		select p.id, l.id, l.min_minutes * 60, true, now() - interval '200 days', now()
		from people p join person_job_types pj on pj.person_id = p.id
		join courses c on c.published and (c.for_all_job_types or exists (select 1 from course_job_types cj where cj.course_id = c.id and cj.job_type_code = pj.job_type_code))
		join lessons l on l.course_id = c.id
		where p.org_id = ${enterprise.id} and right(p.name, 1) <> '7'
		on conflict do nothing`)
	// Three in four have an exam on record (one in ten of those failed); passes spread over 14 months.
	await db.execute(sql`
		with exam as (
			insert into exams (id, template_id, owner_org_id, title, opens_at, closes_at, created_at)
			select gen_random_uuid(), t.id, ${enterprise.id}, t.title, now() - interval '500 days', now() - interval '1 day', now() - interval '500 days'
			from exam_templates t where t.job_types && array['coal_underground', 'welding', 'electrician']::text[]
			returning id, template_id
		)
		insert into attempts (id, exam_id, person_id, status, started_at, deadline_at, submitted_at, submitted_by, score, max_score, passed)
		select gen_random_uuid(), e.id, p.id, 'submitted', s.at - interval '30 minutes', s.at, s.at, 'person', case when s.n % 10 = 0 then 60 else 90 end, 100, s.n % 10 <> 0
		from people p join person_job_types pj on pj.person_id = p.id
		join exam_templates t on pj.job_type_code = any(t.job_types)
		join exam e on e.template_id = t.id
		cross join lateral (select (substr(p.name, 3))::int as n) num
		cross join lateral (select num.n, now() - ((num.n % 420) || ' days')::interval as at) s
		where p.org_id = ${enterprise.id} and s.n % 4 <> 3`)
	// Special operations: certificates, some expired; a few 三违 orders.
	await db.execute(sql`
		insert into operation_certificates (id, person_id, job_type_code, number_enc, number_hash, issued_on, valid_until)
		select gen_random_uuid(), pj.person_id, pj.job_type_code, 'x', md5(pj.person_id::text), date '2020-01-01', case when row_number() over () % 8 = 0 then date '2025-01-01' else date '2030-01-01' end
		from person_job_types pj join job_types jt on jt.code = pj.job_type_code join people p on p.id = pj.person_id
		where jt.special_operation and p.org_id = ${enterprise.id}`)
	await db.execute(sql`
		insert into retraining_orders (id, person_id, source, reason, opened_at)
		select gen_random_uuid(), id, 'violation', '三违', now() - interval '3 days' from people where org_id = ${enterprise.id} and name like '%33'`)
	await db.execute(sql`analyze`)
	console.log(`set up in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

	const time = async <T>(fn: () => Promise<T>) => {
		const samples: number[] = []
		let last: T | undefined
		for (let i = 0; i < runs + 2; i++) {
			const t = performance.now()
			last = await fn()
			if (i >= 2) samples.push(performance.now() - t)
		}
		return { ...percentiles(samples), last: last! }
	}
	const asOf = chinaDay(new Date())
	const everyone = await time(() => clearanceOfPeople({ orgPath: enterprise.path }, asOf))
	const statuses = { cleared: 0, notCleared: 0, expiring: 0 }
	for (const c of everyone.last.values()) c.cleared ? (c.expiringSoon ? statuses.expiring++ : statuses.cleared++) : statuses.notCleared++
	const summary = await time(() => clearanceSummary(enterprise.path, asOf))
	const scope = { all: false as const, orgPaths: [enterprise.path], selfId: randomUUID() }
	const roster = await time(() => listPeople(db, scope, { status: 'not_cleared' }, { page: 1, pageSize: 20, sort: 'name', desc: false }, asOf))
	const plainRoster = await time(() => listPeople(db, scope, {}, { page: 1, pageSize: 20, sort: 'name', desc: false }, asOf))

	console.log(`\n${dbKind()}, ${count} people, ${os.cpus().length} cores, Node ${process.version}, ${runs} runs after 2 warm-ups (ms)`)
	console.log(`statuses: ${JSON.stringify(statuses)}`)
	const line = (label: string, r: { p50: number; p95: number }) => console.log(`${label.padEnd(44)} p50 ${String(r.p50).padStart(7)}  p95 ${String(r.p95).padStart(7)}`)
	line('clearance of everyone (clearanceOfPeople)', everyone)
	line('enterprise summary (counts + lists)', summary)
	line('roster page filtered by 不得上岗', roster)
	line('roster page, no status filter', plainRoster)
} finally {
	await cleanUp()
}
