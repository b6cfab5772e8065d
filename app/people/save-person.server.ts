import { generateInitialPassword, hashPassword } from '#app/auth/password.server.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { manageableOrgs } from '#app/orgs/orgs.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { db } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { createPerson, identityConflicts, unknownJobTypes, updatePerson } from './people.server.ts'
import { joinMatchingPlans } from '#app/records/plans.server.ts'
import type { PersonFormInput } from './person-form.ts'

export type SavePersonResult =
	| { ok: true; personId: string; initialPassword: string | null }
	| { ok: false; errors: FormErrors }

/**
 * Creates (no `personId`) or updates a person: every check first, then one transaction with its
 * audit entry. With `createAccount`, a one-time password is generated and returned once.
 */
export async function savePerson(
	actor: SessionUser,
	input: PersonFormInput,
	{ personId, createAccount = false }: { personId?: string; createAccount?: boolean } = {},
): Promise<SavePersonResult> {
	const errors: FormErrors = {}
	const orgs = await manageableOrgs(db, actor)
	if (!orgs.some((o) => o.id === input.orgId)) errors.orgId = '只能选择您管理的单位'
	const unknown = await unknownJobTypes(db, input.jobTypes)
	if (unknown.length) errors.jobTypes = `工种不存在：${unknown.join('、')}`
	Object.assign(errors, await identityConflicts(db, input, personId))
	if (Object.keys(errors).length) return { ok: false, errors }

	const initialPassword = createAccount ? generateInitialPassword() : null
	const passwordHash = initialPassword ? await hashPassword(initialPassword) : null
	const id = await db.transaction(async (tx) => {
		const fields = { ...input, hiredOn: input.hiredOn || null }
		const savedId = personId
			? (await updatePerson(tx, personId, fields), personId)
			: await createPerson(tx, { ...fields, passwordHash, mustChangePassword: Boolean(passwordHash) })
		// New people, and people whose job types or category changed, join the plans that match them
		// (idempotent, so it runs on every save).
		await joinMatchingPlans(tx, [savedId])
		await writeAudit(tx, {
			actorId: actor.id,
			action: personId ? 'person.update' : 'person.create',
			targetType: 'person',
			targetId: savedId,
			orgId: input.orgId,
			detail: { jobTypes: input.jobTypes, category: input.category, employmentType: input.employmentType, account: Boolean(passwordHash) },
		})
		return savedId
	})
	return { ok: true, personId: id, initialPassword }
}
