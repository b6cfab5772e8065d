import fs from 'node:fs'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import matter from 'gray-matter'
import { atPath, CLEAR_PHONE, E2E_ARTICLE, expectNoHorizontalScroll, randomPhone, signIn } from './support.ts'

// The public site on a phone, signed out: every public page type is accessible (axe: no serious
// or critical violation), has one <h1>, a <main>, a <title> and og:title for link previews, loads
// no web font and lazy-loads its images; then the public flows work in the browser.

const WIDTH = 360
test.use({ viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true })

const CASE_SLUG = 'coal-mine-gas-explosion'
const SETTINGS = ['enterprise', 'rural', 'community', 'school', 'family']
const WEB_FONT = /\.(woff2?|ttf|otf)(\?|$)/i

/** Fails the test if the page asked for a web font at any point (fonts are the system's). */
function watchFonts(page: Page) {
	const fonts: string[] = []
	page.on('request', (request) => {
		if (WEB_FONT.test(request.url()) || request.resourceType() === 'font') fonts.push(request.url())
	})
	return () => expect(fonts, 'public pages use the system Chinese fonts, no web font').toEqual([])
}

/**
 * The checks every public page passes, on whatever the page shows now. A participant's own page
 * (a competition paper) is not for sharing and needs no og:title.
 */
async function expectPublicPageQuality(page: Page, { shared = true } = {}) {
	const where = page.url()
	await expect(page.locator('h1'), `one <h1> on ${where}`).toHaveCount(1)
	await expect(page.locator('main'), `a <main> on ${where}`).toHaveCount(1)
	expect((await page.title()).trim(), `a <title> on ${where}`).not.toBe('')
	if (shared) {
		const ogTitle = page.locator('meta[property="og:title"]')
		await expect(ogTitle, `og:title on ${where}`).toHaveCount(1)
		expect(await ogTitle.getAttribute('content')).toBeTruthy()
	}
	await expect(page.locator('img:not([loading="lazy"])'), `eager images on ${where}`).toHaveCount(0)
	await expectNoHorizontalScroll(page, WIDTH)

	const { violations } = await new AxeBuilder({ page }).analyze()
	const serious = violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
	expect(serious, `axe on ${where}`).toEqual([])
}

async function visit(page: Page, url: string) {
	const response = await page.goto(url)
	expect(response?.status(), url).toBe(200)
	await expectPublicPageQuality(page)
}

// Public pages without a flow of their own (cases, glossary, self-test and competitions have theirs below).
const PAGES = ['/', '/wujin', ...SETTINGS.map((s) => `/wujin/${s}`), '/campaigns', '/articles', '/verify', '/login']
for (const url of PAGES) {
	test(`${url} passes the public-page checks`, async ({ page }) => {
		const noFonts = watchFonts(page)
		await visit(page, url)
		noFonts()
	})
}

test('a published 宣传文章: listed on /articles and its 五进 page, and its own page', async ({ page }) => {
	await visit(page, '/articles')
	await page.getByRole('link', { name: E2E_ARTICLE.title }).first().click()
	await expect(page).toHaveURL(atPath(`/articles/${E2E_ARTICLE.slug}`))
	await expectPublicPageQuality(page)
	await visit(page, '/wujin/family')
	await expect(page.getByRole('link', { name: E2E_ARTICLE.title })).toBeVisible()
})

test('a certificate serial opens its public verification page', async ({ page, browser }) => {
	// A serial as an administrator sees it in the certificate register; the reader is signed out.
	await signIn(page, '13900000000')
	await expect(page).toHaveURL(atPath('/admin'))
	await page.goto('/certificates')
	const serial = (await page.locator('table.data tbody td').filter({ hasText: /^AQ\d{4}-/ }).first().textContent())?.trim()
	expect(serial).toMatch(/^AQ\d{4}-/)
	const stranger = await browser.newContext({ viewport: { width: WIDTH, height: 740 }, isMobile: true })
	const reader = await stranger.newPage()
	await visit(reader, `/verify/${serial}`)
	await expect(reader.getByText(serial!).first()).toBeVisible()
	await stranger.close()
})

