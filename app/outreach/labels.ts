// Names and labels the public pages show in the browser. No zod here: a page that imports only
// these does not ship the schema library to a visitor's phone (content-files.ts re-exports them).

/** The five settings of 安全宣传“五进”. The key is the file name and the URL slug. */
export const OUTREACH_SETTINGS = {
	enterprise: '企业',
	rural: '农村',
	community: '社区',
	school: '学校',
	family: '家庭',
} as const
export type OutreachSetting = keyof typeof OUTREACH_SETTINGS

/** 「6月1日—6月30日」 (「2026年6月1日—6月30日」 with the year), or one day 「5月12日」, from YYYY-MM-DD days. */
export function campaignDatesLabel(start: string, end: string, { withYear = false } = {}) {
	const label = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`
	return `${withYear ? `${start.slice(0, 4)}年` : ''}${label(start)}${start === end ? '' : `—${label(end)}`}`
}
