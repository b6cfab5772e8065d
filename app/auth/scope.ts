import type { RoleName } from '#app/people/labels.ts'

// Who may see what, as pure data. The server guards in auth.server.ts apply it; components may
// import this file to hide links a person could not follow anyway.

export type RoleGrant = { role: RoleName; orgId: string | null; orgPath: string | null }

export type SessionUser = {
	id: string
	name: string
	orgId: string
	orgPath: string
	orgName: string
	mustChangePassword: boolean
	roles: RoleGrant[]
}

/**
 * The people and organisations a user may read: everything, or the subtrees under some roots,
 * plus always their own record.
 */
export type DataScope = { all: true } | { all: false; orgPaths: string[]; selfId: string }

export function hasRole(user: Pick<SessionUser, 'roles'>, ...roles: RoleName[]) {
	return user.roles.some((r) => roles.includes(r.role))
}

export function dataScopeOf(user: SessionUser): DataScope {
	if (hasRole(user, 'system_admin')) return { all: true }
	const orgPaths = user.roles
		.filter((r) => (r.role === 'regulator' || r.role === 'enterprise_admin') && r.orgPath)
		.map((r) => r.orgPath as string)
	return { all: false, orgPaths, selfId: user.id }
}

export function scopeIncludesOrg(scope: DataScope, orgPath: string) {
	return scope.all || scope.orgPaths.some((root) => orgPath.startsWith(root))
}

export function scopeIncludesPerson(scope: DataScope, person: { id: string; orgPath: string }) {
	return scope.all || person.id === scope.selfId || scopeIncludesOrg(scope, person.orgPath)
}

/** Managing people (create, edit, reset passwords): system admins and the enterprise's own admins. */
export function canManagePeopleOf(user: SessionUser, orgPath: string) {
	if (hasRole(user, 'system_admin')) return true
	return user.roles.some((r) => r.role === 'enterprise_admin' && r.orgPath && orgPath.startsWith(r.orgPath))
}

/** Recording a 三违 (and so opening a retraining order): the enterprise's admins and the regulators over it. */
export function canRecordViolationsOf(user: SessionUser, orgPath: string) {
	if (hasRole(user, 'system_admin')) return true
	return user.roles.some((r) => (r.role === 'enterprise_admin' || r.role === 'regulator') && r.orgPath && orgPath.startsWith(r.orgPath))
}

const HOME_BY_ROLE: [RoleName, string][] = [
	['system_admin', '/admin'],
	['regulator', '/gov'],
	['enterprise_admin', '/ent'],
	['content_editor', '/editor'],
]

/** The page a person lands on after signing in: their highest role's home, else 我的学习. */
export function homePathOf(user: Pick<SessionUser, 'roles'>) {
	return HOME_BY_ROLE.find(([role]) => hasRole(user, role))?.[1] ?? '/me'
}

/** Only same-site relative paths are followed after sign-in (no open redirects). */
export function safeRedirectPath(to: unknown, fallback: string) {
	if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//')) return fallback
	// Browsers drop tabs and newlines from a URL and read a backslash as "/": "/<tab>/evil.com" leaves the site.
	if (/[\\\u0000-\u001f\u007f]/.test(to)) return fallback
	return to
}