test('the home page leads to the public pages', async ({ page }) => {
	await page.goto('/')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('安全生产培训考试与宣教平台')
	await page.getByRole('link', { name: '安全宣传“五进”' }).click()
	await expect(page).toHaveURL(atPath('/wujin'))
	await page.locator('a[href="/wujin/family"]').first().click()
	await expect(page).toHaveURL(atPath('/wujin/family'))
	await expect(page.getByRole('heading', { level: 1 })).toContainText('家庭')
})

test('the case library filters by industry, and a case study grades its self-check', async ({ page }) => {
	const noFonts = watchFonts(page)
	await visit(page, '/cases')
	const all = await page.locator('.case-list > li').count()
	expect(all).toBeGreaterThanOrEqual(12)

	await page.getByLabel('行业').selectOption({ label: '煤矿' })
	await page.getByRole('button', { name: '筛选' }).click()
	await expect(page).toHaveURL(/\/cases\?.*industry=coal/)
	await expect(page.getByTestId('case-count')).toContainText('符合条件的案例')
	const coal = page.locator('.case-list > li')
	expect(await coal.count()).toBeGreaterThan(0)
	expect(await coal.count()).toBeLessThan(all)
	for (const meta of await page.locator('.case-list .case-meta').allInnerTexts()) expect(meta).toContain('煤矿')
	await expectPublicPageQuality(page)

	await page.getByRole('link', { name: '某煤矿掘进工作面瓦斯爆炸事故' }).click()
	await expect(page).toHaveURL(atPath(`/cases/${CASE_SLUG}`))
	await expectPublicPageQuality(page)
	for (const section of ['事故经过', '原因分析', '责任追究', '防范措施', '教训']) {
		await expect(page.getByRole('heading', { name: section }).first()).toBeVisible()
	}

	// Answer from the shipped file: all right but the first, which gets a wrong choice on purpose.
	const file = matter(fs.readFileSync(path.resolve('content/cases', `${CASE_SLUG}.md`), 'utf8'))
	const questions = file.data.questions as { id: string; type: string; answer: string | boolean }[]
	expect(questions.length).toBeGreaterThanOrEqual(3)
	for (const [i, q] of questions.entries()) {
		const right = q.type === 'judge' ? [String(q.answer)] : String(q.answer).split('')
		const given = i > 0 ? right : q.type === 'judge' ? [String(!q.answer)] : [['A', 'B'].find((l) => !right.includes(l))!]
		for (const value of given) await page.locator(`input[name="q-${q.id}"][value="${value}"]`).check()
	}
	await page.getByRole('button', { name: '提交答案' }).click()
	await expect(page.getByRole('status').filter({ hasText: '答对' })).toHaveText(`答对 ${questions.length - 1} / ${questions.length} 题。对照下面的解析再看一遍案例。`)
	await expect(page.getByTestId(`result-${questions[0]!.id}`)).toContainText('✗ 回答错误')
	for (const q of questions.slice(1)) await expect(page.getByTestId(`result-${q.id}`)).toContainText('✓ 回答正确')
	await expect(page.getByText(/^解析：/)).toHaveCount(questions.length)
	await expectPublicPageQuality(page)
	noFonts()
})

test('the glossary finds a term', async ({ page }) => {
	const noFonts = watchFonts(page)
	await visit(page, '/glossary')
	await page.getByRole('searchbox', { name: '查找术语' }).fill('三违')
	await page.getByRole('button', { name: '查找' }).click()
	await expect(page).toHaveURL(/\/glossary\?q=/)
	await expect(page.getByTestId('term-count')).toContainText('与“三违”有关的术语')
	await expect(page.locator('dt', { hasText: /^三违$/ })).toBeVisible()
	await expectPublicPageQuality(page)
	noFonts()
})

