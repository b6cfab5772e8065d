import { describe, expect, test } from 'vitest'
import { ConfigError, parseEnv, SECRET_NAMES } from '#app/utils/env.ts'

const SECRETS = {
	SESSION_SECRET: 's'.repeat(40),
	PII_ENCRYPTION_KEY: 'e'.repeat(40),
	PII_LOOKUP_KEY: 'l'.repeat(40),
	CERTIFICATE_KEY: 'k'.repeat(40),
}
const production = (extra: Record<string, string | undefined> = {}) => ({ NODE_ENV: 'production', ...SECRETS, ...extra })

/** The ConfigError parseEnv throws for `raw`. */
function configError(raw: Record<string, string | undefined>, generated?: Parameters<typeof parseEnv>[1]) {
	try {
		parseEnv(raw, generated)
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError)
		return error as ConfigError
	}
	throw new Error('parseEnv did not throw')
}

describe('parseEnv in production', () => {
	test('accepts a complete configuration', () => {
		const env = parseEnv(production({ DATABASE_URL: 'postgres://app@db:5432/anquan', PORT: '8080' }))
		expect(env.NODE_ENV).toBe('production')
		expect(env.PORT).toBe(8080)
		expect(env.DATABASE_URL).toBe('postgres://app@db:5432/anquan')
		expect(env.PII_ENCRYPTION_KEY).toBe(SECRETS.PII_ENCRYPTION_KEY)
	})

	test('a missing secret is named, even when generated ones are on offer', () => {
		const error = configError(production({ PII_ENCRYPTION_KEY: undefined }), { PII_ENCRYPTION_KEY: 'g'.repeat(40) })
		expect(error.message).toContain('PII_ENCRYPTION_KEY')
		expect(error.message).not.toContain('SESSION_SECRET')
		expect(error.problems).toHaveLength(1)
	})

	test('every missing secret is named', () => {
		const error = configError({ NODE_ENV: 'production' })
		for (const name of SECRET_NAMES) expect(error.message).toContain(name)
		expect(error.problems).toHaveLength(SECRET_NAMES.length)
	})

	test('a short secret is named and called 太短', () => {
		const error = configError(production({ SESSION_SECRET: 'short' }))
		expect(error.problems).toHaveLength(1)
		expect(error.problems[0]).toContain('SESSION_SECRET')
		expect(error.problems[0]).toContain('太短')
	})

	test('a bad DATABASE_URL is named', () => {
		const error = configError(production({ DATABASE_URL: 'mysql://root@db/anquan' }))
		expect(error.problems).toHaveLength(1)
		expect(error.problems[0]).toContain('DATABASE_URL')
		expect(error.problems[0]).toContain('postgres://')
	})

	test('a bad PORT is named', () => {
		for (const port of ['abc', '70000', '0', '80.5']) {
			const error = configError(production({ PORT: port }))
			expect(error.problems, port).toHaveLength(1)
			expect(error.problems[0], port).toContain('PORT')
		}
	})

	test('several problems are reported together', () => {
		const error = configError(production({ PORT: 'x', DATABASE_URL: 'nope', PII_LOOKUP_KEY: undefined }))
		expect(error.problems).toHaveLength(3)
		for (const name of ['PORT', 'DATABASE_URL', 'PII_LOOKUP_KEY']) expect(error.message).toContain(name)
	})

	test('empty strings count as unset', () => {
		const missing = configError(production({ PII_LOOKUP_KEY: '' }))
		expect(missing.problems).toHaveLength(1)
		expect(missing.problems[0]).toContain('PII_LOOKUP_KEY')
		expect(missing.problems[0]).not.toContain('太短')
		const env = parseEnv(production({ DATABASE_URL: '', PORT: '', LOG_LEVEL: '' }))
		expect(env.DATABASE_URL).toBeUndefined()
		expect(env.PORT).toBe(3000)
		expect(env.LOG_LEVEL).toBe('info')
	})
})

describe('parseEnv outside production', () => {
	const generated = { SESSION_SECRET: 'a'.repeat(43), PII_ENCRYPTION_KEY: 'b'.repeat(43), PII_LOOKUP_KEY: 'c'.repeat(43), CERTIFICATE_KEY: 'd'.repeat(43) }

	test('generated secrets fill in the missing ones', () => {
		const env = parseEnv({ NODE_ENV: 'development', SESSION_SECRET: SECRETS.SESSION_SECRET }, generated)
		expect(env.SESSION_SECRET).toBe(SECRETS.SESSION_SECRET)
		expect(env.PII_ENCRYPTION_KEY).toBe(generated.PII_ENCRYPTION_KEY)
		expect(env.PII_LOOKUP_KEY).toBe(generated.PII_LOOKUP_KEY)
	})

	test('with NODE_ENV unset it is development, and empty secrets are replaced too', () => {
		const env = parseEnv({ SESSION_SECRET: '', PII_ENCRYPTION_KEY: '', PII_LOOKUP_KEY: '', CERTIFICATE_KEY: '' }, generated)
		expect(env.NODE_ENV).toBe('development')
		expect(env.SESSION_SECRET).toBe(generated.SESSION_SECRET)
		expect(env.DATABASE_URL).toBeUndefined()
		expect(env.PORT).toBe(3000)
		expect(env.DATA_DIR).toBe('./data')
	})

	test('other settings are still checked', () => {
		const error = configError({ NODE_ENV: 'test', PORT: 'abc' }, generated)
		expect(error.message).toContain('PORT')
	})
})
