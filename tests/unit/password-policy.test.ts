import { describe, expect, test } from 'vitest'
import { PASSWORD_MIN_LENGTH, passwordProblem } from '#app/auth/password-policy.ts'

describe('passwordProblem', () => {
	test('accepts passwords with letters and digits of 8 to 128 characters', () => {
		expect(PASSWORD_MIN_LENGTH).toBe(8)
		for (const ok of ['Anquan@2026', 'abcdefg1', 'Zhang3feng', `a1${'x'.repeat(126)}`]) expect(passwordProblem(ok), ok).toBeNull()
	})

	test('asks for at least 8 characters', () => {
		expect(passwordProblem('abc123')).toBe('密码至少 8 位')
		expect(passwordProblem('')).toBe('密码至少 8 位')
	})

	test('refuses more than 128 characters', () => {
		expect(passwordProblem(`a1${'x'.repeat(127)}`)).toBe('密码不能超过 128 位')
	})

	test('asks for both letters and digits', () => {
		expect(passwordProblem('abcdefgh')).toBe('密码须同时包含字母和数字')
		expect(passwordProblem('98765432')).toBe('密码须同时包含字母和数字')
		expect(passwordProblem('安全生产培训考试1')).toBe('密码须同时包含字母和数字')
	})

	test('refuses the person’s own phone number inside the password', () => {
		expect(passwordProblem('a13900000010', { phone: '13900000010' })).toBe('密码不能包含手机号')
		expect(passwordProblem('a13900000010', { phone: '13900000011' })).toBeNull()
	})

	test('refuses well-known weak passwords', () => {
		for (const weak of ['12345678a', 'Password1', 'abc12345', 'QWERTY123']) expect(passwordProblem(weak), weak).toBe('密码过于简单，请换一个')
	})
})
