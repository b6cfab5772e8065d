import { describe, expect, test } from 'vitest'
import { isValidIdNumber, isValidPhone, maskIdNumber, maskName, maskPhone } from '#app/people/identity.ts'
import { testIdNumber, withWrongCheckDigit } from '#tests/fixtures/identity.ts'

describe('identity helpers', () => {
	test('masks 身份证号 to the first and last four characters', () => {
		expect(maskIdNumber(testIdNumber(8))).toBe('9900**********008X')
	})
	test('masks phone numbers and names', () => {
		expect(maskPhone('13900000010')).toBe('139****0010')
		expect(maskName('张三丰')).toBe('张*丰')
		expect(maskName('李四')).toBe('李*')
	})
	test('checks the ID check digit and birth date', () => {
		const id = testIdNumber(8)
		expect(isValidIdNumber(id)).toBe(true)
		expect(isValidIdNumber(id.toLowerCase())).toBe(true)
		expect(isValidIdNumber(withWrongCheckDigit(id))).toBe(false)
		// 2000-13-01: no such birth date, whatever the check digit.
		expect(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'].some((c) => isValidIdNumber(`99000020001301008${c}`))).toBe(false)
		expect(isValidIdNumber(id.slice(0, 16))).toBe(false)
	})
	test('accepts mainland mobile numbers only', () => {
		expect(isValidPhone('13900000010')).toBe(true)
		expect(isValidPhone('139 0000 0010')).toBe(true)
		expect(isValidPhone('12900000010')).toBe(false)
		expect(isValidPhone('1390000001')).toBe(false)
	})
})
