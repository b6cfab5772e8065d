import { sql, type SQL } from 'drizzle-orm'
import { db as defaultDb, queryRows, type DbOrTx } from '#app/utils/db.server.ts'
import { addDays, chinaDay, clearanceOf, type Clearance, type ClearanceFacts, type Day, type JobFacts } from './clearance.ts'

// Gathers, for many people at once, the records that decide 上岗资格 as they stood at the end of
// a day (China time), and derives each person's clearance with its reasons. A handful of set-wise
// queries whatever the number of people, so a roster of 20,000 is one pass.

/** Whose clearance: listed people, or everyone under an organisation (a materialised-path prefix). */
export type Population = { personIds: string[] } | { orgPath: string }

function populationQuery(population: Population): SQL {
	if ('orgPath' in population) {
		return sql`select p.id from people p join organizations o on o.id = p.org_id where o.path like ${`${population.orgPath}%`}`
	}
	return sql`select value::uuid as id from jsonb_array_elements_text(${JSON.stringify(population.personIds)}::jsonb)`
}

/** The first instant after `day` in China: records made before it count on that day. */
export const endOfChinaDay = (day: Day) => new Date(`${addDays(day, 1)}T00:00:00+08:00`)

const localDay = (column: SQL) => sql`((${column}) at time zone 'Asia/Shanghai')::date`

