import { useNavigation } from '@remix-run/react'
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'

// Form controls with their label and their error next to them, linked for screen readers.

type FieldProps = { name: string; label: string; error?: string; hint?: ReactNode }

function Described({ name, error, hint }: Pick<FieldProps, 'name' | 'error' | 'hint'>) {
	return (
		<>
			{hint ? (
				<p className="hint" id={`${name}-hint`}>
					{hint}
				</p>
			) : null}
			{error ? (
				<p className="field-error" id={`${name}-error`} role="alert">
					{error}
				</p>
			) : null}
		</>
	)
}

const describedBy = (name: string, error?: string, hint?: ReactNode) =>
	[hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(' ') || undefined

export function TextField({ name, label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
	return (
		<div className="field">
			<label htmlFor={name}>{label}</label>
			<input id={name} name={name} type="text" aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, error, hint)} {...input} />
			<Described name={name} error={error} hint={hint} />
		</div>
	)
}

export function SelectField({
	name,
	label,
	error,
	hint,
	options,
	placeholder,
	...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: [string, string][]; placeholder?: string }) {
	return (
		<div className="field">
			<label htmlFor={name}>{label}</label>
			<select id={name} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, error, hint)} {...select}>
				{placeholder !== undefined ? <option value="">{placeholder}</option> : null}
				{options.map(([value, text]) => (
					<option key={value} value={value}>
						{text}
					</option>
				))}
			</select>
			<Described name={name} error={error} hint={hint} />
		</div>
	)
}

export function CheckboxGroup({
	name,
	label,
	error,
	hint,
	options,
	defaultValue = [],
}: FieldProps & { options: [string, string][]; defaultValue?: string[] }) {
	return (
		<div className="field">
			<fieldset aria-describedby={describedBy(name, error, hint)}>
				<legend>{label}</legend>
				<div className="checks">
					{options.map(([value, text]) => (
						<label key={value}>
							<input type="checkbox" name={name} value={value} defaultChecked={defaultValue.includes(value)} />
							{text}
						</label>
					))}
				</div>
			</fieldset>
			<Described name={name} error={error} hint={hint} />
		</div>
	)
}

export function FormError({ error }: { error?: string }) {
	return error ? (
		<p className="form-error" role="alert">
			{error}
		</p>
	) : null
}

/** A submit button that says it is working while the form posts (with JavaScript). */
export function SubmitButton({ children, pendingText = '正在提交…' }: { children: ReactNode; pendingText?: string }) {
	const navigation = useNavigation()
	const pending = navigation.state === 'submitting'
	return (
		<button type="submit" className="primary" disabled={pending}>
			{pending ? pendingText : children}
		</button>
	)
}

export function TextAreaField({ name, label, error, hint, ...textarea }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
	return (
		<div className="field">
			<label htmlFor={name}>{label}</label>
			<textarea id={name} name={name} rows={3} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, error, hint)} {...textarea} />
			<Described name={name} error={error} hint={hint} />
		</div>
	)
}

/** A filter drop-down of a GET search form: an empty first choice means "any". */
export function FilterSelect({
	name,
	label,
	value,
	options,
	anyLabel = '全部',
}: {
	name: string
	label: string
	value: string | number | undefined
	options: [string | number, string][]
	anyLabel?: string
}) {
	return (
		<div className="field">
			<label htmlFor={name}>{label}</label>
			<select id={name} name={name} defaultValue={value ?? ''}>
				<option value="">{anyLabel}</option>
				{options.map(([key, text]) => (
					<option key={key} value={key}>
						{text}
					</option>
				))}
			</select>
		</div>
	)
}
