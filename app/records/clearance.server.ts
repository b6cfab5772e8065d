import { sql, type SQL } from 'drizzle-orm'
import { db as defaultDb, queryRows, type DbOrTx } from '#app/utils/db.server.ts'
import { clearanceOf, type Clearance, type ClearanceFacts, type JobFacts } from './clearance.ts'
import { type Day, addDays, chinaDay } from '#app/utils/days.ts'

// Gathers, for many people at once, the records that decide 上岗资格 as they stood at the end of
// a day (China time), and derives each person's clearance with its reasons. A handful of set-wise
// queries whatever the number of people, so a roster of 20,000 is one pass.

/** Whose clearance: listed people, or everyone under an organisation (a materialised-path prefix; deleted people left out). */
export type Population = { personIds: string[] } | { orgPath: string }

function populationQuery(population: Population): SQL {
	if ('orgPath' in population) {
		return sql`select p.id from people p join organizations o on o.id = p.org_id where o.path like ${`${population.orgPath}%`} and p.anonymised_at is null`
	}
	return sql`select value::uuid as id from jsonb_array_elements_text(${JSON.stringify(population.personIds)}::jsonb)`
}

/** The first instant after `day` in China: records made before it count on that day. */
export const endOfChinaDay = (day: Day) => new Date(`${addDays(day, 1)}T00:00:00+08:00`)

const localDay = (column: SQL) => sql`((${column}) at time zone 'Asia/Shanghai')::date`

