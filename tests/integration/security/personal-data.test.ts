import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, eq, isNotNull } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, test } from 'vitest'
import { attempts, auditLog, exams, people } from '#db/schema.ts'
import { decryptPii } from '#app/people/pii.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as competitionPage from '#app/routes/competitions.$slug._index.tsx'
import * as competitionResults from '#app/routes/competitions.$slug.results[.]xlsx.ts'
import * as examExport from '#app/routes/exams.$examId_.export.ts'
import * as leadersExport from '#app/routes/registers.leaders[.]xlsx.ts'
import * as personEdit from '#app/routes/people.$personId.edit.tsx'
import * as personFilePdf from '#app/routes/people.$personId.file[.]pdf.ts'
import * as personFileXlsx from '#app/routes/people.$personId.file[.]xlsx.ts'
import * as peopleNew from '#app/routes/people.new.tsx'
import * as rosterExport from '#app/routes/people.export[.]xlsx.ts'
import * as spotCheckExport from '#app/routes/spot-checks.$spotCheckId.export[.]xlsx.ts'
import { context, get, personByPhone, run, submit } from '#tests/fixtures/requests.ts'
import { setUpDemo, type Demo, type Persona } from './demo.ts'

// Phone numbers and 身份证号 leave the server masked, whoever downloads: every export (名册,
// 一人一档, 成绩, 抽考, 登记册) for every role that may download it, and the messages that refuse a
// duplicate. The one exception, by design, is a 知识竞赛's entry list for its organiser. The pages and the database are covered by tests/integration/pii.test.ts,
// the roster import's “taken” messages by roster-import.test.ts, and the server log of a whole
// browser run by tests/e2e/server-log.spec.ts (it greps for any phone or 18-digit number).

/** An 11-digit mobile number in clear (not inside a longer run of letters and digits). */
const CLEAR_PHONE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/
/** 18 characters of a 身份证号 in clear, also after a letter (特种作业操作证 numbers are T + 身份证号). */
const CLEAR_ID = /(?<!\d)\d{17}[\dXx](?!\d)/
const MASKED_PHONE = /1[3-9]\d\*{4}\d{4}/

let demo: Demo

beforeAll(async () => {
	demo = await setUpDemo()
})

type Route = { loader?: (args: any) => unknown }

/** The file a loader sends, as text: cells of every sheet, or the PDF's text. */
async function download(route: Route, url: string, who: Persona, params: Record<string, string>) {
	const res = (await route.loader!({ request: get(url, who), params, context })) as Response
	expect(res.status, url).toBe(200)
	const body = await res.arrayBuffer()
	const type = res.headers.get('Content-Type') ?? ''
	if (type.includes('pdf')) {
		const file = path.join(os.tmpdir(), `anquan-${crypto.randomUUID()}.pdf`)
		fs.writeFileSync(file, new Uint8Array(body))
		try {
			return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
		} finally {
			fs.rmSync(file)
		}
	}
	expect(type, url).toContain('spreadsheetml')
	const workbook = new ExcelJS.Workbook()
	await workbook.xlsx.load(body)
	const cells: string[] = []
	workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.text))))
	return cells.join('\n')
}

function expectMasked(text: string, what: string) {
	expect(text.length, what).toBeGreaterThan(50)
	expect(text.match(CLEAR_PHONE)?.[0], `${what}: a phone number in clear`).toBeUndefined()
	expect(text.match(CLEAR_ID)?.[0], `${what}: a 身份证号 in clear`).toBeUndefined()
}

