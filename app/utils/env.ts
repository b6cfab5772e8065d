import { z } from 'zod'

// Pure parsing of the process environment; the I/O (reading .env-style secrets kept in the
// data folder) lives in env.server.ts.

const secret = (name: string) =>
	z
		.string({ error: `${name} 缺失` })
		.min(32, `${name} 太短：至少 32 个字符（建议用 openssl rand -base64 32 生成）`)

const postgresUrl = z
	.string()
	.refine((v) => /^postgres(ql)?:\/\/.+/.test(v), '必须是 postgres:// 或 postgresql:// 开头的连接串')

export const envSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
	PORT: z.coerce.number().int('必须是整数').min(1).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	DATABASE_URL: postgresUrl.optional(),
	// postgres.js prepared statements; turn off behind PgBouncer < 1.21 in transaction mode.
	DATABASE_PREPARE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
	DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
	// PostgreSQL cancels a statement running (or waiting for a lock) longer than this: a clear 503
	// instead of a request that hangs. 0 turns it off. PGlite ignores statement_timeout.
	DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int('必须是整数').min(0).max(3_600_000).default(30_000),
	DATA_DIR: z.string().min(1).default('./data'),
	SESSION_SECRET: secret('SESSION_SECRET'),
	PII_ENCRYPTION_KEY: secret('PII_ENCRYPTION_KEY'),
	PII_LOOKUP_KEY: secret('PII_LOOKUP_KEY'),
	// Signs certificate serials (证书编号): guessed serials are refused without a look-up.
	CERTIFICATE_KEY: secret('CERTIFICATE_KEY'),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	// How often each instance polls the job queue and schedules the closing of expired attempts.
	JOB_INTERVAL_SECONDS: z.coerce.number().int('必须是整数').min(1).max(3600).default(30),
	// Trust X-Forwarded-* from a reverse proxy in front of the app.
	TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
})

export type Env = z.infer<typeof envSchema>

export const SECRET_NAMES = ['SESSION_SECRET', 'PII_ENCRYPTION_KEY', 'PII_LOOKUP_KEY', 'CERTIFICATE_KEY'] as const

export class ConfigError extends Error {
	constructor(public readonly problems: string[]) {
		super(`配置错误（请检查环境变量，参见 .env.example）：\n${problems.map((p) => `  - ${p}`).join('\n')}`)
		this.name = 'ConfigError'
	}
}

/**
 * Validates the environment. Outside production, missing secrets are taken from
 * `generatedSecrets` (kept in the data folder); in production they must be set.
 */
export function parseEnv(
	raw: Record<string, string | undefined>,
	generatedSecrets: Partial<Record<(typeof SECRET_NAMES)[number], string>> = {},
): Env {
	const input: Record<string, string | undefined> = { ...raw }
	for (const key of Object.keys(input)) if (input[key] === '') delete input[key]
	if (input.NODE_ENV !== 'production') {
		for (const name of SECRET_NAMES) input[name] ??= generatedSecrets[name]
	}
	const result = envSchema.safeParse(input)
	if (result.success) return result.data
	throw new ConfigError(
		result.error.issues.map((issue) => {
			const name = String(issue.path[0] ?? '')
			const message = issue.message.startsWith(name) ? issue.message : `${name}：${issue.message}`
			return message
		}),
	)
}
