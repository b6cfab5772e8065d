import { Form } from '@remix-run/react'
import { MarkdownPreview, useMarkdownPreview } from './markdown-preview.tsx'
import { CheckboxGroup, FormError, SelectField, SubmitButton, TextAreaField, TextField } from './forms.tsx'
import { PART_LABELS } from '#app/bank/question.ts'
import type { FormErrors, FormValues } from '#app/utils/forms.ts'

const str = (values: FormValues, key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '')

export function CourseForm({ values, errors, jobTypes, submitLabel }: { values: FormValues; errors: FormErrors; jobTypes: { code: string; name: string }[]; submitLabel: string }) {
	return (
		<Form method="post" className="stack" noValidate>
			<input type="hidden" name="intent" value="course" />
			<FormError error={errors.form} />
			<TextField name="title" label="课程名称" defaultValue={str(values, 'title')} error={errors.title} />
			<SelectField name="part" label="知识类别" options={Object.entries(PART_LABELS)} placeholder="请选择" defaultValue={str(values, 'part')} error={errors.part} />
			<TextAreaField name="description" label="简介" defaultValue={str(values, 'description')} error={errors.description} />
			<div className="field">
				<label>
					<input type="checkbox" name="forAllJobTypes" value="1" defaultChecked={values.forAllJobTypes === '1'} /> 全部工种都要学
				</label>
			</div>
			<CheckboxGroup name="jobTypes" label="适用工种" options={jobTypes.map((j) => [j.code, j.name])} defaultValue={Array.isArray(values.jobTypes) ? values.jobTypes : []} error={errors.jobTypes} />
			<div className="field">
				<label>
					<input type="checkbox" name="published" value="1" defaultChecked={values.published === '1'} /> 发布（学员可见）
				</label>
			</div>
			<div className="actions">
				<SubmitButton pendingText="正在保存…">{submitLabel}</SubmitButton>
			</div>
		</Form>
	)
}

/**
 * Lesson editor: markdown on the left, the rendered lesson beside it. With JavaScript the
 * preview follows the typing; without it the 预览 button posts and the page shows it.
 */
export function LessonForm({ values, errors, previewHtml, submitLabel }: { values: FormValues; errors: FormErrors; previewHtml: string | null; submitLabel: string }) {
	const { body, setBody, html } = useMarkdownPreview(str(values, 'body'), previewHtml)
	return (
		<Form method="post" className="lesson-editor" noValidate>
			<div className="stack">
				<FormError error={errors.form} />
				<TextField name="title" label="课时标题" defaultValue={str(values, 'title')} error={errors.title} />
				<TextField name="minMinutes" label="最少学习时间（分钟）" type="number" inputMode="numeric" min={1} max={120} defaultValue={str(values, 'minMinutes')} error={errors.minMinutes} />
				<TextAreaField
					name="body"
					label="正文（Markdown：## 小标题、- 列表、**加粗**、表格、图片和链接）"
					rows={18}
					value={body}
					onChange={(e) => setBody(e.target.value)}
					error={errors.body}
				/>
				<div className="actions">
					<SubmitButton pendingText="正在保存…">{submitLabel}</SubmitButton>
					<button type="submit" name="intent" value="preview" className="button secondary">
						预览
					</button>
				</div>
			</div>
			<MarkdownPreview html={html} />
		</Form>
	)
}
