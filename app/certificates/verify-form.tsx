import { Form } from '@remix-run/react'
import type { CSSProperties } from 'react'
import { TextField } from '#app/components/forms.tsx'
import type { CertificateStatus } from './certificate.ts'

// The serial form of the public verification pages: a GET to /verify, which sends the reader on
// to /verify/<serial>. Works without JavaScript.

export function SerialForm({ value, error }: { value?: string; error?: string }) {
	return (
		<Form method="get" action="/verify" className="filters" role="search" aria-label="核验证书">
			<TextField
				name="serial"
				label="证书编号"
				defaultValue={value}
				error={error}
				hint="如 AQ2026-7K3M9QX2-H4TDW8，大小写和短横线均可省略"
				autoComplete="off"
				autoCapitalize="characters"
				spellCheck={false}
				maxLength={40}
			/>
			<button type="submit" className="primary">
				核验
			</button>
		</Form>
	)
}

const TONES: Record<CertificateStatus | 'not_found', CSSProperties> = {
	valid: { background: '#e7f4ea', borderColor: '#b5dcbf', color: '#1e6b34' },
	expired: { background: '#fff4dc', borderColor: '#ecd08f', color: '#8a5a00' },
	revoked: { background: '#fdecea', borderColor: '#f3b9b4', color: '#b3261e' },
	not_found: { background: '#fdecea', borderColor: '#f3b9b4', color: '#b3261e' },
}

/** The verdict in large type, coloured by status (and said in words, not by colour alone). */
export function StatusBanner({ status, children }: { status: CertificateStatus | 'not_found'; children: string }) {
	return (
		<p
			role="status"
			data-testid="verify-status"
			style={{ ...TONES[status], border: '1px solid', borderRadius: 8, padding: '0.5rem 0.75rem', fontSize: '1.6rem', fontWeight: 700, margin: '0 0 0.75rem', textAlign: 'center' }}
		>
			{children}
		</p>
	)
}
