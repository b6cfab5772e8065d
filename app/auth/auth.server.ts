import { redirect } from '@remix-run/node'
import { and, eq, like, or, sql, type SQL } from 'drizzle-orm'
import { organizations, people, sessions } from '#db/schema.ts'
import { db } from '#app/utils/db.server.ts'
import {
	canManagePeopleOf,
	dataScopeOf,
	hasRole,
	scopeIncludesOrg,
	scopeIncludesPerson,
	type DataScope,
	type RoleGrant,
	type SessionUser,
} from './scope.ts'
import { keepSessionAlive, sessionCookie, sessionIdOf, sessionTokenFrom } from './session.server.ts'
import type { RoleName } from '#app/people/labels.ts'
import { isUuid } from '#app/utils/ids.ts'

// The one set of guards every loader and action uses. Each returns what it checked or throws a
// Response (redirect to sign-in, 403, 404); none reads data outside the caller's scope.

type Resolved = { user: SessionUser; sessionId: string; setCookie: string | null } | null
const resolved = new WeakMap<Request, Promise<Resolved>>()

// A person as the guards see them, roles included, in one query: every signed-in request asks.
const sessionUserColumns = {
	id: people.id,
	name: people.name,
	orgId: people.orgId,
	orgPath: organizations.path,
	orgName: organizations.name,
	mustChangePassword: people.mustChangePassword,
	hasPassword: sql<boolean>`${people.passwordHash} is not null`,
	roles: sql<RoleGrant[]>`coalesce((
		select json_agg(json_build_object('role', ra.role, 'orgId', ra.org_id, 'orgPath', ro.path))
		from role_assignments ra left join organizations ro on ro.id = ra.org_id
		where ra.person_id = ${people.id}), '[]'::json)`,
}

type SessionUserRow = SessionUser & { hasPassword: boolean }

/** Nobody without a password (anonymised, or never set) is a user. */
function sessionUserOf({ hasPassword, ...user }: SessionUserRow): SessionUser | null {
	return hasPassword ? user : null
}

export async function loadSessionUser(personId: string): Promise<SessionUser | null> {
	const [row] = await db
		.select(sessionUserColumns)
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(eq(people.id, personId))
		.limit(1)
	return row ? sessionUserOf(row) : null
}

function resolve(request: Request): Promise<Resolved> {
	let pending = resolved.get(request)
	if (!pending) {
		pending = (async () => {
			const token = sessionTokenFrom(request)
			if (!token) return null
			const sessionId = sessionIdOf(token)
			const [row] = await db
				.select({ ...sessionUserColumns, expiresAt: sessions.expiresAt })
				.from(sessions)
				.innerJoin(people, eq(people.id, sessions.personId))
				.innerJoin(organizations, eq(organizations.id, people.orgId))
				.where(eq(sessions.id, sessionId))
				.limit(1)
			if (!row) return null
			const { expiresAt, ...userRow } = row
			const session = await keepSessionAlive(sessionId, expiresAt)
			if (!session) return null
			const user = sessionUserOf(userRow)
			if (!user) return null
			const setCookie = session.renewed ? sessionCookie(token, session.expiresAt) : null
			return { user, sessionId, setCookie }
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
