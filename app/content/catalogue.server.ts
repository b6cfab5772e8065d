import fs from 'node:fs/promises'
import path from 'node:path'
import { industries, jobTypes } from '#db/schema.ts'
import type { Db } from '#app/utils/db.server.ts'
import { ensureOrganizationTree } from '#app/orgs/orgs.server.ts'
import { parseCatalogue, type Catalogue } from './catalogue.ts'

export const CONTENT_DIR = path.resolve('content')

export async function readCatalogue(dir = CONTENT_DIR): Promise<Catalogue> {
	const read = (name: string) => fs.readFile(path.join(dir, 'catalogue', name), 'utf8')
	return parseCatalogue({
		industries: await read('industries.yaml'),
		jobTypes: await read('job-types.yaml'),
		organizations: await read('organizations.yaml'),
	})
}

/** Brings the database in line with content/catalogue: idempotent, one transaction. */
export async function syncCatalogue(db: Db, catalogue: Catalogue) {
	await db.transaction(async (tx) => {
		for (const [i, industry] of catalogue.industries.entries()) {
			await tx
				.insert(industries)
				.values({ ...industry, sortOrder: i })
				.onConflictDoUpdate({ target: industries.code, set: { name: industry.name, sortOrder: i } })
		}
		for (const [i, job] of catalogue.jobTypes.entries()) {
			const row = {
				name: job.name,
				industryCode: job.industry,
				specialOperation: job.special_operation,
				certificateName: job.certificate ?? null,
				description: job.description,
				sortOrder: i,
			}
			await tx
				.insert(jobTypes)
				.values({ code: job.code, ...row })
				.onConflictDoUpdate({ target: jobTypes.code, set: row })
		}
		await ensureOrganizationTree(tx, catalogue.organizations, null)
	})
}
