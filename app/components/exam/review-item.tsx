import { answerText, KIND_LABELS, LETTERS, type QuestionKind, type ShownAnswer } from './format.ts'

export type ReviewedQuestion = {
	position: number
	type: QuestionKind
	stem: string
	/** The options in the order the taker saw them. */
	options: string[]
	given: ShownAnswer
	right: ShownAnswer
	points: number
	awarded: number
	explanation: string
}

/**
 * One graded question after 交卷: the mark, the options with the right ones and the taker's own
 * marked, both answers and the 解析. Exams, public self-tests and competitions all show this.
 */
export function ReviewItem({ q }: { q: ReviewedQuestion }) {
	const ok = q.awarded >= q.points
	const givenText = answerText(q.given)
	const rightText = answerText(q.right)
	return (
		<li
			className={`card exam-review-item ${ok ? 'right' : 'wrong'}`}
			data-testid="review-item"
			data-given={givenText}
			data-right={rightText}
			data-points={q.points}
			data-awarded={q.awarded}
		>
			<h3>
				第 {q.position} 题 <span className="badge">{KIND_LABELS[q.type]}</span>{' '}
				<span className={ok ? 'exam-mark-right' : 'exam-mark-wrong'}>{ok ? '✓ 正确' : q.awarded > 0 ? '部分正确' : '✗ 错误'}</span>{' '}
				<span className="muted">
					{q.awarded}/{q.points} 分
				</span>
			</h3>
			<p className="exam-stem">{q.stem}</p>
			{q.type === 'judge' ? null : (
				<ul className="exam-review-options">
					{q.options.map((text, i) => {
						const letter = LETTERS[i]!
						const isRight = typeof q.right === 'string' && q.right.includes(letter)
						const isGiven = typeof q.given === 'string' && q.given.includes(letter)
						return (
							<li key={letter} className={`${isRight ? 'right' : ''}${isGiven && !isRight ? ' wrong' : ''}`}>
								{letter}. {text}
								{isRight ? <span className="exam-sr">（正确选项）</span> : null}
								{isGiven ? <span className="exam-sr">（你的选择）</span> : null}
							</li>
						)
					})}
				</ul>
			)}
			<p>
				你的答案：<strong className={ok ? 'exam-mark-right' : 'exam-mark-wrong'}>{givenText}</strong> · 正确答案：<strong>{rightText}</strong>
			</p>
			<p className="exam-explanation">解析：{q.explanation}</p>
		</li>
	)
}