export async function clearanceFacts(tx: DbOrTx, population: Population, asOf: Day): Promise<Map<string, ClearanceFacts>> {
	const ids = populationQuery(population)
	const cutoff = endOfChinaDay(asOf).toISOString()
	// Job types held on that day (a job type with a later 'since' was not theirs yet).
	const heldJobs = sql`select pj.person_id, pj.job_type_code from person_job_types pj
		where pj.person_id in (${ids}) and (pj.since is null or pj.since <= ${asOf}::date)`

	const [people, jobs, courses, passes, certificates, orders, rotation] = await Promise.all([
		queryRows<{ id: string; category: string }>(sql`select id, category from people where id in (${ids})`, tx),
		queryRows<{ person_id: string; code: string; name: string; special_operation: boolean; certificate_name: string | null; months: number }>(
			sql`select h.person_id, jt.code, jt.name, jt.special_operation, jt.certificate_name, coalesce(r.pass_valid_months, 12) as months
				from (${heldJobs}) h join job_types jt on jt.code = h.job_type_code
				left join job_clearance_rules r on r.job_type_code = jt.code
				order by jt.sort_order`,
			tx,
		),
		// Required courses: for every worker, or for one of the person's job types (a job type's
		// rule may name its courses instead), owned by the platform or an organisation above the
		// person, for their category where the course names some — as on the worker's home page.
		// Today's requirements apply to past days too: a question about a past day asks whether
		// the records then met the rules as they stand.
		queryRows<{ person_id: string; id: string; title: string; lessons: number; done: number }>(
			sql`with lesson_counts as (select course_id, count(*)::int as lessons from lessons group by course_id),
				required as (
					select p.id as person_id, c.id, c.title, c.part
					from people p join organizations o on o.id = p.org_id
					join courses c on c.published
						and (c.owner_org_id is null or o.path like '%/' || c.owner_org_id::text || '/%')
						and (c.categories is null or p.category = any(c.categories))
					where p.id in (${ids}) and (c.for_all_job_types or exists (
						select 1 from (${heldJobs}) h left join job_clearance_rules r on r.job_type_code = h.job_type_code
						where h.person_id = p.id and case when r.course_ids is null
							then exists (select 1 from course_job_types cj where cj.course_id = c.id and cj.job_type_code = h.job_type_code)
							else c.id = any(r.course_ids) end)))
				select q.person_id, q.id, q.title, coalesce(lc.lessons, 0) as lessons,
					(select count(*)::int from lesson_progress lp join lessons l on l.id = lp.lesson_id
						where lp.person_id = q.person_id and l.course_id = q.id and lp.completed_at < ${cutoff}::timestamptz) as done
				from required q left join lesson_counts lc on lc.course_id = q.id
				order by q.part, q.title`,
			tx,
		),
		// Qualifying exams per job type: 岗前/年度 templates naming it, or the rule's templates.
		queryRows<{ person_id: string; code: string; last_pass_on: string | null; attempts: number }>(
			sql`select h.person_id, h.job_type_code as code,
					max(${localDay(sql`a.submitted_at`)}) filter (where a.passed)::text as last_pass_on,
					count(a.id)::int as attempts
				from (${heldJobs}) h
				left join job_clearance_rules r on r.job_type_code = h.job_type_code
				join attempts a on a.person_id = h.person_id and a.status = 'submitted' and a.submitted_at < ${cutoff}::timestamptz
				join exams e on e.id = a.exam_id
				join exam_templates t on t.id = e.template_id
				where case when r.template_ids is null
					then t.purpose in ('pre_job', 'annual') and h.job_type_code = any(t.job_types)
					else t.id = any(r.template_ids) end
				group by h.person_id, h.job_type_code`,
			tx,
		),
		queryRows<{ person_id: string; code: string; valid_until: string }>(
			sql`select person_id, job_type_code as code, valid_until::text as valid_until from operation_certificates
				where person_id in (${ids}) and issued_on <= ${asOf}::date`,
			tx,
		),
		queryRows<{ person_id: string; reason: string; opened_on: string }>(
			sql`select person_id, reason, ${localDay(sql`opened_at`)}::text as opened_on from retraining_orders
				where person_id in (${ids}) and opened_at < ${cutoff}::timestamptz and (closed_at is null or closed_at >= ${cutoff}::timestamptz)
				order by opened_at`,
			tx,
		),
		// 轮训: hours of rotation training attended within each rule's period up to that day.
		queryRows<{ person_id: string; title: string; min_hours: number; hours: string }>(
			sql`select p.id as person_id, rr.title, rr.min_hours,
					coalesce(sum(ot.hours) filter (where ot.kind = 'rotation' and ot.held_on <= ${asOf}::date
						and ot.held_on > (${asOf}::date - make_interval(months => rr.period_months))::date), 0)::text as hours
				from people p join organizations o on o.id = p.org_id
				join rotation_rules rr on p.category = any(rr.categories)
					and (cardinality(rr.industry_codes) = 0 or o.industry_code = any(rr.industry_codes))
				left join offline_training_attendees ota on ota.person_id = p.id
				left join offline_trainings ot on ot.id = ota.training_id
				where p.id in (${ids})
				group by p.id, rr.id, rr.title, rr.min_hours`,
			tx,
		),
	])

	const facts = new Map<string, ClearanceFacts>(people.map((p) => [p.id, { needsJobType: p.category === 'general' || p.category === 'special_operator', jobs: [], courses: [], orders: [], rotation: [] }]))
	const jobIndex = new Map<string, JobFacts>()
	for (const j of jobs) {
		const job: JobFacts = { code: j.code, name: j.name, specialOperation: j.special_operation, certificateName: j.certificate_name, passValidMonths: j.months, lastPassOn: null, attempted: false, certificateValidUntil: [] }
		facts.get(j.person_id)?.jobs.push(job)
		jobIndex.set(`${j.person_id}:${j.code}`, job)
	}
	for (const p of passes) {
		const job = jobIndex.get(`${p.person_id}:${p.code}`)
		if (job) Object.assign(job, { lastPassOn: p.last_pass_on, attempted: p.attempts > 0 })
	}
	for (const c of certificates) jobIndex.get(`${c.person_id}:${c.code}`)?.certificateValidUntil.push(c.valid_until)
	for (const c of courses) facts.get(c.person_id)?.courses.push({ id: c.id, title: c.title, lessons: c.lessons, lessonsDone: c.done })
	for (const o of orders) facts.get(o.person_id)?.orders.push({ openedOn: o.opened_on, reason: o.reason })
	for (const r of rotation) facts.get(r.person_id)?.rotation.push({ title: r.title, minHours: r.min_hours, hours: Number(r.hours) })
	return facts
}

/** Each person's clearance at the end of `asOf` (today by default). */
export async function clearanceOfPeople(population: Population, asOf: Day = chinaDay(new Date()), tx: DbOrTx = defaultDb): Promise<Map<string, Clearance>> {
	const facts = await clearanceFacts(tx, population, asOf)
	return new Map([...facts].map(([id, f]) => [id, clearanceOf(f, asOf)]))
}

export async function clearanceOfPerson(personId: string, asOf: Day = chinaDay(new Date()), tx: DbOrTx = defaultDb): Promise<Clearance | null> {
	return (await clearanceOfPeople({ personIds: [personId] }, asOf, tx)).get(personId) ?? null
}
