import { Form } from '@remix-run/react'
import { CheckboxGroup, FormError, SelectField, SubmitButton, TextAreaField, TextField } from './forms.tsx'
import { OPTION_FIELDS } from '#app/bank/question-form.ts'
import { QUESTION_TYPES } from '#app/bank/question-file.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import type { FormErrors, FormValues } from '#app/utils/forms.ts'

export function QuestionForm({
	values,
	errors,
	jobTypes,
	submitLabel,
}: {
	values: FormValues
	errors: FormErrors
	jobTypes: { code: string; name: string }[]
	submitLabel: string
}) {
	const v = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '')
	return (
		<Form method="post" className="stack" noValidate>
			<FormError error={errors.form} />
			<SelectField name="type" label="题型" options={Object.entries(QUESTION_TYPES)} placeholder="请选择" defaultValue={v('type')} error={errors.type} />
			<TextAreaField name="stem" label="题干" rows={3} defaultValue={v('stem')} error={errors.stem} />
			<fieldset className="field options-fieldset">
				<legend>选项（判断题不填；空着的选项会被忽略）</legend>
				{OPTION_FIELDS.map((name) => (
					<TextField key={name} name={name} label={`选项 ${name.slice(-1)}`} defaultValue={v(name)} error={errors[name]} />
				))}
			</fieldset>
			<TextField name="answer" label="答案" defaultValue={v('answer')} error={errors.answer} hint="单选填一个字母，如 B；多选填多个字母，如 ACD；判断题填“正确”或“错误”" />
			<TextAreaField name="explanation" label="解析（说明依据的法规条款）" rows={4} defaultValue={v('explanation')} error={errors.explanation} />
			<SelectField name="difficulty" label="难度" options={['1', '2', '3', '4', '5'].map((d) => [d, `${d}（${['易', '较易', '中', '较难', '难'][Number(d) - 1]}）`])} placeholder="请选择" defaultValue={v('difficulty')} error={errors.difficulty} />
			<SelectField name="part" label="知识类别" options={Object.entries(PART_LABELS)} placeholder="请选择" defaultValue={v('part')} error={errors.part} />
			<div className="field">
				<label>
					<input type="checkbox" name="forAllJobTypes" value="1" defaultChecked={values.forAllJobTypes === '1'} /> 全部工种通用
				</label>
			</div>
			<CheckboxGroup name="jobTypes" label="适用工种" options={jobTypes.map((j) => [j.code, j.name])} defaultValue={Array.isArray(values.jobTypes) ? values.jobTypes : []} error={errors.jobTypes} />
			<TextField name="topics" label="知识点" defaultValue={v('topics')} error={errors.topics} hint="多个知识点用顿号或逗号分隔" />
			<div className="actions">
				<SubmitButton pendingText="正在保存…">{submitLabel}</SubmitButton>
			</div>
		</Form>
	)
}
