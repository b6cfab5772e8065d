import { expect, test } from '@playwright/test'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { atPath, BASE_URL, DEMO_PASSWORD, expectNoHorizontalScroll, signIn } from './support.ts'

// 逢查必考 with two browsers: the 东山乡 inspector (13900000002, desktop) records an inspection of
// 示范煤业 and starts an on-site quiz; the worker 李大山 (13900000010, on a 360×740 phone) opens
// the URL the QR code carries, signs in, takes the quiz; the inspector's table shows his score.

const PHONE = { width: 360, height: 740 }

test('an inspector starts an on-site quiz, a worker joins from the QR code on a phone, and the score appears', async ({ page, browser }) => {
	test.setTimeout(120_000)
	// The inspector, on the desktop.
	await signIn(page, '13900000002')
	await expect(page).toHaveURL(atPath('/gov'))
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '执法检查' }).click()
	await page.getByRole('link', { name: '记录检查' }).click()
	await page.getByLabel('被检查企业').selectOption({ label: '示范煤业有限公司' })
	await page.getByLabel('检查人员').fill('陈海涛、王磊')
	await page.getByLabel('检查情况').fill('检查了掘进工作面和主运输巷。')
	await page.getByLabel('隐患 1', { exact: true }).fill('主运输巷皮带机头防护栏缺失')
	await page.getByLabel('隐患 1 整改期限').fill('2099-01-31')
	await page.getByRole('button', { name: '保存检查记录' }).click()
	await expect(page.getByRole('heading', { level: 1, name: '示范煤业有限公司' })).toBeVisible()
	await expect(page.getByText('主运输巷皮带机头防护栏缺失')).toBeVisible()

	await expect(page.getByLabel('题量')).toHaveValue('5')
	await expect(page.getByLabel('考试时长（分钟）')).toHaveValue('5')
	await page.getByRole('button', { name: '开始现场考试' }).click()
	await expect(page.getByRole('heading', { level: 1, name: '逢查必考 · 现场考试' })).toBeVisible()
	const code = (await page.getByTestId('join-code').textContent())!.trim()
	expect(code).toMatch(/^\d{6}$/)
	const joinUrl = (await page.getByTestId('join-url').textContent())!.trim()
	expect(joinUrl).toBe(`${BASE_URL}/quiz/${code}`)

	// The QR code on screen carries exactly that URL.
	const png = PNG.sync.read(await page.getByTestId('join-qr').screenshot())
	const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
	expect(decoded?.data).toBe(joinUrl)

	// The worker, on a phone, opens the scanned URL.
	const phone = await browser.newContext({ baseURL: BASE_URL, viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
	const worker = await phone.newPage()
	await worker.goto(decoded!.data)
	await expect(worker.getByRole('heading', { level: 1, name: '现场考试 · 示范煤业有限公司' })).toBeVisible()
	await expectNoHorizontalScroll(worker, PHONE.width)
	await worker.getByRole('link', { name: '登录后参加' }).click()
	// The join page has its own 手机号 field (roster match): fill in only once the sign-in page is there.
	await expect(worker.getByRole('heading', { level: 1, name: '登录' })).toBeVisible()
	await worker.getByLabel('手机号').fill('13900000010')
	await worker.getByLabel('密码').fill(DEMO_PASSWORD)
	await worker.getByRole('button', { name: '登录' }).click()
	await expect(worker).toHaveURL(atPath(`/quiz/${code}`))
	await worker.getByRole('button', { name: '参加考试' }).click()
	await expect(worker).toHaveURL(/\/exams\/[0-9a-f-]{36}$/)
	await expect(worker.getByText('5 题')).toBeVisible()

	// Joined, not started yet: the inspector's table shows him (polling, no reload).
	const board = page.getByRole('table', { name: '考试情况' })
	await expect(board.getByRole('row').filter({ hasText: '李大山' })).toContainText('未开始', { timeout: 15_000 })

	await worker.getByRole('button', { name: '开始考试' }).click()
	await expect(worker.getByRole('heading', { level: 2, name: /^第 1 题/ })).toBeVisible()
	await worker.getByRole('radio').first().check()
	// Saved on the server before 交卷 (the confirm step refuses while an answer is unsent).
	await expect(worker.getByTestId('sync-status')).toHaveAttribute('data-pending', '0')
	await worker.getByRole('button', { name: '交卷' }).click()
	await worker.getByRole('region', { name: '确认交卷' }).getByRole('button', { name: '确认交卷' }).click()
	await expect(worker).toHaveURL(/\/attempts\/[0-9a-f-]{36}\/result/)
	const score = (await worker.getByTestId('score').textContent())!.trim()
	expect(score).toMatch(/^(0|10)$/)
	await expectNoHorizontalScroll(worker, PHONE.width)

	// The inspector's screen catches up by itself and shows the score.
	const row = board.getByRole('row').filter({ hasText: '李大山' })
	await expect(row).toContainText(`${score} / 50`, { timeout: 15_000 })
	await expect(row).toContainText(/通过|未通过/)
	await expect(page.getByTestId('finished-count')).toHaveText('1')

	// 结束考试: the code no longer admits anyone.
	await page.getByRole('button', { name: '结束考试' }).click()
	await expect(page.getByText(/已于 .* 结束/)).toBeVisible()
	await worker.goto(`/quiz/${code}`)
	await expect(worker.getByRole('alert')).toContainText('本场现场考试已结束')
	await phone.close()
})
