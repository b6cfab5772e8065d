import { describe, expect, test } from 'vitest'
import { isAllowedOrigin } from '#app/auth/origin.ts'

describe('isAllowedOrigin', () => {
	test('lets safe methods through without an Origin', () => {
		for (const method of ['GET', 'HEAD', 'OPTIONS', 'get', 'head']) {
			expect(isAllowedOrigin(method, null, 'localhost:3000'), method).toBe(true)
			expect(isAllowedOrigin(method, 'https://evil.example', 'localhost:3000'), method).toBe(true)
		}
	})

	test('accepts state-changing requests from this site', () => {
		expect(isAllowedOrigin('POST', 'http://localhost:3000', 'localhost:3000')).toBe(true)
		expect(isAllowedOrigin('post', 'https://anquan.example.gov.cn', 'anquan.example.gov.cn')).toBe(true)
		for (const method of ['PUT', 'PATCH', 'DELETE']) {
			expect(isAllowedOrigin(method, 'http://localhost', 'localhost'), method).toBe(true)
		}
	})

	test('refuses state-changing requests from other sites', () => {
		expect(isAllowedOrigin('POST', 'https://evil.example', 'anquan.example.gov.cn')).toBe(false)
		expect(isAllowedOrigin('POST', 'https://anquan.example.gov.cn.evil.example', 'anquan.example.gov.cn')).toBe(false)
		expect(isAllowedOrigin('POST', 'https://sub.anquan.example.gov.cn', 'anquan.example.gov.cn')).toBe(false)
		expect(isAllowedOrigin('DELETE', 'https://evil.example', 'localhost')).toBe(false)
	})

	test('compares the port too', () => {
		expect(isAllowedOrigin('POST', 'http://localhost:4000', 'localhost:3000')).toBe(false)
		expect(isAllowedOrigin('POST', 'http://localhost', 'localhost:3000')).toBe(false)
	})

	test('refuses state-changing requests with no, null or malformed Origin, or no Host', () => {
		expect(isAllowedOrigin('POST', null, 'localhost')).toBe(false)
		expect(isAllowedOrigin('POST', undefined, 'localhost')).toBe(false)
		expect(isAllowedOrigin('POST', '', 'localhost')).toBe(false)
		expect(isAllowedOrigin('POST', 'null', 'localhost')).toBe(false)
		expect(isAllowedOrigin('POST', 'localhost', 'localhost')).toBe(false)
		expect(isAllowedOrigin('POST', 'http://localhost', null)).toBe(false)
		expect(isAllowedOrigin('POST', 'http://localhost', '')).toBe(false)
	})
})
