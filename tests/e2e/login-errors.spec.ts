import { expect, test } from '@playwright/test'
import { atPath, signIn } from './support.ts'

test('a wrong password is refused next to the form and stays on /login', async ({ page }) => {
	await signIn(page, '13900000011', 'wrong-password-1')
	const form = page.locator('form').filter({ has: page.getByLabel('密码') })
	await expect(form.getByRole('alert')).toHaveText('手机号或密码不正确')
	await expect(page).toHaveURL(atPath('/login'))
	await expect(page.getByTestId('viewer-name')).toHaveCount(0)
	await expect(page.getByLabel('手机号')).toHaveValue('13900000011')
})

test('an empty form shows an error next to each field', async ({ page }) => {
	await page.goto('/login')
	await page.getByRole('button', { name: '登录' }).click()
	await expect(page.locator('#phone-error')).toHaveText(/^(请填写手机号|请填写 11 位手机号)$/)
	await expect(page.locator('#password-error')).toHaveText('请填写密码')
	await expect(page.getByLabel('手机号')).toHaveAttribute('aria-invalid', 'true')
	await expect(page.getByLabel('密码')).toHaveAttribute('aria-invalid', 'true')
	await expect(page).toHaveURL(atPath('/login'))
})

test('a malformed phone number gets the 11-digit message', async ({ page }) => {
	await page.goto('/login')
	await page.getByLabel('手机号').fill('1390000')
	await page.getByLabel('密码').fill('whatever1')
	await page.getByRole('button', { name: '登录' }).click()
	await expect(page.locator('#phone-error')).toHaveText('请填写 11 位手机号')
	await expect(page).toHaveURL(atPath('/login'))
})
