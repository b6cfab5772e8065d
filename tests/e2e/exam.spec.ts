import { expect, test, type Page } from '@playwright/test'
import { atPath, expectNoHorizontalScroll, signIn } from './support.ts'

// Taking the demo 岗前安全培训考试 on a phone, as 李大山 (13900000010): answers saved as they are
// given, kept on the device while the network is gone, shown again after a reload, synced when it
// is back; 交卷 and a score that matches the answers. Then the same exam without JavaScript.
// The demo exam allows three attempts: each test here uses one.

const WIDTH = 360
test.use({ viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true })

const WORKER = '13900000010'

/** From 我的 to a running attempt: the exam's intro, then 开始考试. */
async function startExam(page: Page) {
	await signIn(page, WORKER)
	await expect(page).toHaveURL(atPath('/me'))
	// 李大山 may hold other exams too (an on-site quiz, a re-exam): take this one.
	const exam = page.getByRole('region', { name: '我的考试' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: '煤矿井下作业人员岗前安全培训考试', exact: true }) })
	await expect(exam).toHaveCount(1)
	await exam.getByRole('link', { name: /^(开始考试|再考一次)$/ }).click()
	await expect(page.getByRole('heading', { level: 1, name: '煤矿井下作业人员岗前安全培训考试' })).toBeVisible()
	await expect(page.getByText('25 题')).toBeVisible()
	await expectNoHorizontalScroll(page, WIDTH)
	await page.getByRole('button', { name: '开始考试' }).click()
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}(\?.*)?$/)
	await expect(page.getByRole('heading', { level: 2, name: /^第 1 题/ })).toBeVisible()
}

/**
 * Answers the question on screen (a choice that depends on its number) and returns the answer as
 * the review will show it: "B", "AC", 正确/错误.
 */
