import './utils/zod-browser.ts'
import { data, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { getUser, renewedSessionCookie } from './auth/auth.server.ts'
import { hasRole, homePathOf } from './auth/scope.ts'
import { GeneralErrorBoundary } from './components/error-boundary.tsx'
import { useNonce } from './components/nonce.tsx'
import { ROLE_NAMES } from './people/labels.ts'
import styles from './styles.css?url'

export const links: LinksFunction = () => [
	{ rel: 'stylesheet', href: styles },
	{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await getUser(request)
	const cookie = await renewedSessionCookie(request)
	const viewer = user
		? {
				name: user.name,
				orgName: user.orgName,
				home: homePathOf(user),
				roleLabel: user.roles.length ? ROLE_NAMES[user.roles[0]!.role] : ROLE_NAMES.worker,
				canSeePeople: hasRole(user, 'system_admin', 'regulator', 'enterprise_admin'),
				isAdmin: hasRole(user, 'system_admin'),
				canEditContent: hasRole(user, 'system_admin', 'content_editor'),
				// 宣传文章 go to the public site: platform editors only (as requireArticleEditor).
				canPublishArticles: hasRole(user, 'system_admin') || user.roles.some((r) => r.role === 'content_editor' && r.orgId === null),
				// 知识竞赛 organisers, as competitionScopeOf: admins, regulators, platform editors.
				canRunCompetitions: hasRole(user, 'system_admin', 'regulator') || user.roles.some((r) => r.role === 'content_editor' && r.orgId === null),
				canManageExams: hasRole(user, 'system_admin', 'regulator', 'enterprise_admin'),
				canManageTraining: hasRole(user, 'system_admin', 'enterprise_admin'),
				canRunSpotChecks: hasRole(user, 'system_admin', 'regulator'),
				canInspect: hasRole(user, 'system_admin', 'regulator'),
				canSeeDashboard: hasRole(user, 'system_admin', 'regulator'),
			}
		: null
	// Absolute links in link previews (og:url, og:image) need the origin the visitor used.
	const origin = new URL(request.url).origin
	return data({ viewer, origin }, cookie ? { headers: { 'Set-Cookie': cookie } } : undefined)
}

export function useViewer() {
	return useRouteLoaderData<typeof loader>('root')?.viewer ?? null
}

function SiteHeader() {
	const viewer = useViewer()
	return (
		<header className="site-header">
			<div className="wrap header-row">
				<Link to="/" className="brand">
					安全生产培训考试平台
				</Link>
				{viewer ? (
					<div className="who">
						<span className="who-name" data-testid="viewer-name">
							{viewer.name}
						</span>
						<Form method="post" action="/logout">
							<button type="submit" className="link-button">
								退出
							</button>
						</Form>
					</div>
				) : (
					<Link to="/login" className="header-login">
						登录
					</Link>
				)}
			</div>
			{viewer ? (
				<nav className="wrap main-nav" aria-label="主导航">
					<Link to={viewer.home}>工作台</Link>
					{viewer.canSeePeople ? <Link to="/people">人员</Link> : null}
					{viewer.canSeePeople ? <Link to="/orgs">单位</Link> : null}
					{viewer.canSeeDashboard ? <Link to="/gov/dashboard">数据看板</Link> : null}
					{viewer.canEditContent ? <Link to="/editor/courses">课程</Link> : null}
					{viewer.canEditContent ? <Link to="/bank">题库</Link> : null}
					{viewer.canPublishArticles ? <Link to="/editor/articles">宣传文章</Link> : null}
					{viewer.canManageExams ? <Link to="/exams">考试</Link> : null}
					{viewer.canRunSpotChecks ? <Link to="/spot-checks">随机抽考</Link> : null}
					{viewer.canRunSpotChecks ? <Link to="/registers/leaders">领导干部登记</Link> : null}
					{viewer.canInspect ? <Link to="/inspections">执法检查</Link> : null}
					{viewer.canRunCompetitions ? <Link to="/competitions/manage">知识竞赛</Link> : null}
					{viewer.canManageTraining ? <Link to="/plans">培训计划</Link> : null}
					{viewer.canManageTraining ? <Link to="/trainings">线下培训</Link> : null}
					{viewer.canManageExams || viewer.canEditContent ? <Link to="/exam-templates">试卷规则</Link> : null}
					{viewer.canManageExams ? <Link to="/certificates">证书</Link> : null}
					{viewer.isAdmin ? <Link to="/rules">上岗规则</Link> : null}
					{viewer.isAdmin ? <Link to="/audit">操作日志</Link> : null}
					<Link to="/practice">自我评测</Link>
					<Link to="/job-types">工种目录</Link>
					<Link to="/password">修改密码</Link>
				</nav>
			) : null}
		</header>
	)
}

export function Layout({ children }: { children: ReactNode }) {
	const nonce = useNonce()
	return (
		<html lang="zh-CN">
			<head>
				<meta charSet="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="theme-color" content="#0b5cad" />
				<Meta />
				<Links />
			</head>
			<body>
				<a className="skip-link" href="#main">
					跳到正文
				</a>
				<SiteHeader />
				<main id="main" className="wrap">
					{children}
				</main>
				<footer className="site-footer wrap">
					<nav className="footer-links" aria-label="公共服务">
						<Link to="/wujin">五进</Link>
						<Link to="/cases">警示案例</Link>
						<Link to="/glossary">术语</Link>
						<Link to="/campaigns">活动日历</Link>
						<Link to="/competitions">知识竞赛</Link>
						<Link to="/verify">证书核验</Link>
					</nav>
					<p>安全生产培训考试与宣教平台 · 从业人员未经培训合格一律不得上岗</p>
				</footer>
				<ScrollRestoration nonce={nonce} />
				<Scripts nonce={nonce} />
			</body>
		</html>
	)
}

export default function App() {
	return <Outlet />
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
