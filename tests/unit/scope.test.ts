import { describe, expect, test } from 'vitest'
import {
	canManagePeopleOf,
	dataScopeOf,
	homePathOf,
	safeRedirectPath,
	scopeIncludesOrg,
	scopeIncludesPerson,
	type RoleGrant,
	type SessionUser,
} from '#app/auth/scope.ts'

const COUNTY = '/c/'
const DONGSHAN = '/c/ds/'
const COAL = '/c/ds/coal/'
const XIHE = '/c/xh/'
const CHEM = '/c/xh/chem/'

const user = (roles: RoleGrant[], orgPath = COAL): SessionUser => ({
	id: 'me',
	name: '测试',
	orgId: 'org',
	orgPath,
	orgName: '单位',
	mustChangePassword: false,
	roles,
})
const grant = (role: RoleGrant['role'], orgPath: string | null): RoleGrant => ({ role, orgId: orgPath ? 'x' : null, orgPath })

describe('homePathOf', () => {
	test('sends each role to its workbench, the highest first', () => {
		expect(homePathOf(user([grant('system_admin', null)]))).toBe('/admin')
		expect(homePathOf(user([grant('regulator', COUNTY)]))).toBe('/gov')
		expect(homePathOf(user([grant('enterprise_admin', COAL)]))).toBe('/ent')
		expect(homePathOf(user([grant('content_editor', null)]))).toBe('/editor')
		expect(homePathOf(user([]))).toBe('/me')
		expect(homePathOf(user([grant('content_editor', null), grant('enterprise_admin', COAL)]))).toBe('/ent')
		expect(homePathOf(user([grant('regulator', COUNTY), grant('system_admin', null)]))).toBe('/admin')
	})
})

describe('safeRedirectPath', () => {
	test('follows same-site paths', () => {
		expect(safeRedirectPath('/people?orgId=1', '/me')).toBe('/people?orgId=1')
		expect(safeRedirectPath('/', '/me')).toBe('/')
	})

	test('refuses anything that could leave the site', () => {
		for (const to of ['//evil.com', '//evil.com/login', '/\\evil.com', 'https://evil.com', 'http://evil.com/x', 'evil.com', 'javascript:alert(1)', '']) {
			expect(safeRedirectPath(to, '/me'), to).toBe('/me')
		}
		expect(safeRedirectPath(undefined, '/gov')).toBe('/gov')
		expect(safeRedirectPath(null, '/gov')).toBe('/gov')
		expect(safeRedirectPath(['/people'], '/gov')).toBe('/gov')
	})
})

describe('dataScopeOf', () => {
	test('system admins see everything', () => {
		expect(dataScopeOf(user([grant('system_admin', null), grant('regulator', DONGSHAN)]))).toEqual({ all: true })
	})

	test('regulators and enterprise admins see their subtrees plus themselves', () => {
		expect(dataScopeOf(user([grant('regulator', DONGSHAN)]))).toEqual({ all: false, orgPaths: [DONGSHAN], selfId: 'me' })
		expect(dataScopeOf(user([grant('enterprise_admin', COAL), grant('enterprise_admin', CHEM)]))).toEqual({
			all: false,
			orgPaths: [COAL, CHEM],
			selfId: 'me',
		})
	})

	test('workers and content editors see only themselves', () => {
		expect(dataScopeOf(user([]))).toEqual({ all: false, orgPaths: [], selfId: 'me' })
		expect(dataScopeOf(user([grant('content_editor', null)]))).toEqual({ all: false, orgPaths: [], selfId: 'me' })
		expect(dataScopeOf(user([grant('content_editor', COAL)]))).toEqual({ all: false, orgPaths: [], selfId: 'me' })
	})

	test('a regulator without a scope organisation sees only themselves', () => {
		expect(dataScopeOf(user([grant('regulator', null)]))).toEqual({ all: false, orgPaths: [], selfId: 'me' })
	})
})

describe('scope checks', () => {
	const dongshan = dataScopeOf(user([grant('regulator', DONGSHAN)], DONGSHAN))
	test('a subtree includes its descendants only', () => {
		expect(scopeIncludesOrg(dongshan, DONGSHAN)).toBe(true)
		expect(scopeIncludesOrg(dongshan, COAL)).toBe(true)
		expect(scopeIncludesOrg(dongshan, CHEM)).toBe(false)
		expect(scopeIncludesOrg(dongshan, XIHE)).toBe(false)
		expect(scopeIncludesOrg(dongshan, COUNTY)).toBe(false)
		expect(scopeIncludesOrg({ all: true }, CHEM)).toBe(true)
	})

	test('people: in the subtree, or oneself', () => {
		expect(scopeIncludesPerson(dongshan, { id: 'x', orgPath: COAL })).toBe(true)
		expect(scopeIncludesPerson(dongshan, { id: 'x', orgPath: CHEM })).toBe(false)
		expect(scopeIncludesPerson(dongshan, { id: 'me', orgPath: CHEM })).toBe(true)
		const worker = dataScopeOf(user([]))
		expect(scopeIncludesPerson(worker, { id: 'x', orgPath: COAL })).toBe(false)
		expect(scopeIncludesPerson(worker, { id: 'me', orgPath: COAL })).toBe(true)
	})

	test('only system admins and the enterprise’s own admins manage its people', () => {
		expect(canManagePeopleOf(user([grant('system_admin', null)]), CHEM)).toBe(true)
		expect(canManagePeopleOf(user([grant('enterprise_admin', COAL)]), COAL)).toBe(true)
		expect(canManagePeopleOf(user([grant('enterprise_admin', COAL)]), CHEM)).toBe(false)
		expect(canManagePeopleOf(user([grant('regulator', COUNTY)]), COAL)).toBe(false)
		expect(canManagePeopleOf(user([grant('content_editor', null)]), COAL)).toBe(false)
		expect(canManagePeopleOf(user([]), COAL)).toBe(false)
	})
})
