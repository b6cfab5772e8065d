import { describe, expect, test } from 'vitest'
import { certificateJobTypes, certificateStatus, expiryFor } from '#app/certificates/certificate.ts'
import { newSerial, normalizeSerial, serialYear, verifySerial } from '#app/certificates/serial.ts'
import { addMonths, chinaDay } from '#app/utils/days.ts'

// Certificate serials carry a keyed signature: real ones pass, altered, guessed or foreign ones
// (another key) fail — all without a database. And the dates and status a certificate shows.

const KEY = 'unit-test-certificate-key-000000000000000'
const OTHER_KEY = 'another-deployment-certificate-key-00000'
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A serial with one character of the random part or signature replaced by another letter. */
function altered(serial: string, index: number) {
	const c = serial[index]!
	const replacement = ALPHABET[(ALPHABET.indexOf(c) + 1) % ALPHABET.length]!
	return serial.slice(0, index) + replacement + serial.slice(index + 1)
}

describe('certificate serials', () => {
	test('a new serial has the shape AQ + year + random part + signature, and verifies', () => {
		const serial = newSerial(KEY, 2026, new Uint8Array([1, 2, 3, 4, 5]))
		expect(serial).toMatch(/^AQ2026-[0-9A-HJKMNP-TV-Z]{8}-[0-9A-HJKMNP-TV-Z]{6}$/)
		expect(verifySerial(serial, KEY)).toBe(serial)
		expect(serialYear(serial)).toBe(2026)
		// The same random bytes and key give the same serial; other bytes another.
		expect(newSerial(KEY, 2026, new Uint8Array([1, 2, 3, 4, 5]))).toBe(serial)
		expect(newSerial(KEY, 2026, new Uint8Array([1, 2, 3, 4, 6]))).not.toBe(serial)
	})

	test('many random serials all verify and do not repeat', () => {
		const serials = Array.from({ length: 500 }, () => newSerial(KEY, 2027))
		expect(new Set(serials).size).toBe(500)
		for (const s of serials) expect(verifySerial(s, KEY)).toBe(s)
	})

	test('changing any one character of the random part or the signature is refused', () => {
		const serial = newSerial(KEY, 2026, new Uint8Array([200, 17, 99, 3, 250]))
		const positions = [...serial].map((c, i) => (c === '-' || i < 7 ? -1 : i)).filter((i) => i >= 0)
		expect(positions).toHaveLength(14)
		for (const i of positions) expect(verifySerial(altered(serial, i), KEY), `position ${i}`).toBeNull()
	})

	test('changing the year is refused: the year is signed too', () => {
		const serial = newSerial(KEY, 2026, new Uint8Array([9, 9, 9, 9, 9]))
		expect(verifySerial(serial.replace('AQ2026', 'AQ2025'), KEY)).toBeNull()
	})

	test('guessed serials are refused', () => {
		let accepted = 0
		for (let i = 0; i < 2000; i++) {
			const bytes = crypto.getRandomValues(new Uint8Array(9))
			const guess = `AQ2026-${[...bytes.slice(0, 8)].map((b) => ALPHABET[b % 32]).join('')}-${[...bytes].slice(0, 6).map((b) => ALPHABET[(b >> 3) % 32]).join('')}`
			if (verifySerial(guess, KEY)) accepted++
		}
		expect(accepted).toBe(0)
		expect(verifySerial('AQ2026-00000000-000000', KEY)).toBeNull()
	})

	test('a serial signed with another key is refused', () => {
		const foreign = newSerial(OTHER_KEY, 2026, new Uint8Array([1, 2, 3, 4, 5]))
		expect(verifySerial(foreign, OTHER_KEY)).toBe(foreign)
		expect(verifySerial(foreign, KEY)).toBeNull()
	})

	test('typing variations are read as the same serial: case, spaces, no dashes, O for 0, I or L for 1', () => {
		const serial = newSerial(KEY, 2026, new Uint8Array([0, 0x42, 0x10, 0x84, 0x21]))
		expect(serial).toContain('0')
		expect(serial).toContain('1')
		expect(verifySerial(serial.toLowerCase(), KEY)).toBe(serial)
		expect(verifySerial(` ${serial.replaceAll('-', '')} `, KEY)).toBe(serial)
		expect(verifySerial(serial.replaceAll('-', ' '), KEY)).toBe(serial)
		const misread = 'AQ' + serial.slice(2).replaceAll('0', 'O').replace('1', 'I').replace('1', 'l')
		expect(verifySerial(misread, KEY)).toBe(serial)
	})

	test('malformed input is no serial at all', () => {
		for (const input of ['', 'AQ', 'AQ2026', 'XX2026-ABCDEFGH-ABCDEF', 'AQ2026-ABCDEFGH-ABCDE', 'AQ2026-ABCDEFGH-ABCDEFG', 'AQ2026-ABCDEFGU-ABCDEF', '合格证', '../../etc/passwd']) {
			expect(normalizeSerial(input), input).toBeNull()
			expect(verifySerial(input, KEY), input).toBeNull()
		}
	})

	test('the year must have four digits', () => {
		expect(() => newSerial(KEY, 999)).toThrow()
		expect(() => newSerial(KEY, 10000)).toThrow()
	})
})

describe('certificate dates and status', () => {
	test('the issue day is the day in China time', () => {
		expect(chinaDay(new Date('2026-03-31T16:30:00Z'))).toBe('2026-04-01')
		expect(chinaDay(new Date('2026-03-31T15:59:00Z'))).toBe('2026-03-31')
	})

	test('expiry: months added, the day kept or the month end taken; null months never expire', () => {
		expect(addMonths('2026-05-15', 12)).toBe('2027-05-15')
		expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
		expect(addMonths('2028-01-31', 1)).toBe('2028-02-29')
		expect(addMonths('2026-11-30', 3)).toBe('2027-02-28')
		expect(addMonths('2026-12-01', 1)).toBe('2027-01-01')
		expect(expiryFor(new Date('2026-03-31T16:30:00Z'), 12)).toBe('2027-04-01')
		expect(expiryFor(new Date('2026-03-31T16:30:00Z'), null)).toBeNull()
	})

	test('valid through the expiry day (China time), expired the day after; revoked wins', () => {
		const c = { expiresOn: '2027-04-01', revokedAt: null }
		expect(certificateStatus(c, new Date('2027-04-01T15:59:00Z'))).toBe('valid')
		expect(certificateStatus(c, new Date('2027-04-01T16:00:00Z'))).toBe('expired')
		expect(certificateStatus({ expiresOn: null, revokedAt: null }, new Date('2099-01-01T00:00:00Z'))).toBe('valid')
		expect(certificateStatus({ ...c, revokedAt: new Date('2026-06-01T00:00:00Z') }, new Date('2026-06-02T00:00:00Z'))).toBe('revoked')
		expect(certificateStatus({ ...c, revokedAt: new Date('2026-06-01T00:00:00Z') }, new Date('2030-01-01T00:00:00Z'))).toBe('revoked')
	})

	test('job types named: the exam’s that the holder works in, else the exam’s, else the holder’s', () => {
		expect(certificateJobTypes(['coal_underground', 'electrician'], ['electrician', 'welder'])).toEqual(['electrician'])
		expect(certificateJobTypes(['coal_underground'], ['welder'])).toEqual(['coal_underground'])
		expect(certificateJobTypes([], ['welder'])).toEqual(['welder'])
	})
})
