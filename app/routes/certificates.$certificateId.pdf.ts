import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireCertificate } from '#app/certificates/access.server.ts'
import { renderCertificatePdf } from '#app/certificates/pdf.server.ts'
import { chinaDay } from '#app/utils/days.ts'

// GET /certificates/:certificateId/pdf: the certificate as a PDF, for its holder and for managers
// whose scope includes the holder (404 for anyone else). The QR code opens /verify/<serial> on
// the address this request came to.

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { certificate: c } = await requireCertificate(request, params.certificateId)
	const verifyUrl = new URL(`/verify/${c.serial}`, new URL(request.url).origin).href
	const pdf = await renderCertificatePdf(
		{
			serial: c.serial,
			title: c.title,
			holderName: c.holderName,
			holderIdMasked: c.holderIdMasked,
			jobTypeNames: c.jobTypeNames,
			orgName: c.orgName,
			examTitle: c.examTitle,
			score: c.score,
			maxScore: c.maxScore,
			issuedOn: chinaDay(c.issuedAt),
			expiresOn: c.expiresOn,
			revokedOn: c.revokedAt ? chinaDay(c.revokedAt) : null,
		},
		verifyUrl,
	)
	const name = `${c.title}-${c.serial}.pdf`
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Length': String(pdf.length),
			'Content-Disposition': `attachment; filename="certificate-${c.serial}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
			'Cache-Control': 'private, no-store',
		},
	})
}
