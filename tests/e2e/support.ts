import path from 'node:path'
import { expect, type Page } from '@playwright/test'
import { testIdNumber } from '../fixtures/identity.ts'

// Shared by playwright.config.ts, the global set-up and the specs.

export const E2E_PORT = Number(process.env.E2E_PORT || 3210)
export const BASE_URL = `http://localhost:${E2E_PORT}`
/** The server's stdout (one JSON line per event), written by global-setup.ts. */
export const SERVER_LOG = path.resolve(import.meta.dirname, '../../test-results/e2e-server.log')
export const SERVER_ERR_LOG = path.resolve(import.meta.dirname, '../../test-results/e2e-server.stderr.log')

export const DEMO_PASSWORD = 'Anquan@2026'

export const DEMO_ACCOUNTS = [
	{ phone: '13900000000', name: '王建国', role: '系统管理员', home: '/admin' },
	{ phone: '13900000001', name: '刘志强', role: '县安委办', home: '/gov' },
	{ phone: '13900000002', name: '陈海涛', role: '乡镇监管人员', home: '/gov' },
	{ phone: '13900000003', name: '赵立新', role: '企业安全管理员', home: '/ent' },
	{ phone: '13900000004', name: '孙丽华', role: '内容编辑', home: '/editor' },
	{ phone: '13900000010', name: '李大山', role: '从业人员', home: '/me' },
	{ phone: '13900000011', name: '周小龙', role: '劳务派遣从业人员', home: '/me' },
] as const

/** Matches a path exactly, with or without a query string. */
export const atPath = (p: string) => new RegExp(`^${BASE_URL.replace(/[.]/g, '\\.')}${p}(\\?.*)?$`)

export async function signIn(page: Page, phone: string, password = DEMO_PASSWORD) {
	await page.goto('/login')
	await page.getByLabel('手机号').fill(phone)
	await page.getByLabel('密码').fill(password)
	await page.getByRole('button', { name: '登录' }).click()
}

export async function expectNoHorizontalScroll(page: Page, width: number) {
	const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
	expect(scrollWidth, `page ${page.url()} scrolls sideways at ${width}px`).toBeLessThanOrEqual(width)
}

/**
 * An 11-digit mainland mobile number in clear: not part of a longer run of letters and digits
 * (a uuid segment such as 19348396950c is not a phone number).
 */
export const CLEAR_PHONE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/

/** A random generated 身份证号 (tests/fixtures/identity.ts), so reruns never collide. */
export const randomIdNumber = () => testIdNumber(Math.floor(Math.random() * 1000))

export const randomPhone = () => `1370000${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`

/** The short 开工第一课 that tests/e2e/fixtures.ts adds at 示范煤业 (see there). */
/** A 宣传文章 published by the fixtures, listed on /articles and under the 家庭 五进 page. */
export const E2E_ARTICLE = { slug: 'e2e-dongji-ranqi', title: '冬季用气安全提示' } as const

export const E2E_FIRST_LESSON = { course: '开工第一课：入矿须知', lesson: '入矿须知', exam: '开工第一课考试' } as const
