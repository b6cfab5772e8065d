import { Form } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { CheckboxGroup, FormError, SelectField, SubmitButton, TextField } from './forms.tsx'
import { DIFFICULTY_LABELS, EXAM_PURPOSES } from '#app/exams/labels.ts'
import { MAX_RULE_ROWS, RULE_FIELDS, ruleField, ruleRowsFor } from '#app/exams/template-form.ts'
import type { FormErrors, FormValues } from '#app/utils/forms.ts'

// The 试卷规则 form. Without JavaScript it shows a fixed set of rule rows (empty ones are ignored);
// with JavaScript, spare rows fold away and rules can be added and removed, and the total updates.

type JobType = { code: string; name: string }

const TYPES: [string, string][] = [
	['single', '单选题'],
	['multiple', '多选题'],
	['judge', '判断题'],
]
const PARTS: [string, string][] = [
	['general', '通用知识'],
	['professional', '专业知识'],
]
const DIFFICULTIES: [string, string][] = DIFFICULTY_LABELS.map((l, i) => [String(i + 1), `${i + 1}（${l}）`])

const str = (values: FormValues, key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '')
const list = (values: FormValues, key: string) => (Array.isArray(values[key]) ? (values[key] as string[]) : [])

function isFilled(values: FormValues, row: number) {
	return RULE_FIELDS.some((f) => {
		const v = values[ruleField(row, f)]
		return Array.isArray(v) ? v.length > 0 : Boolean(v)
	})
}

function Check({ name, label, values, hint }: { name: string; label: string; values: FormValues; hint?: string }) {
	return (
		<div className="tpl-check">
			<label>
				<input type="checkbox" name={name} value="1" defaultChecked={values[name] === '1'} /> {label}
			</label>
			{hint ? <p className="hint">{hint}</p> : null}
		</div>
	)
}

function RuleRow({
	row,
	source,
	values,
	errors,
	jobTypes,
	onRemove,
}: {
	row: number
	/** The row of `values` this row was first rendered from (its stable key). */
	source: number
	values: FormValues
	errors: FormErrors
	jobTypes: JobType[]
	onRemove?: () => void
}) {
	const name = (f: (typeof RULE_FIELDS)[number]) => ruleField(row, f)
	const initial = (f: (typeof RULE_FIELDS)[number]) => str(values, ruleField(source, f))
	const chosenJobs = list(values, ruleField(source, 'jobTypes'))
	const jobSummary = chosenJobs.length ? jobTypes.filter((j) => chosenJobs.includes(j.code)).map((j) => j.name).join('、') : '不限'
	const err = (f: (typeof RULE_FIELDS)[number]) => errors[ruleField(row, f)]
	return (
		<fieldset className="tpl-rule" data-rule-row={row}>
			<legend>第 {row} 条规则</legend>
			<div className="tpl-rule-grid">
				<SelectField name={name('type')} label="题型" options={TYPES} placeholder="请选择" defaultValue={initial('type')} error={err('type')} />
				<TextField name={name('count')} label="题数" inputMode="numeric" defaultValue={initial('count')} error={err('count')} />
				<TextField name={name('points')} label="每题分值" inputMode="numeric" defaultValue={initial('points')} error={err('points')} />
				<SelectField name={name('part')} label="知识类别" options={PARTS} placeholder="不限" defaultValue={initial('part')} error={err('part')} />
				<SelectField name={name('minDifficulty')} label="难度从" options={DIFFICULTIES} placeholder="不限" defaultValue={initial('minDifficulty')} error={err('minDifficulty')} />
				<SelectField name={name('maxDifficulty')} label="难度到" options={DIFFICULTIES} placeholder="不限" defaultValue={initial('maxDifficulty')} error={err('maxDifficulty')} />
			</div>
			<TextField name={name('topics')} label="知识点（不填则不限）" defaultValue={initial('topics')} error={err('topics')} hint="多个知识点用顿号或逗号分隔，题目含其中任一即可" />
			<details className="tpl-jobs" open={Boolean(err('jobTypes'))}>
				<summary>
					适用工种：<span>{jobSummary}</span>
				</summary>
				<CheckboxGroup name={name('jobTypes')} label="只抽这些工种的题（另含全部工种通用的题）" options={jobTypes.map((j) => [j.code, j.name])} defaultValue={chosenJobs} error={err('jobTypes')} />
			</details>
			{onRemove ? (
				<button type="button" className="link-button tpl-remove" onClick={onRemove}>
					删除第 {row} 条规则
				</button>
			) : null}
		</fieldset>
	)
}

/** Sum of 题数 × 分值 over the filled rule rows of the form, read from the live inputs. */
function totalsOf(form: HTMLFormElement) {
	const data = new FormData(form)
	let questions = 0
	let points = 0
	for (let row = 1; row <= MAX_RULE_ROWS; row++) {
		const count = Number(data.get(ruleField(row, 'count')) || 0)
		const each = Number(data.get(ruleField(row, 'points')) || 0)
		if (Number.isFinite(count) && Number.isFinite(each) && count > 0) {
			questions += count
			points += count * each
		}
	}
	return { questions, points }
}

