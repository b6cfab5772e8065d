import { expect, test } from '@playwright/test'
import { atPath, signIn } from './support.ts'

// The exam on a throttled connection, like one bar of 4G in a mine yard: Chrome DevTools' "Slow
// 4G" preset (562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up).
test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })

test('on slow 4G the exam opens, every answer is saved and 交卷 gives the result', async ({ page, context }) => {
	test.setTimeout(120_000)
	const cdp = await context.newCDPSession(page)
	await cdp.send('Network.enable')
	await cdp.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: 562.5,
		downloadThroughput: (1.44 * 1024 * 1024) / 8,
		uploadThroughput: (675 * 1024) / 8,
	})

	await signIn(page, '13900000011')
	await expect(page).toHaveURL(atPath('/me'))
	await page.getByRole('region', { name: '我的考试' }).getByRole('link', { name: /^(开始考试|再考一次)$/ }).click()
	await page.getByRole('button', { name: '开始考试' }).click()
	await expect(page.getByRole('heading', { level: 2, name: /^第 1 题/ })).toBeVisible({ timeout: 30_000 })
	await expect(page.getByTestId('time-left')).toHaveText(/^4[45]:\d\d$/)

	for (let p = 1; p <= 3; p++) {
		await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^第 ${p} 题`) })).toBeVisible()
		const choice = page.getByRole('radio').or(page.getByRole('checkbox')).first()
		await choice.check()
		await page.getByRole('button', { name: '下一题' }).click()
	}
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0', { timeout: 30_000 })

	await page.getByRole('button', { name: '交卷' }).click()
	await page.getByRole('region', { name: '确认交卷' }).getByRole('button', { name: '确认交卷' }).click()
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}\/result$/, { timeout: 30_000 })
	await expect(page.getByTestId('score')).toHaveText(/^\d+$/)
	const answered = page.getByTestId('review-item').and(page.locator(':not([data-given="未作答"])'))
	await expect(answered).toHaveCount(3)
})
