import { Form } from '@remix-run/react'
import { FormError, SelectField, SubmitButton, TextAreaField, TextField } from './forms.tsx'
import { QUESTION_KINDS } from '#app/outreach/competition-form.ts'
import type { FormErrors, FormValues } from '#app/utils/forms.ts'

// The organiser's 知识竞赛 form. `locked`: the competition has opened, so only its name and
// description may change; the rest is shown as text by the page.

const str = (values: FormValues, key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '')

export function CompetitionForm({ values, errors, isNew, locked, submitLabel }: { values: FormValues; errors: FormErrors; isNew: boolean; locked: boolean; submitLabel: string }) {
	const v = (key: string) => str(values, key)
	return (
		<Form method="post" className="stack" noValidate>
			<input type="hidden" name="scope" value={locked ? 'details' : 'full'} />
			<FormError error={errors.form} />
			<TextField name="title" label="竞赛名称" defaultValue={v('title')} error={errors.title} hint="例如：2026 年“安全生产月”安全知识竞赛" />
			{isNew ? (
				<TextField name="slug" label="链接名" defaultValue={v('slug')} error={errors.slug} hint="竞赛网址 /competitions/链接名 中的部分：小写字母、数字和连字符，保存后不能修改" autoCapitalize="off" spellCheck={false} />
			) : null}
			<TextAreaField name="description" label="竞赛说明（支持 Markdown）" rows={8} defaultValue={v('description')} error={errors.description} hint="竞赛规则、奖项设置、主办单位等，显示在竞赛页面上" />
			{locked ? null : (
				<>
					<div className="tpl-grid">
						<TextField name="opensAt" label="开始时间" type="datetime-local" defaultValue={v('opensAt')} error={errors.opensAt} />
						<TextField name="closesAt" label="结束时间" type="datetime-local" defaultValue={v('closesAt')} error={errors.closesAt} hint="北京时间。只能在此期间报名和答题，结束时仍在答题的以结束时间为截止。" />
						<TextField name="timeLimitMinutes" label="答题时长（分钟）" inputMode="numeric" defaultValue={v('timeLimitMinutes')} error={errors.timeLimitMinutes} />
					</div>
					<fieldset className="field">
						<legend>试卷</legend>
						<p className="hint">从平台题库{isNew ? '（及本单位题库）' : ''}中随机抽题；不适用于普通公众的题（如只面向主要负责人的题）不会抽到。</p>
						{QUESTION_KINDS.map(([type, label]) => (
							<div className="tpl-grid" key={type}>
								<TextField name={`${type}Count`} label={`${label}题数`} inputMode="numeric" defaultValue={v(`${type}Count`)} error={errors[`${type}Count`]} />
								<TextField name={`${type}Points`} label={`${label}每题分值`} inputMode="numeric" defaultValue={v(`${type}Points`)} error={errors[`${type}Points`]} />
							</div>
						))}
						<SelectField
							name="part"
							label="出题范围"
							options={[
								['general', '只出通用知识题'],
								['all', '通用知识和专业知识题'],
							]}
							defaultValue={v('part')}
							error={errors.part}
						/>
						<TextField name="topics" label="知识点（可不填）" defaultValue={v('topics')} error={errors.topics} hint="多个知识点用顿号或逗号分隔，只抽含其中任一知识点的题" />
						<div className="tpl-check">
							<label>
								<input type="checkbox" name="fixedPaper" value="1" defaultChecked={v('fixedPaper') === '1'} /> 固定试卷：保存时抽一次题，所有人答同一份试卷（题目和选项顺序相同）
							</label>
							<p className="hint">不勾选时，每位参赛者开始答题时按上述规则各抽一份。</p>
						</div>
					</fieldset>
				</>
			)}
			<div className="actions">
				<SubmitButton pendingText="正在检查题库并保存…">{submitLabel}</SubmitButton>
			</div>
		</Form>
	)
}
