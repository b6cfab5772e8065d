import { redirect } from '@remix-run/node'
import { and, eq, like, or, type SQL } from 'drizzle-orm'
import { organizations, people, roleAssignments } from '#db/schema.ts'
import { db } from '#app/utils/db.server.ts'
import {
	canManagePeopleOf,
	dataScopeOf,
	hasRole,
	scopeIncludesOrg,
	scopeIncludesPerson,
	type DataScope,
	type SessionUser,
} from './scope.ts'
import { sessionCookie, sessionIdOf, sessionTokenFrom, validateSessionToken } from './session.server.ts'
import type { RoleName } from '#app/people/labels.ts'
import { isUuid } from '#app/utils/ids.ts'

// The one set of guards every loader and action uses. Each returns what it checked or throws a
// Response (redirect to sign-in, 403, 404); none reads data outside the caller's scope.

type Resolved = { user: SessionUser; sessionId: string; setCookie: string | null } | null
const resolved = new WeakMap<Request, Promise<Resolved>>()

export async function loadSessionUser(personId: string): Promise<SessionUser | null> {
	const [row] = await db
		.select({
			id: people.id,
			name: people.name,
			orgId: people.orgId,
			orgPath: organizations.path,
			orgName: organizations.name,
			mustChangePassword: people.mustChangePassword,
			hasPassword: people.passwordHash,
		})
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(eq(people.id, personId))
		.limit(1)
	if (!row || !row.hasPassword) return null
	const roles = await db
		.select({ role: roleAssignments.role, orgId: roleAssignments.orgId, orgPath: organizations.path })
		.from(roleAssignments)
		.leftJoin(organizations, eq(organizations.id, roleAssignments.orgId))
		.where(eq(roleAssignments.personId, personId))
	const { hasPassword: _ignored, ...user } = row
	return { ...user, roles }
}

function resolve(request: Request): Promise<Resolved> {
	let pending = resolved.get(request)
	if (!pending) {
		pending = (async () => {
			const token = sessionTokenFrom(request)
			if (!token) return null
			const result = await validateSessionToken(token)
			if (!result) return null
			const user = await loadSessionUser(result.session.personId)
			if (!user) return null
			const setCookie = result.renewed ? sessionCookie(token, result.session.expiresAt) : null
			return { user, sessionId: sessionIdOf(token), setCookie }
		})()
		resolved.set(request, pending)
	}
	return pending
}

export async function getUser(request: Request) {
	return (await resolve(request))?.user ?? null
}

export async function getSessionId(request: Request) {
	return (await resolve(request))?.sessionId ?? null
}

/** A renewed session's cookie, for the root loader to send back. */
export async function renewedSessionCookie(request: Request) {
	return (await resolve(request))?.setCookie ?? null
}

function signInRedirect(request: Request): never {
	const url = new URL(request.url)
	const to = `${url.pathname}${url.search}`
	throw redirect(`/login?redirectTo=${encodeURIComponent(to)}`)
}

/** A signed-in person; people still holding an administrator-set password go to /password first. */
export async function requireUser(request: Request, { allowPasswordChange = false } = {}) {
	const user = await getUser(request)
	if (!user) signInRedirect(request)
	if (user.mustChangePassword && !allowPasswordChange) throw redirect('/password')
	return user
}

export async function requireAnonymous(request: Request, home: (user: SessionUser) => string) {
	const user = await getUser(request)
	if (user) throw redirect(home(user))
}

export const forbidden = (message = '您没有权限访问此页面') => new Response(message, { status: 403, statusText: 'Forbidden' })
export const notFound = (message = '没有找到您要的内容') => new Response(message, { status: 404, statusText: 'Not Found' })

export async function requireRole(request: Request, ...roles: RoleName[]) {
	const user = await requireUser(request)
	if (!hasRole(user, ...roles)) throw forbidden()
	return user
}

/** A filter that keeps only the people within the user's data scope (for list queries). */
export function peopleInScope(scope: DataScope): SQL | undefined {
	if (scope.all) return undefined
	const subtrees = scope.orgPaths.map((root) => like(organizations.path, `${root}%`))
	return or(eq(people.id, scope.selfId), ...subtrees)
}

export function orgsInScope(scope: DataScope): SQL | undefined {
	if (scope.all) return undefined
	const subtrees = scope.orgPaths.map((root) => like(organizations.path, `${root}%`))
	return subtrees.length ? or(...subtrees) : eq(organizations.id, '00000000-0000-0000-0000-000000000000')
}

/**
 * A person the caller may read (404 otherwise, so ids of other enterprises' people reveal
 * nothing), or may manage when `manage` is set (403 if readable but not manageable, or deleted).
 */
export async function requirePersonInScope(request: Request, personId: string, { manage = false } = {}) {
	const user = await requireUser(request)
	if (!isUuid(personId)) throw notFound()
	const scope = dataScopeOf(user)
	const [person] = await db
		.select({ id: people.id, orgId: people.orgId, orgPath: organizations.path, anonymisedAt: people.anonymisedAt })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(eq(people.id, personId), peopleInScope(scope)))
		.limit(1)
	if (!person || !scopeIncludesPerson(scope, person)) throw notFound()
	if (manage && !canManagePeopleOf(user, person.orgPath)) throw forbidden()
	// A deleted (anonymised) person's file is kept read-only.
	if (manage && person.anonymisedAt) throw forbidden('该人员已注销，档案只读')
	return { user, person }
}

export async function requireOrgInScope(request: Request, orgId: string) {
	const user = await requireUser(request)
	if (!isUuid(orgId)) throw notFound()
	const scope = dataScopeOf(user)
	const [org] = await db
		.select()
		.from(organizations)
		.where(and(eq(organizations.id, orgId), orgsInScope(scope)))
		.limit(1)
	if (!org || !scopeIncludesOrg(scope, org.path)) throw notFound()
	return { user, org, scope }
}

export type ContentScope = {
	user: SessionUser
	/** Where new content goes: null for the platform, else the editor's enterprise. */
	ownerOrgId: string | null
	/** Platform editors (and system admins) see and edit everything. */
	platform: boolean
	/** The enterprises whose own content this editor may edit (empty for platform editors). */
	ownOrgIds: string[]
}

/** Content editors and system admins; enterprise editors are limited to their enterprise's content. */
export async function requireContentScope(request: Request): Promise<ContentScope> {
	const user = await requireRole(request, 'system_admin', 'content_editor')
	const platform = hasRole(user, 'system_admin') || user.roles.some((r) => r.role === 'content_editor' && r.orgId === null)
	const ownOrgIds = platform ? [] : user.roles.filter((r) => r.role === 'content_editor' && r.orgId).map((r) => r.orgId!)
	return { user, ownerOrgId: platform ? null : (ownOrgIds[0] ?? null), platform, ownOrgIds }
}

/** Whether content owned by `ownerOrgId` (null: platform) may be changed in this scope. */
export function canEditContent(scope: ContentScope, ownerOrgId: string | null) {
	return scope.platform || (ownerOrgId !== null && scope.ownOrgIds.includes(ownerOrgId))
}
