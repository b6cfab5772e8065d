import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parseEnv, SECRET_NAMES, type Env } from './env.ts'
import { singleton } from './singleton.server.ts'

export { ConfigError } from './env.ts'

/**
 * Secrets generated on first start outside production, so the first command needs no set-up.
 * A secret added in a later version is generated into an existing file too, keeping the others.
 */
function loadOrCreateDevSecrets(dataDir: string) {
	const file = path.join(dataDir, 'secrets.json')
	const stored = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : {}
	const missing = SECRET_NAMES.filter((n) => !stored[n])
	if (!missing.length) return stored
	const secrets = { ...stored, ...Object.fromEntries(missing.map((n) => [n, randomBytes(32).toString('base64url')])) }
	fs.mkdirSync(dataDir, { recursive: true })
	fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
	return secrets
}

export function getEnv(): Env {
	return singleton('env', () => {
		const raw = process.env
		const needsGenerated =
			raw.NODE_ENV !== 'production' && SECRET_NAMES.some((name) => !raw[name])
		const generated = needsGenerated ? loadOrCreateDevSecrets(raw.DATA_DIR || './data') : {}
		return parseEnv(raw, generated)
	})
}
