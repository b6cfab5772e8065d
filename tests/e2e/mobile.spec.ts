import { expect, test } from '@playwright/test'
import { atPath, CLEAR_PHONE, expectNoHorizontalScroll, signIn } from './support.ts'

// A phone-sized screen: workers and managers sign in on their phones.
const WIDTH = 360
test.use({ viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true })

test('a worker signs in on a phone and lands on 我的 without sideways scrolling', async ({ page }) => {
	await signIn(page, '13900000010')
	await expect(page).toHaveURL(atPath('/me'))
	await expect(page.getByTestId('viewer-name')).toHaveText('李大山')
	await expect(page.getByRole('heading', { level: 1 })).toContainText('李大山')
	await expectNoHorizontalScroll(page, WIDTH)
})

test('an enterprise manager sees the roster with masked phones, then signs out', async ({ page }) => {
	await signIn(page, '13900000003')
	await expect(page).toHaveURL(atPath('/ent'))
	await expect(page.getByTestId('viewer-name')).toHaveText('赵立新')
	await expectNoHorizontalScroll(page, WIDTH)

	await page.getByRole('link', { name: '人员名册' }).click()
	await expect(page).toHaveURL(atPath('/people'))
	await expect(page.getByRole('heading', { name: '人员名册', level: 1 })).toBeVisible()
	const table = page.getByRole('table')
	await expect(table).toBeVisible()
	const rows = table.locator('tbody tr')
	await expect(rows.first()).toBeVisible()
	expect(await rows.count()).toBeGreaterThan(1)
	await expect(table.getByRole('cell', { name: /^1\d{2}\*{4}\d{4}$/ }).first()).toBeVisible()
	const phoneCells = await table.getByRole('cell', { name: /^1\d{2}\*{4}\d{4}$/ }).count()
	expect(phoneCells).toBe(await rows.count())
	const text = await page.locator('body').innerText()
	expect(text).not.toMatch(CLEAR_PHONE)
	expect(await page.content()).not.toMatch(CLEAR_PHONE)
	await expectNoHorizontalScroll(page, WIDTH)

	await page.getByRole('button', { name: '退出' }).click()
	await expect(page.getByTestId('viewer-name')).toHaveCount(0)
	await page.goto('/ent')
	await expect(page).toHaveURL(/\/login(\?|$)/)
	await expect(page.getByLabel('手机号')).toBeVisible()
})
