import { CLEARANCE_STATUS_NAMES, statusOf, type Clearance } from '#app/records/clearance.ts'
import { addDays } from '#app/utils/days.ts'

// 上岗资格 on screen: a status word with its colour, and the reasons in plain Chinese.

export function ClearanceBadge({ clearance }: { clearance: Pick<Clearance, 'cleared' | 'expiringSoon'> }) {
	const status = statusOf(clearance as Clearance)
	return (
		<span className={`badge clearance-${status}`} data-testid="clearance-status">
			{CLEARANCE_STATUS_NAMES[status]}
		</span>
	)
}

export function ClearanceReasons({ clearance }: { clearance: Clearance }) {
	if (clearance.cleared) {
		return clearance.lapsesOn ? <p className="muted">上岗资格有效至 {addDays(clearance.lapsesOn, -1)}，到期前须参加复训考试或更新证书。</p> : null
	}
	return (
		<ul className="reasons" aria-label="不得上岗的原因">
			{clearance.reasons.map((r) => (
				<li key={r.text}>{r.text}</li>
			))}
		</ul>
	)
}
