import { expect, test } from '@playwright/test'
import { atPath, DEMO_ACCOUNTS, signIn } from './support.ts'

// Every demo account lands on its role's home page after signing in.
for (const account of DEMO_ACCOUNTS) {
	test(`${account.role} ${account.name} (${account.phone.slice(-2)}) lands on ${account.home}`, async ({ page }) => {
		await signIn(page, account.phone)
		await expect(page).toHaveURL(atPath(account.home))
		await expect(page.getByTestId('viewer-name')).toHaveText(account.name)
	})
}
