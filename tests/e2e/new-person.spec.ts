import { expect, test, type Page } from '@playwright/test'
import { atPath, randomIdNumber, randomPhone, signIn } from './support.ts'
import { withWrongCheckDigit } from '../fixtures/identity.ts'

// An enterprise manager adds a person with a login; the first sign-in forces a new password.

const GIVEN = ['春风', '秋实', '明远', '思齐', '守诚', '立本', '向阳', '致远']
const randomName = () => `钱${GIVEN[Math.floor(Math.random() * GIVEN.length)]}`

/** The roster total shown in the table caption "人员名册（共 N 条）". */
async function rosterTotal(page: Page) {
	await page.goto('/ent')
	await page.getByRole('link', { name: '人员名册' }).click()
	await expect(page).toHaveURL(atPath('/people'))
	const caption = page.getByRole('table').locator('caption')
	await expect(caption).toHaveText(/共 \d+ 条/)
	return Number(/共 (\d+) 条/.exec(await caption.innerText())![1])
}

async function fillPersonForm(page: Page, person: { name: string; phone: string; idNumber: string }) {
	await page.getByLabel('姓名').fill(person.name)
	await page.getByLabel('手机号').fill(person.phone)
	await page.getByLabel('身份证号').fill(person.idNumber)
	await expect(page.getByLabel('所属单位')).toHaveValue(/.+/)
	await expect(page.getByLabel('所属单位').locator('option:checked')).toHaveText('示范煤业有限公司')
	await page.getByLabel('人员类别').selectOption({ label: '一般从业人员' })
	await page.getByLabel('用工形式').selectOption({ label: '劳务派遣' })
	await page.getByRole('group', { name: '工种' }).getByRole('checkbox', { name: '煤矿井下作业人员' }).check()
	await page.getByRole('checkbox', { name: /开通登录账号/ }).check()
}

test('a new account must change its initial password at first sign-in', async ({ page }) => {
	const person = { name: randomName(), phone: randomPhone(), idNumber: randomIdNumber() }
	await signIn(page, '13900000003')
	await expect(page).toHaveURL(atPath('/ent'))
	const before = await rosterTotal(page)

	// A 身份证号 with a wrong check digit is refused next to its field; nothing is saved.
	await page.goto('/ent')
	await page.getByRole('link', { name: '新增人员' }).click()
	await expect(page).toHaveURL(atPath('/people/new'))
	await fillPersonForm(page, { ...person, idNumber: withWrongCheckDigit(person.idNumber) })
	await page.getByRole('button', { name: '保存' }).click()
	await expect(page.locator('#idNumber-error')).toContainText('身份证号不正确')
	await expect(page.getByLabel('身份证号')).toHaveAttribute('aria-invalid', 'true')
	await expect(page.getByTestId('initial-password')).toHaveCount(0)
	expect(await rosterTotal(page)).toBe(before)

	// With a valid one the person is created and the one-time password shown once.
	await page.goto('/ent')
	await page.getByRole('link', { name: '新增人员' }).click()
	await fillPersonForm(page, person)
	await page.getByRole('button', { name: '保存' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`已新增：${person.name}`)
	const initialPassword = (await page.getByTestId('initial-password').innerText()).trim()
	expect(initialPassword).toMatch(/^[A-Za-z0-9]{8,}$/)
	expect(await rosterTotal(page)).toBe(before + 1)

	await page.getByRole('button', { name: '退出' }).click()
	await expect(page.getByTestId('viewer-name')).toHaveCount(0)

	// First sign-in: straight to /password, and nothing else is reachable until it is changed.
	await signIn(page, person.phone, initialPassword)
	await expect(page).toHaveURL(atPath('/password'))
	await expect(page.getByText('请先修改密码再继续使用')).toBeVisible()
	await page.goto('/me')
	await expect(page).toHaveURL(atPath('/password'))

	const newPassword = `Xin${Math.floor(Math.random() * 1e6)}anquan`
	await page.getByLabel('当前密码', { exact: true }).fill(initialPassword)
	await page.getByLabel('新密码', { exact: true }).fill(newPassword)
	await page.getByLabel('再次输入新密码', { exact: true }).fill(newPassword)
	await page.getByRole('button', { name: '保存新密码' }).click()
	await expect(page).toHaveURL(atPath('/me'))
	await expect(page.getByTestId('viewer-name')).toHaveText(person.name)

	// The new password works; the initial one no longer does.
	await page.getByRole('button', { name: '退出' }).click()
	await expect(page.getByTestId('viewer-name')).toHaveCount(0)
	await signIn(page, person.phone, initialPassword)
	await expect(page.getByRole('alert')).toHaveText('手机号或密码不正确')
	await signIn(page, person.phone, newPassword)
	await expect(page).toHaveURL(atPath('/me'))
	await expect(page.getByTestId('viewer-name')).toHaveText(person.name)
})
