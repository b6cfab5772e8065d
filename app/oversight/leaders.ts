import { RESULT_STATUS, type ResultStatus } from '#app/exams/labels.ts'
import type { PersonCategory } from '#app/people/labels.ts'

// 领导干部登记在册: the categories the register covers and how a spot-check result reads. Pure, so
// the page's component may import it.

export const LEADER_CATEGORIES = ['party_leader', 'principal', 'safety_manager'] as const satisfies PersonCategory[]
export type LeaderCategory = (typeof LEADER_CATEGORIES)[number]

export type LastSpotCheck = { spotCheckId: string; title: string; status: ResultStatus; score: number | null; maxScore: number | null; passed: boolean; at: Date; inScope: boolean }

/** The result in words: "合格 92 分", "不合格 60 分", "未参加"… */
export function describeSpotCheckResult(last: LastSpotCheck | null) {
	if (!last) return '未被抽考'
	if (last.status !== 'submitted') return RESULT_STATUS[last.status]
	return `${last.passed ? '合格' : '不合格'} ${last.score ?? 0} 分`
}
