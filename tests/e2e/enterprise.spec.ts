import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { qrCodeOf } from '../fixtures/pdf.ts'
import { atPath, E2E_FIRST_LESSON, expectNoHorizontalScroll, randomIdNumber, randomPhone, signIn } from './support.ts'

// The enterprise's whole loop: the safety manager imports a roster and assigns a training plan;
// the new worker, on a phone without JavaScript, changes the initial password, studies the
// course and passes the exam; the manager sees the worker turn 可以上岗, downloads the
// certificate, and the public page opened from the certificate's QR code says 有效 — and 已撤销
// once the manager revokes it. The course and exam are the short 开工第一课 that
// tests/e2e/fixtures.ts adds for 一般岗位从业人员 at 示范煤业.

const PHONE_SIZE = { width: 360, height: 740 }

async function clearanceOf(page: Page, name: string) {
	await page.goto(`/people?q=${encodeURIComponent(name)}`)
	await page.getByRole('link', { name, exact: true }).click()
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
	return page.getByTestId('clearance-status')
}

test('a manager imports and plans, the worker studies and passes on a phone, and the certificate verifies until revoked', async ({ browser }) => {
	// One lesson's minimum study time is one real minute on the server's clock.
	test.setTimeout(240_000)
	const name = `孙新${String.fromCharCode(0x4e00 + Math.floor(Math.random() * 500))}`
	const phone = randomPhone()

	// 1. The manager imports a one-person roster (CSV as Excel saves it, with a BOM).
	const managerContext = await browser.newContext()
	const manager = await managerContext.newPage()
	await signIn(manager, '13900000003')
	await expect(manager).toHaveURL(atPath('/ent'))
	await manager.goto('/people/import')
	const csv = `\uFEFF姓名,手机号,身份证号,人员类别,用工形式,工种,入职日期\n${name},${phone},${randomIdNumber()},一般从业人员,灵活用工,一般岗位从业人员,2026-11-01\n`
	await manager.getByLabel('选择文件').setInputFiles({ name: '新入职人员.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
	await manager.getByRole('button', { name: '检查文件' }).click()
	await expect(manager.getByRole('heading', { name: /^检查通过/ })).toBeVisible()
	await manager.getByRole('button', { name: '确认导入' }).click()
	await expect(manager.getByRole('heading', { level: 1, name: /^导入完成/ })).toBeVisible()
	const initialPassword = (await manager.getByTestId('initial-password').innerText()).trim()

	// 2. …and gives the newcomer a plan: the 开工第一课 course and its exam.
	await manager.goto('/plans/new')
	if (await manager.getByRole('button', { name: '下一步' }).count()) await manager.getByRole('button', { name: '下一步' }).click()
	await manager.getByLabel('计划名称').fill('新入职人员开工第一课')
	const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
	await manager.getByLabel('完成期限').fill(due)
	await manager.getByRole('checkbox', { name: new RegExp(E2E_FIRST_LESSON.course) }).check()
	// The exam choices read "<title>（<window>）".
	const exam = await manager.getByLabel('考试').locator('option', { hasText: E2E_FIRST_LESSON.exam }).getAttribute('value')
	await manager.getByLabel('考试').selectOption(exam!)
	await manager.getByRole('radio', { name: '按名单' }).check()
	await manager.getByRole('group', { name: /按名单/ }).getByRole('checkbox', { name: new RegExp(name) }).check()
	await manager.getByRole('button', { name: '保存计划' }).click()
	await expect(manager.getByRole('heading', { level: 1, name: '新入职人员开工第一课' })).toBeVisible()
	await expect(await clearanceOf(manager, name)).toHaveText('不得上岗')

	// 3. The worker, on a phone without JavaScript: new password, the lesson, the exam.
	const workerContext = await browser.newContext({ viewport: PHONE_SIZE, isMobile: true, hasTouch: true, javaScriptEnabled: false })
	const worker = await workerContext.newPage()
	await signIn(worker, phone, initialPassword)
	await expect(worker).toHaveURL(atPath('/password'))
	const password = `Xin${Math.floor(Math.random() * 1e6)}anquan`
	await worker.getByLabel('当前密码', { exact: true }).fill(initialPassword)
	await worker.getByLabel('新密码', { exact: true }).fill(password)
	await worker.getByLabel('再次输入新密码', { exact: true }).fill(password)
	await worker.getByRole('button', { name: '保存新密码' }).click()
	await expect(worker).toHaveURL(atPath('/me'))
	const status = worker.getByRole('region', { name: /上岗资格/ })
	await expect(status.getByTestId('clearance-status')).toHaveText('不得上岗')
	await expect(status.getByRole('list', { name: '不得上岗的原因' })).toContainText(`《${E2E_FIRST_LESSON.course}》未完成 0/1 课时`)
	await expect(worker.getByRole('region', { name: '我的培训计划' })).toContainText('新入职人员开工第一课')
	await expectNoHorizontalScroll(worker, PHONE_SIZE.width)

	await status.getByRole('link', { name: new RegExp(`继续学习《${E2E_FIRST_LESSON.course}》`) }).click()
	await worker.getByRole('link', { name: E2E_FIRST_LESSON.lesson }).click()
	await expect(worker.getByRole('heading', { level: 1, name: E2E_FIRST_LESSON.lesson })).toBeVisible()
	await worker.waitForTimeout(62_000)
	await worker.getByRole('button', { name: '我已学完本课时' }).click()
	await worker.goto('/me')
	await expect(status.getByRole('list', { name: '不得上岗的原因' })).not.toContainText('未完成')

	const exams = worker.getByRole('region', { name: '我的考试' })
	await exams.getByRole('listitem').filter({ hasText: E2E_FIRST_LESSON.exam }).getByRole('link', { name: '开始考试' }).click()
	await worker.getByRole('button', { name: '开始考试' }).click()
	for (let q = 1; q <= 5; q++) {
		await expect(worker.getByRole('heading', { level: 2, name: new RegExp(`^第 ${q} 题`) })).toBeVisible()
		await worker.getByRole('radio', { name: '正确' }).check()
		await worker.getByRole('button', { name: q < 5 ? '下一题' : '交卷' }).click()
	}
	await worker.getByRole('region', { name: '确认交卷' }).getByRole('button', { name: '确认交卷' }).click()
	await expect(worker).toHaveURL(/\/attempts\/[0-9a-f-]{36}\/result$/)
	await expect(worker.getByTestId('score')).toHaveText('100')
	await expect(worker.getByTestId('verdict')).toHaveText(/已通过/)
	await worker.goto('/me')
	await expect(status.getByTestId('clearance-status')).toHaveText('可以上岗')
	await expect(worker.getByRole('region', { name: '我的证书' })).toContainText('合格证')

	// 4. The manager sees the worker cleared and downloads the certificate.
	await expect(await clearanceOf(manager, name)).toHaveText('可以上岗')
	await manager.goto('/certificates')
	await manager.getByRole('link', { name, exact: true }).click()
	const download = manager.waitForEvent('download')
	await manager.getByRole('link', { name: '下载证书（PDF）' }).click()
	const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-certificate-')), 'certificate.pdf')
	await (await download).saveAs(pdf)
	expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')

	// 5. Anyone opening the QR code's URL, signed in or not, reads 有效; after revocation 已撤销.
	const verifyUrl = qrCodeOf(pdf)
	expect(verifyUrl).toMatch(/\/verify\/AQ\d{4}-[0-9A-Z]{8}-[0-9A-Z]{6}$/)
	const publicContext = await browser.newContext({ viewport: PHONE_SIZE, isMobile: true })
	const visitor = await publicContext.newPage()
	await visitor.goto(new URL(new URL(verifyUrl!).pathname, manager.url()).toString())
	const verdict = visitor.getByRole('region', { name: '核验结果' })
	await expect(verdict).toContainText('有效')
	await expect(verdict).toContainText(`${name.slice(0, 1)}*`)
	await expect(verdict).not.toContainText(name)

	await manager.getByLabel('撤销原因').fill('发证信息有误，需重新发放')
	await manager.getByRole('button', { name: '确认撤销' }).click()
	// The page's own record of the revocation (the form's hint mentions 已撤销 before it happens).
	await expect(manager.getByRole('region', { name: '证书信息' })).toContainText('撤销原因：发证信息有误，需重新发放')
	await visitor.reload()
	await expect(verdict).toContainText('已撤销')
	await expect(verdict).toContainText('发证信息有误，需重新发放')

	await Promise.all([managerContext.close(), workerContext.close(), publicContext.close()])
})
