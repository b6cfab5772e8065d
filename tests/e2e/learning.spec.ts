import { expect, test } from '@playwright/test'
import { atPath, expectNoHorizontalScroll, signIn } from './support.ts'

// 知识学习 on a phone: the worker sees the courses of their own job, reads a lesson, and the
// server records the visit and the study time.
const WIDTH = 360
test.use({ viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true })

test('a coal-mine worker sees exactly the courses of their job and studies a lesson', async ({ page }) => {
	await signIn(page, '13900000010')
	await expect(page).toHaveURL(atPath('/me'))
	const courses = page.getByRole('region', { name: '我的课程' }).getByRole('listitem')
	await expect(courses).toHaveCount(2)
	await expect(courses.filter({ hasText: '从业人员通用安全知识' })).toHaveCount(1)
	await expect(courses.filter({ hasText: '煤矿井下作业人员专业知识' })).toHaveCount(1)
	await expect(page.getByText('危险化学品')).toHaveCount(0)

	await page.getByRole('region', { name: '我的课程' }).getByRole('link', { name: '煤矿井下作业人员专业知识' }).click()
	await expect(page.getByRole('heading', { level: 1, name: '煤矿井下作业人员专业知识' })).toBeVisible()
	await page.getByRole('list').getByRole('link').first().click()
	await expect(page.getByText(/第 1\/5 课时/)).toBeVisible()
	await expectNoHorizontalScroll(page, WIDTH)

	// Marking done at once is refused: the minimum study time has not passed on the server.
	await page.getByRole('button', { name: '我已学完本课时' }).click()
	await expect(page.getByRole('alert')).toContainText(/还需学习约 \d+ 分钟/)

	// The visit is recorded: the course page shows the lesson started, not done.
	await page.getByRole('link', { name: '煤矿井下作业人员专业知识' }).click()
	await expect(page.getByText('已完成 0/5 课时')).toBeVisible()
})
