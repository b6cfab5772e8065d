import { pino } from 'pino'
import { singleton } from './singleton.server.ts'

// One JSON line per event on stdout. Never pass phone numbers, 身份证号 or passwords in here.
export const logger = singleton('logger', () =>
	pino({
		level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
		base: undefined,
		timestamp: pino.stdTimeFunctions.isoTime,
		redact: { paths: ['password', '*.password', 'phone', '*.phone', 'idNumber', '*.idNumber'], censor: '[已隐藏]' },
	}, process.stdout),
)