async function clearanceFacts(tx: DbOrTx, population: Population, asOf: Day): Promise<Map<string, ClearanceFacts>> {
	const cutoff = endOfChinaDay(asOf).toISOString()
	// Every query starts from the population, materialised once, and the job types each person
	// held on that day (a job type with a later 'since' was not theirs yet); the rest are joins
	// and groupings, never a subquery per person.
	const from = (query: SQL) => sql`with ids as materialized (${populationQuery(population)}),
		held as materialized (select pj.person_id, pj.job_type_code from person_job_types pj join ids on ids.id = pj.person_id
			where pj.since is null or pj.since <= ${asOf}::date)
		${query}`

	const [people, jobs, courses, passes, certificates, orders, rotation] = await Promise.all([
		queryRows<{ id: string; category: string; deregistered_on: string | null }>(
			from(sql`select p.id, p.category, ${localDay(sql`p.anonymised_at`)}::text as deregistered_on from people p join ids on ids.id = p.id`),
			tx,
		),
		queryRows<{ person_id: string; code: string; name: string; special_operation: boolean; certificate_name: string | null; months: number }>(
			from(sql`select h.person_id, jt.code, jt.name, jt.special_operation, jt.certificate_name, coalesce(r.pass_valid_months, 12) as months
				from held h join job_types jt on jt.code = h.job_type_code
				left join job_clearance_rules r on r.job_type_code = jt.code
				order by jt.sort_order`),
			tx,
		),
		// Required courses, as on the worker's home page: the courses of each job type held (or
		// the ones its rule names instead), plus the courses for every worker — unless every job
		// type held has a rule naming its courses. Only published courses owned by the platform or
		// an organisation above the person, for their category where the course names some.
		// Today's requirements apply to past days too: a question about a past day asks whether
		// the records then met the rules as they stand.
		queryRows<{ person_id: string; id: string; title: string; lessons: number; done: number }>(
			from(sql`, job_flags as (
					select ids.id as person_id, count(h.job_type_code) as jobs, coalesce(bool_or(h.job_type_code is not null and r.course_ids is null), false) as some_without_rule
					from ids left join held h on h.person_id = ids.id left join job_clearance_rules r on r.job_type_code = h.job_type_code
					group by ids.id
				),
				wanted as (
					select h.person_id, cj.course_id from held h
					join course_job_types cj on cj.job_type_code = h.job_type_code
					left join job_clearance_rules r on r.job_type_code = h.job_type_code
					where r.course_ids is null
					union
					select h.person_id, unnest(r.course_ids) from held h join job_clearance_rules r on r.job_type_code = h.job_type_code
					where r.course_ids is not null
					union
					select f.person_id, c.id from job_flags f join courses c on c.for_all_job_types
					where f.jobs = 0 or f.some_without_rule
				),
				lesson_counts as (select course_id, count(*)::int as lessons from lessons group by course_id),
				done as (
					select lp.person_id, l.course_id, count(*)::int as done from lesson_progress lp
					join ids on ids.id = lp.person_id join lessons l on l.id = lp.lesson_id
					where lp.completed_at < ${cutoff}::timestamptz
					group by lp.person_id, l.course_id
				)
				select w.person_id, c.id, c.title, coalesce(lc.lessons, 0) as lessons, coalesce(d.done, 0) as done
				from wanted w
				join courses c on c.id = w.course_id and c.published
				join people p on p.id = w.person_id join organizations o on o.id = p.org_id
				left join lesson_counts lc on lc.course_id = c.id
				left join done d on d.person_id = w.person_id and d.course_id = c.id
				where (c.owner_org_id is null or o.path like '%/' || c.owner_org_id::text || '/%')
					and (c.categories is null or p.category = any(c.categories))
				order by c.part, c.title`),
			tx,
		),
		// Qualifying exams per job type: 岗前/年度 templates naming it, or the rule's templates.
		queryRows<{ person_id: string; code: string; last_pass_on: string | null; attempts: number }>(
			from(sql`select h.person_id, h.job_type_code as code,
					max(${localDay(sql`a.submitted_at`)}) filter (where a.passed)::text as last_pass_on,
					count(a.id)::int as attempts
				from held h
				left join job_clearance_rules r on r.job_type_code = h.job_type_code
				join attempts a on a.person_id = h.person_id and a.status = 'submitted' and a.submitted_at < ${cutoff}::timestamptz
				join exams e on e.id = a.exam_id
				join exam_templates t on t.id = e.template_id
				where case when r.template_ids is null
					then t.purpose in ('pre_job', 'annual') and h.job_type_code = any(t.job_types)
					else t.id = any(r.template_ids) end
				group by h.person_id, h.job_type_code`),
			tx,
		),
		queryRows<{ person_id: string; code: string; valid_until: string }>(
			from(sql`select oc.person_id, oc.job_type_code as code, oc.valid_until::text as valid_until
				from operation_certificates oc join ids on ids.id = oc.person_id where oc.issued_on <= ${asOf}::date`),
			tx,
		),
		queryRows<{ person_id: string; reason: string; opened_on: string }>(
			from(sql`select o.person_id, o.reason, ${localDay(sql`o.opened_at`)}::text as opened_on
				from retraining_orders o join ids on ids.id = o.person_id
				where o.opened_at < ${cutoff}::timestamptz and (o.closed_at is null or o.closed_at >= ${cutoff}::timestamptz)
				order by o.opened_at`),
			tx,
		),
		// 轮训: hours of rotation training attended within each rule's period up to that day.
		queryRows<{ person_id: string; title: string; min_hours: number; hours: string }>(
			from(sql`select p.id as person_id, rr.title, rr.min_hours,
					coalesce(sum(ot.hours) filter (where ot.kind = 'rotation' and ot.held_on <= ${asOf}::date
						and ot.held_on > (${asOf}::date - make_interval(months => rr.period_months))::date), 0)::text as hours
				from ids join people p on p.id = ids.id join organizations o on o.id = p.org_id
				join rotation_rules rr on p.category = any(rr.categories)
					and (cardinality(rr.industry_codes) = 0 or o.industry_code = any(rr.industry_codes))
				left join offline_training_attendees ota on ota.person_id = p.id
				left join offline_trainings ot on ot.id = ota.training_id
				group by p.id, rr.id, rr.title, rr.min_hours`),
			tx,
		),
	])

	const facts = new Map<string, ClearanceFacts>(people.map((p) => [
			p.id,
			{ deregisteredOn: p.deregistered_on, needsJobType: p.category === 'general' || p.category === 'special_operator', jobs: [], courses: [], orders: [], rotation: [] },
		]))
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
