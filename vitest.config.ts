import { defineConfig } from 'vitest/config'

// The Remix Vite plugin is left out here: under Vitest it breaks module loading.
export default defineConfig({
	test: {
		pool: 'forks',
		// PGlite runs in WASM per test file; two at a time fits this 2-core machine.
		maxWorkers: 2,
		minWorkers: 1,
		projects: [
			{ extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'] } },
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.{ts,tsx}'],
					// Two app instances on one PostgreSQL server: a test of the server mode, the same
					// whichever database the other files use, so it runs in the server pass (DATABASE_URL).
					// So does the statement-timeout test (PGlite ignores statement_timeout).
					exclude: process.env.DATABASE_URL ? [] : ['tests/integration/multi-instance.test.ts', 'tests/integration/db-faults.test.ts'],
					setupFiles: ['tests/setup/database.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
				},
			},
		],
	},
})
