import { Form } from '@remix-run/react'
import { SelectField } from './forms.tsx'

/** Step one of a form made for one enterprise, when the manager has several: which one (GET ?orgId=). */
export function ChooseEnterprise({ enterprises, label }: { enterprises: [string, string][]; label: string }) {
	if (!enterprises.length) return <p className="muted">您管理的范围内没有企业。</p>
	return (
		<Form method="get" className="stack">
			<SelectField name="orgId" label={label} options={enterprises} placeholder="请选择" />
			<div className="actions">
				<button type="submit" className="button">
					下一步
				</button>
			</div>
		</Form>
	)
}