test('a self-test of 10 questions: 交卷, the score, and a result page anyone can open from its link', async ({ page, browser }) => {
	const noFonts = watchFonts(page)
	await visit(page, '/self-test')
	const questions = page.locator('fieldset.practice-question')
	await expect(questions).toHaveCount(10)
	// The page carries no answer key: take the first choice of every question.
	for (const question of await questions.all()) await question.locator('input').first().check()
	await page.getByRole('button', { name: '交卷' }).click()

	await expect(page).toHaveURL(/\/self-test\/r\/[^/?]+$/)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('自测成绩')
	const score = Number(await page.getByTestId('score').innerText())
	expect(score).toBeGreaterThanOrEqual(0)
	expect(score).toBeLessThanOrEqual(100)
	const verdict = await page.getByTestId('verdict').innerText()
	expect(verdict).not.toBe('')
	await expect(page.getByTestId('review-item')).toHaveCount(10)
	// What was ticked is what was graded: the first choice, A or 正确.
	const given = await page.getByTestId('review-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-given')))
	for (const answer of given) expect(['A', '正确']).toContain(answer)
	await expect(page.getByText(/^解析：/)).toHaveCount(10)
	const url = page.url()
	await expect(page.getByLabel('本页链接')).toHaveValue(url)
	await expectPublicPageQuality(page)
	noFonts()

	// Someone else opens the shared link: same score, no sign-in.
	const stranger = await browser.newContext({ viewport: { width: WIDTH, height: 740 }, isMobile: true })
	const shared = await stranger.newPage()
	await shared.goto(url)
	await expect(shared.getByTestId('score')).toHaveText(String(score))
	await expect(shared.getByTestId('verdict')).toHaveText(verdict)
	await expect(shared.getByTestId('review-item')).toHaveCount(10)
	await stranger.close()
})

test('a 知识竞赛: register, start, answer, 交卷, the score, and the leaderboard shows the name masked', async ({ page, browser }) => {
	const noFonts = watchFonts(page)
	const name = '钱浩然'
	const phone = randomPhone()
	await visit(page, '/competitions')
	await page.getByRole('link', { name: /安全知识竞赛$/ }).first().click()
	await expect(page).toHaveURL(atPath('/competitions/anquan-zhishi-jingsai'))
	await expectPublicPageQuality(page)

	await page.getByLabel('姓名').fill(name)
	await page.getByLabel('手机号').fill(phone)
	await page.getByLabel('单位或组织').fill('示范县第二中学')
	await page.getByRole('button', { name: '报名' }).click()
	await expect(page).toHaveURL(atPath('/competitions/anquan-zhishi-jingsai/paper'))
	await expect(page.getByRole('heading', { level: 2 })).toContainText(`${name}，您已报名`)
	await expectPublicPageQuality(page, { shared: false })

	await page.getByRole('button', { name: '开始答题' }).click()
	await expect(page.getByTestId('time-left')).toHaveText(/^1[45]:\d\d$/)
	const questions = page.locator('fieldset.practice-question')
	await expect(questions).toHaveCount(10)
	for (const question of await questions.all()) await question.locator('input').first().check()
	await expectPublicPageQuality(page, { shared: false })
	await page.getByRole('button', { name: '交卷' }).click()

	await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的成绩')
	const score = await page.getByTestId('score').innerText()
	expect(Number(score)).toBeGreaterThanOrEqual(0)
	await expect(page.getByTestId('rank')).toHaveText(/^第 \d+ 名$/)
	await expect(page.getByTestId('review-item')).toHaveCount(10)
	await expectPublicPageQuality(page, { shared: false })

	await page.getByRole('link', { name: '查看排行榜' }).click()
	await expect(page).toHaveURL(atPath('/competitions/anquan-zhishi-jingsai/leaderboard'))
	const mine = page.getByTestId('board-row').filter({ hasText: '钱*然' })
	await expect(mine).toHaveCount(1)
	await expect(mine).toContainText('示范县第二中学')
	await expect(mine.getByRole('cell').nth(3)).toHaveText(score)
	await expect(page.getByTestId('my-rank')).toContainText(`${score} 分`)
	expect(await page.locator('main').innerText()).not.toContain(name)
	await expectPublicPageQuality(page)
	noFonts()

	// What anyone else gets from the leaderboard: the masked name, never the name or the phone.
	const stranger = await browser.newContext()
	const board = await stranger.newPage()
	await board.goto('/competitions/anquan-zhishi-jingsai/leaderboard')
	await expect(board.getByTestId('board-row').filter({ hasText: '钱*然' })).toHaveCount(1)
	const html = await board.content()
	expect(html).not.toContain(name)
	expect(html).not.toContain(phone)
	expect(html).not.toMatch(CLEAR_PHONE)
	await stranger.close()
})