export function ExamTemplateForm({
	values,
	errors,
	shortfalls = [],
	jobTypes,
	submitLabel,
}: {
	values: FormValues
	errors: FormErrors
	shortfalls?: string[]
	jobTypes: JobType[]
	submitLabel: string
}) {
	const initialRows = ruleRowsFor(values)
	// Stable keys: the row each one was first rendered from; a new row gets a key past them.
	const [rows, setRows] = useState(() => Array.from({ length: initialRows }, (_, i) => i + 1))
	const [enhanced, setEnhanced] = useState(false)
	const [totals, setTotals] = useState<{ questions: number; points: number } | null>(null)
	const formRef = useRef<HTMLFormElement>(null)
	const nextKey = useRef(MAX_RULE_ROWS + 1)

	useEffect(() => {
		setEnhanced(true)
		// Fold the spare empty rows away (「添加一条规则」 brings one back); a new form keeps one row.
		setRows((current) => {
			let last = 0
			current.forEach((key, i) => {
				if (isFilled(values, key)) last = i + 1
			})
			return current.slice(0, Math.max(1, last))
		})
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [])
	useEffect(() => {
		if (formRef.current) setTotals(totalsOf(formRef.current))
	}, [rows])

	const v = (key: string) => str(values, key)
	return (
		<Form method="post" className="stack tpl-form" noValidate ref={formRef} onInput={() => formRef.current && setTotals(totalsOf(formRef.current))}>
			<FormError error={errors.form} />
			<TextField name="title" label="试卷名称" defaultValue={v('title')} error={errors.title} hint="例如：煤矿井下作业人员岗前安全培训考试" />
			<SelectField name="purpose" label="考试类型" options={Object.entries(EXAM_PURPOSES)} placeholder="请选择" defaultValue={v('purpose')} error={errors.purpose} />
			<details className="tpl-jobs" open={Boolean(errors.jobTypes)}>
				<summary>
					适用工种：<span>{list(values, 'jobTypes').length ? jobTypes.filter((j) => list(values, 'jobTypes').includes(j.code)).map((j) => j.name).join('、') : '未指定'}</span>
				</summary>
				<CheckboxGroup name="jobTypes" label="本试卷适用的工种（用于查找和发布考试）" options={jobTypes.map((j) => [j.code, j.name])} defaultValue={list(values, 'jobTypes')} error={errors.jobTypes} />
			</details>
			<div className="tpl-grid">
				<TextField name="timeLimitMinutes" label="考试时长（分钟）" inputMode="numeric" defaultValue={v('timeLimitMinutes')} error={errors.timeLimitMinutes} />
				<TextField name="passMark" label="及格分" inputMode="numeric" defaultValue={v('passMark')} error={errors.passMark} />
				<TextField name="attemptsAllowed" label="可考次数" inputMode="numeric" defaultValue={v('attemptsAllowed')} error={errors.attemptsAllowed} />
			</div>

			<section aria-labelledby="tpl-rules-title" className="tpl-rules">
				<h2 id="tpl-rules-title">抽题规则</h2>
				<p className="hint">每条规则从题库中随机抽取指定题型的题目；同一道题只会被抽到一次。空着的规则会被忽略。</p>
				<FormError error={errors.rules} />
				{shortfalls.length ? (
					<ul className="tpl-shortfalls" aria-label="题库不足的规则">
						{shortfalls.map((s) => (
							<li key={s}>{s}</li>
						))}
					</ul>
				) : null}
				{rows.map((key, i) => (
					<RuleRow
						key={key}
						row={i + 1}
						source={key}
						values={values}
						errors={errors}
						jobTypes={jobTypes}
						onRemove={enhanced && rows.length > 1 ? () => setRows((r) => r.filter((k) => k !== key)) : undefined}
					/>
				))}
				{enhanced && rows.length < MAX_RULE_ROWS ? (
					<button type="button" className="button secondary" onClick={() => setRows((r) => [...r, nextKey.current++])}>
						添加一条规则
					</button>
				) : null}
				{totals ? (
					<p className="tpl-total" aria-live="polite">
						合计 {totals.questions} 题，{totals.points} 分
					</p>
				) : null}
			</section>

			<section aria-labelledby="tpl-grading-title" className="tpl-options">
				<h2 id="tpl-grading-title">组卷与评分</h2>
				<Check name="shuffleQuestions" label="打乱题目顺序" values={values} />
				<Check name="shuffleOptions" label="打乱选项顺序" values={values} />
				<Check name="partialCredit" label="多选题少选得一半分" values={values} hint="不勾选时多选题须全部选对才得分；勾选后，少选且没有错选的得该题一半分（向下取整）。" />
				<Check name="showReview" label="交卷后显示答案与解析" values={values} hint="抽考可以不显示。" />
				<TextField name="switchLimit" label="切屏次数上限（可不填）" inputMode="numeric" defaultValue={v('switchLimit')} error={errors.switchLimit} hint="不填时切屏只记录，供管理人员查看；填写后，离开考试页面达到此次数即自动交卷。" />
			</section>

			<section aria-labelledby="tpl-cert-title" className="tpl-options">
				<h2 id="tpl-cert-title">合格证明</h2>
				<Check name="issuesCertificate" label="考试合格后发放培训合格证明" values={values} />
				<TextField name="certificateValidMonths" label="证明有效期（月）" inputMode="numeric" defaultValue={v('certificateValidMonths')} error={errors.certificateValidMonths} />
			</section>

			<div className="actions">
				<SubmitButton pendingText="正在检查题库并保存…">{submitLabel}</SubmitButton>
			</div>
		</Form>
	)
}