async function answerShown(page: Page, position: number) {
	await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^第 ${position} 题`) })).toBeVisible()
	const boxes = page.getByRole('checkbox')
	if ((await boxes.count()) > 0) {
		const n = await boxes.count()
		const picks = [position % n, (position + 1) % n].sort()
		for (const i of picks) await boxes.nth(i).check()
		return picks.map((i) => 'ABCDEFGH'[i]).join('')
	}
	const radios = page.getByRole('radio')
	const n = await radios.count()
	const i = position % n
	if (n === 2 && (await page.getByRole('radio', { name: '正确' }).count())) {
		const label = i === 0 ? '正确' : '错误'
		await page.getByRole('radio', { name: label }).check()
		return label
	}
	await radios.nth(i).check()
	return 'ABCDEFGH'[i]!
}

/** The 答题卡 entries: "第 N 题，已作答，未同步". */
const card = (page: Page) => page.getByRole('navigation', { name: '答题卡' }).getByRole('link')
const syncStatus = (page: Page) => page.getByTestId('sync-status')

/** The score the review's answers earn: all-or-nothing per question, as the template grades. */
async function scoreFromReview(page: Page, expected: Map<number, string>) {
	const items = page.getByTestId('review-item')
	await expect(items).toHaveCount(25)
	let score = 0
	for (let i = 0; i < 25; i++) {
		const item = items.nth(i)
		const given = await item.getAttribute('data-given')
		const right = await item.getAttribute('data-right')
		const points = Number(await item.getAttribute('data-points'))
		const awarded = Number(await item.getAttribute('data-awarded'))
		// Every answer given (online or offline) reached the server.
		expect(given, `第 ${i + 1} 题`).toBe(expected.get(i + 1) ?? '未作答')
		expect(awarded, `第 ${i + 1} 题 marks`).toBe(given === right ? points : 0)
		if (given === right) score += points
	}
	return score
}

test('a worker takes the exam on a phone through a lost connection and a reload, and gets the score of their answers', async ({ page, context }) => {
	test.setTimeout(120_000)
	await startExam(page)
	await expect(page.getByTestId('time-left')).toHaveText(/^4[45]:\d\d$/)
	await expectNoHorizontalScroll(page, WIDTH)
	// The page as sent (HTML and the loader data in it) has no answer key and no explanations.
	const sent = await (await page.request.get(page.url())).text()
	expect(sent).toContain('第 1 题')
	for (const secret of ['explanation', '"right"', 'optionOrder', '解析']) expect(sent).not.toContain(secret)
	const expected = new Map<number, string>()

	// Online: each answer is saved as it is given.
	for (let p = 1; p <= 4; p++) {
		expected.set(p, await answerShown(page, p))
		await page.getByRole('button', { name: '下一题' }).click()
	}
	await expect(syncStatus(page)).toHaveAttribute('data-pending', '0')
	await expect(syncStatus(page)).toHaveText('答案已全部保存')

	// Offline: answering and moving between questions go on; the answers wait on the device.
	await context.setOffline(true)
	for (let p = 5; p <= 8; p++) {
		expected.set(p, await answerShown(page, p))
		await page.getByRole('button', { name: '下一题' }).click()
	}
	await expect(syncStatus(page)).toHaveText('网络已断开，4 题答案待同步')
	await expect(card(page).and(page.locator('[aria-label$="未同步"]'))).toHaveCount(4)
	// 上一题 works offline too.
	await page.getByRole('button', { name: '上一题' }).click()
	await expect(page.getByRole('heading', { level: 2, name: /^第 8 题/ })).toBeVisible()

	// Reloading while still offline: the page comes back from the copy saved on the device, with
	// every answer, those not yet synced marked 未同步.
	await page.reload()
	await expect(page.getByRole('heading', { level: 2, name: /^第 8 题/ })).toBeVisible()
	await expect(syncStatus(page)).toHaveAttribute('data-pending', '4')
	await expect(syncStatus(page)).toHaveText('网络已断开，4 题答案待同步')
	await expect(card(page).and(page.locator('[aria-label*="已作答"]'))).toHaveCount(8)
	await expect(card(page).and(page.locator('[aria-label$="未同步"]'))).toHaveCount(4)
	for (let p = 5; p <= 8; p++) await expect(card(page).and(page.locator(`[aria-label="第 ${p} 题，已作答，未同步"]`))).toHaveCount(1)
	// The question on screen shows its offline answer, marked 未同步; the clock still runs.
	await expect(page.getByRole('heading', { level: 2, name: /^第 8 题.*未同步$/ })).toBeVisible()
	await expect(page.getByTestId('time-left')).toHaveText(/^4[345]:\d\d$/)
	const eighth = expected.get(8)!
	if (eighth === '正确' || eighth === '错误') await expect(page.getByRole('radio', { name: eighth })).toBeChecked()
	else for (const letter of eighth) await expect(page.getByRole('radio').or(page.getByRole('checkbox')).nth('ABCDEFGH'.indexOf(letter))).toBeChecked()

	// The network is back for real: everything syncs.
	await context.setOffline(false)
	await expect(syncStatus(page)).toHaveAttribute('data-pending', '0', { timeout: 20_000 })
	await expect(syncStatus(page)).toHaveText('答案已全部保存')
	await expect(card(page).and(page.locator('[aria-label$="未同步"]'))).toHaveCount(0)

	// A few more, straight from the 答题卡.
	await card(page).nth(9).click()
	expected.set(10, await answerShown(page, 10))
	await page.getByRole('button', { name: '下一题' }).click()
	expected.set(11, await answerShown(page, 11))
	await expect(syncStatus(page)).toHaveAttribute('data-pending', '0')

	// 切屏: the page hidden and shown again (a call, a notification) is counted by the server; the
	// reload above was not one.
	await expect(page.getByTestId('switch-count')).toHaveText('0')
	for (const state of ['hidden', 'visible']) {
		await page.evaluate((value) => {
			Object.defineProperty(document, 'visibilityState', { value, configurable: true })
			document.dispatchEvent(new Event('visibilitychange'))
		}, state)
	}
	await expect(page.getByTestId('switch-count')).toHaveText('1')

	// 交卷: the confirm step lists what is unanswered (9 and 12–25), then submits.
	await page.getByRole('button', { name: '交卷' }).click()
	const confirm = page.getByRole('region', { name: '确认交卷' })
	await expect(confirm).toContainText('还有 15 题未作答')
	await expect(confirm.getByRole('list', { name: '未作答的题' }).getByRole('link')).toHaveCount(15)
	await expect(confirm.getByRole('link', { name: '第 9 题' })).toBeVisible()
	await expectNoHorizontalScroll(page, WIDTH)
	await confirm.getByRole('button', { name: '确认交卷' }).click()
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}\/result$/)

	const shown = Number(await page.getByTestId('score').textContent())
	expect(shown).toBe(await scoreFromReview(page, expected))
	await expect(page.getByTestId('verdict')).toHaveText(shown >= 80 ? /已通过/ : /未通过/)
	await expect(page.getByTestId('switches')).toHaveText('1 次')
	await expectNoHorizontalScroll(page, WIDTH)
	// Nothing about the attempt is left waiting on the device.
	expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('anquan.exam.')))).toEqual([])
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })

	test('the same exam works with plain forms: 下一题 saves, 交卷 confirms, the score is shown', async ({ page }) => {
		await startExam(page)
		await expectNoHorizontalScroll(page, WIDTH)
		const expected = new Map<number, string>()
		for (let p = 1; p <= 6; p++) {
			expected.set(p, await answerShown(page, p))
			await page.getByRole('button', { name: '下一题' }).click()
			await expect(page).toHaveURL(new RegExp(`\\?q=${p + 1}$`))
		}
		// 上一题 saves and goes back; the saved answer is there.
		expected.set(7, await answerShown(page, 7))
		await page.getByRole('button', { name: '上一题' }).click()
		await expect(page).toHaveURL(/\?q=6$/)
		await expect(card(page).and(page.locator('[aria-label*="已作答"]'))).toHaveCount(7)
		// 答题卡 links are plain links.
		await card(page).nth(24).click()
		await expect(page).toHaveURL(/\?q=25$/)
		expected.set(25, await answerShown(page, 25))
		await page.getByRole('button', { name: '交卷' }).click()
		await expect(page).toHaveURL(/\?q=25&confirm=1$/)
		const confirm = page.getByRole('region', { name: '确认交卷' })
		await expect(confirm).toContainText('还有 17 题未作答')
		await confirm.getByRole('button', { name: '确认交卷' }).click()
		await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}\/result$/)
		const shown = Number(await page.getByTestId('score').textContent())
		expect(shown).toBe(await scoreFromReview(page, expected))
		await expectNoHorizontalScroll(page, WIDTH)

		// 我的考试 now shows the result and offers the last try.
		await page.getByRole('link', { name: '返回我的' }).click()
		const exam = page.getByRole('region', { name: '我的考试' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: '煤矿井下作业人员岗前安全培训考试', exact: true }) })
		await expect(exam.getByText(/已考 \d\/3 次/)).toBeVisible()
		await expect(exam.getByRole('link', { name: '查看成绩' })).toBeVisible()
	})
})
