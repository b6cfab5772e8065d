import { beforeAll, expect, test } from 'vitest'
import { seedDemo } from '#app/demo/seed.server.ts'
import { childrenWithCounts, headcount } from '#app/people/stats.server.ts'
import { db } from '#app/utils/db.server.ts'
import { orgByCode } from '#tests/fixtures/requests.ts'

beforeAll(async () => {
	await seedDemo(db)
})

test('each township and department counts the people and enterprises of its whole subtree', async () => {
	const county = await orgByCode('demo-county')
	const children = await childrenWithCounts(db, county.id)
	const byName = Object.fromEntries(children.map((c) => [c.name, c]))
	// 东山乡: 示范煤业 (15 people) and the township's own 乡长 and inspector.
	expect(byName['东山乡']).toMatchObject({ enterprises: 1, people: 17 })
	expect(byName['城关镇']).toMatchObject({ enterprises: 2 })
	expect(byName['示范县安全生产委员会办公室']).toMatchObject({ enterprises: 0, people: 1 })
	// Nobody belongs to the county itself, so the children account for everyone.
	expect(children.reduce((n, c) => n + c.people, 0)).toBe((await headcount(db, county.path)).total)
	expect(children.reduce((n, c) => n + c.enterprises, 0)).toBe(5)
})
