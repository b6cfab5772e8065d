/** A labelled progress bar that reads well without colour. */
export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
	const pct = max > 0 ? Math.round((value / max) * 100) : 0
	return (
		<div className="progress">
			<progress value={value} max={Math.max(max, 1)} aria-label={label}>
				{pct}%
			</progress>
			<span className="muted">
				{value}/{max}
			</span>
		</div>
	)
}
