import type { z } from 'zod'

// The one way to read a posted form: validate the whole of it first, report every problem by
// field, echo back what was typed (never passwords) so a page without JavaScript keeps it.

export type FormErrors = Record<string, string>
export type FormValues = Record<string, string | string[]>
export type FormFailure = { ok: false; errors: FormErrors; values: FormValues }

export function formValues(formData: FormData, arrayFields: readonly string[] = []): FormValues {
	const values: FormValues = {}
	for (const key of new Set(formData.keys())) {
		const all = formData.getAll(key).filter((v): v is string => typeof v === 'string')
		values[key] = arrayFields.includes(key) ? all : (all[0] ?? '')
	}
	for (const key of arrayFields) values[key] ??= []
	return values
}

export function parseForm<S extends z.ZodType>(
	schema: S,
	formData: FormData,
	{ arrays = [] as readonly string[] } = {},
): { ok: true; data: z.infer<S> } | FormFailure {
	const values = formValues(formData, arrays)
	// PostgreSQL cannot store a NUL character: refuse it here rather than fail in the query.
	const withNul = Object.entries(values).filter(([, v]) => [v].flat().some((s) => s.includes('\u0000')))
	if (withNul.length) return failure(values, Object.fromEntries(withNul.map(([k]) => [k, '含有无法保存的控制字符，请删除后重新填写'])))
	const input = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === '' ? undefined : v]))
	const result = schema.safeParse(input)
	if (result.success) return { ok: true, data: result.data }
	return failure(values, Object.fromEntries(result.error.issues.map((i) => [String(i.path[0] ?? 'form'), i.message]).reverse()))
}

/** A failed submission: the errors to show and the typed values minus secrets. */
export function failure(values: FormValues, errors: FormErrors): FormFailure {
	const safe = Object.fromEntries(Object.entries(values).filter(([k]) => !/password/i.test(k)))
	return { ok: false, errors, values: safe }
}
