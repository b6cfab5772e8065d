import { niceCeiling } from '#app/oversight/dashboard.ts'

// Small charts drawn on the server as SVG: no library, no JavaScript. Each scales to the width
// of its container (360 px phones included) and says what it shows in its aria-label; the page
// puts the same numbers in a table beside it.

const WIDTH = 320
const INK = '#1b1f24'
const MUTED = '#4f5966'
const TRACK = '#e5e9f0'
const GRID = '#d5dbe3'

const shorten = (name: string, max = 18) => (name.length > max ? `${name.slice(0, max - 1)}…` : name)

export type Bar = { name: string; share: number | null; text: string }

/**
 * Horizontal bars for a share per organisation: the name on its own line above each bar and the
 * value at the right of that line, so long Chinese names stay readable on a phone.
 */
export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
	const row = 40
	const height = Math.max(1, bars.length) * row + 4
	const summary = `${title}：${bars.length ? bars.map((b) => `${b.name} ${b.text}`).join('，') : '暂无数据'}`
	return (
		<figure className="chart">
			<figcaption>{title}</figcaption>
			<svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={summary} preserveAspectRatio="xMinYMin meet">
				{bars.map((bar, i) => {
					const top = i * row
					const width = bar.share === null ? 0 : Math.max(0, Math.min(1, bar.share)) * WIDTH
					return (
						<g key={`${bar.name}-${i}`}>
							<text x={0} y={top + 15} fontSize={13} fill={INK}>
								{shorten(bar.name)}
							</text>
							<text x={WIDTH} y={top + 15} fontSize={13} fill={bar.share === null ? MUTED : INK} textAnchor="end" fontWeight={600}>
								{bar.text}
							</text>
							<rect x={0} y={top + 21} width={WIDTH} height={12} rx={3} fill={TRACK} />
							{width > 0 ? <rect x={0} y={top + 21} width={width} height={12} rx={3} fill="#0b5cad" data-share={bar.share ?? ''} /> : null}
						</g>
					)
				})}
			</svg>
		</figure>
	)
}

export type Series = { name: string; values: number[]; color: string }

/**
 * Columns per month, the series side by side, with a value axis from 0. `labels` are short
 * (a month's number) so twelve fit on a phone; `range` names the months in words.
 */
export function ColumnChart({ title, range, labels, series }: { title: string; range: string; labels: string[]; series: Series[] }) {
	const height = 200
	const left = 30
	const top = 26
	const bottom = 22
	const plotWidth = WIDTH - left
	const plotHeight = height - top - bottom
	const max = niceCeiling(Math.max(0, ...series.flatMap((s) => s.values)))
	const slot = plotWidth / Math.max(1, labels.length)
	const columnWidth = (slot * 0.8) / Math.max(1, series.length)
	const y = (value: number) => top + plotHeight - (value / max) * plotHeight
	const summary = `${title}（${range}）：${labels
		.map((label, i) => `${label} ${series.map((s) => `${s.name} ${s.values[i] ?? 0}`).join(' ')}`)
		.join('；')}`
	return (
		<figure className="chart">
			<figcaption>
				{title}
				<span className="chart-range">{range}</span>
			</figcaption>
			<svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={summary} preserveAspectRatio="xMinYMin meet">
				{series.map((s, k) => (
					<g key={s.name}>
						<rect x={left + k * 110} y={4} width={12} height={12} fill={s.color} />
						<text x={left + k * 110 + 16} y={15} fontSize={12} fill={INK}>
							{s.name}
						</text>
					</g>
				))}
				{[0, max / 2, max].map((tick) => (
					<g key={tick}>
						<line x1={left} x2={WIDTH} y1={y(tick)} y2={y(tick)} stroke={GRID} strokeWidth={1} />
						<text x={left - 4} y={y(tick) + 4} fontSize={10} fill={MUTED} textAnchor="end">
							{Number.isInteger(tick) ? tick : tick.toFixed(1)}
						</text>
					</g>
				))}
				{labels.map((label, i) => (
					<g key={label + i}>
						{series.map((s, k) => {
							const value = s.values[i] ?? 0
							const x = left + i * slot + slot * 0.1 + k * columnWidth
							return value > 0 ? <rect key={s.name} x={x} y={y(value)} width={columnWidth} height={y(0) - y(value)} fill={s.color} /> : null
						})}
						<text x={left + i * slot + slot / 2} y={height - 6} fontSize={11} fill={MUTED} textAnchor="middle">
							{label}
						</text>
					</g>
				))}
			</svg>
		</figure>
	)
}