describe('exports', () => {
	test('the roster (名册): masked phone numbers for the enterprise, the township, the county and the system', async () => {
		for (const who of ['enterprise_admin', 'dongshanRegulator', 'regulator', 'system_admin'] as const) {
			const text = await download(rosterExport, '/people/export.xlsx', demo.as[who], {})
			expectMasked(text, `roster for ${who}`)
			expect(text, who).toMatch(MASKED_PHONE)
			expect(text, who).toContain('139****0010')
		}
	})

	test('一人一档 (xlsx and PDF), for the person, their enterprise and the regulators', async () => {
		// 瓦斯检查工 holds a 特种作业操作证, whose number is T + 身份证号.
		const coal = demo.ids.coalOrg
		const [licensed] = await db.select({ id: people.id }).from(people).where(and(eq(people.orgId, coal), eq(people.position, '瓦斯检查工')))
		for (const personId of [demo.ids.worker, licensed!.id]) {
			for (const who of ['enterprise_admin', 'regulator', 'dongshanRegulator', 'system_admin', ...(personId === demo.ids.worker ? (['worker'] as const) : [])] as const) {
				for (const [route, ext] of [
					[personFileXlsx, 'xlsx'],
					[personFilePdf, 'pdf'],
				] as const) {
					const text = await download(route, `/people/${personId}/file.${ext}`, demo.as[who], { personId })
					expectMasked(text, `${ext} of ${personId} for ${who}`)
					expect(text, `${ext} for ${who}`).toMatch(/\d{4}\*{10}\d{3}[\dX]/)
				}
			}
		}
	})

	test('exam results, spot-check results and the leaders’ register', async () => {
		const [sat] = await db
			.select({ examId: attempts.examId })
			.from(attempts)
			.innerJoin(exams, eq(exams.id, attempts.examId))
			.where(and(eq(exams.ownerOrgId, demo.ids.coalOrg), isNotNull(attempts.submittedAt)))
			.limit(1)
		const files: [Route, string, Record<string, string>, Persona[]][] = [
			[examExport, `/exams/${sat!.examId}/export`, { examId: sat!.examId }, [demo.as.enterprise_admin, demo.as.regulator]],
			[spotCheckExport, `/spot-checks/${demo.ids.spotCheck}/export.xlsx`, { spotCheckId: demo.ids.spotCheck }, [demo.as.regulator, demo.as.system_admin]],
			[leadersExport, '/registers/leaders.xlsx', {}, [demo.as.regulator, demo.as.dongshanRegulator]],
		]
		for (const [route, url, params, personas] of files) {
			for (const who of personas) expectMasked(await download(route, url, who, params), url)
		}
	})

	test('a 知识竞赛’s entries: phones in full for its organiser only (to reach the winners), each download audited', async () => {
		// The one export with phones in clear, by design: numbers the entrants gave the organiser.
		const url = `/competitions/${demo.ids.competition}/results.xlsx`
		const params = { slug: demo.ids.competition }
		const audited = async () => (await db.select().from(auditLog).where(eq(auditLog.action, 'competition.export'))).length
		const before = await audited()
		expect(await download(competitionResults, url, demo.as.regulator, params)).toContain('13600000001')
		expect(await audited()).toBe(before + 1)
		// Nobody else: other regulators, enterprises, workers (and every other role, security/routes.test.ts).
		for (const [who, status] of [
			['dongshanRegulator', 404],
			['content_editor', 404],
			['enterprise_admin', 403],
			['worker', 403],
		] as const) {
			const refused = await run(() => competitionResults.loader({ request: get(url, demo.as[who]), params, context }))
			expect(refused.status, who).toBe(status)
			expect(refused.data).not.toContain('13600000001')
		}
		expect(await audited()).toBe(before + 1)
	})
})

describe('refusal messages', () => {
	const person = (overrides: Record<string, string>) => ({
		name: '张三丰',
		phone: '13712340001',
		idNumber: '',
		orgId: demo.ids.coalOrg,
		category: 'general',
		employmentType: 'formal',
		position: '井下电钳工',
		hiredOn: '2025-01-15',
		...overrides,
	})

	test('a phone or 身份证号 registered in another enterprise: “taken”, without saying by whom or showing their numbers', async () => {
		const zhou = await personByPhone('13900000011')
		const zhouId = decryptPii(zhou.idNumberEnc!)
		const admin = demo.as.enterprise_admin
		const attemptsToTake = [
			await submit(peopleNew, '/people/new', person({ phone: '13900000011' }), admin),
			await submit(peopleNew, '/people/new', person({ idNumber: zhouId }), admin),
			await submit(personEdit, `/people/${demo.ids.worker}/edit`, person({ name: '李大山', phone: '139 0000 0011' }), admin, { personId: demo.ids.worker }),
			await submit(personEdit, `/people/${demo.ids.worker}/edit`, person({ name: '李大山', phone: '13900000010', idNumber: zhouId.toLowerCase() }), admin, { personId: demo.ids.worker }),
		]
		for (const refused of attemptsToTake) {
			expect(refused.status).toBe(400)
			const errors = JSON.stringify(refused.data.errors)
			expect(errors).toMatch(/已被|已在|已登记/)
			for (const secret of ['周小龙', '示范化工', zhou.id, zhouId, zhouId.slice(-4), '0011']) expect(errors).not.toContain(secret)
		}
	})

	test('a 知识竞赛 registration with a phone already entered: no name of the earlier entrant', async () => {
		// 张晓梅 (13600000001) took part in the demo competition.
		const again = await submit(competitionPage, `/competitions/${demo.ids.competition}`, { name: '王五', phone: '13600000001', organization: '示范煤业有限公司' }, null, { slug: demo.ids.competition })
		expect(again.status).toBe(409)
		expect(JSON.stringify(again.data.errors)).not.toMatch(/张晓梅|张\*梅|13600000001/)
	})
})
