import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'
import { pdfBytes, registerPdfFonts } from '#app/utils/pdf-fonts.server.ts'
import { formatChineseDate } from './certificate.ts'

// The certificate as a PDF: A4 landscape, Noto Sans SC (TrueType outlines, from an npm package,
// so no system font is needed) embedded as a subset of the characters used, and a QR code,
// drawn as vector squares, that opens the public verification page.

export type PrintedCertificate = {
	serial: string
	title: string
	holderName: string
	holderIdMasked: string
	jobTypeNames: string[]
	orgName: string
	examTitle: string
	score: number
	maxScore: number
	issuedOn: string // YYYY-MM-DD, China time
	expiresOn: string | null
	/** Set when revoked: the PDF then says so across the page. */
	revokedOn?: string | null
}

const PAGE = { width: 841.89, height: 595.28 } // A4 landscape, in points
const INK = '#1b1f24'
const MUTED = '#4f5966'
const RED = '#a31d1d'
const QR_SIZE = 150

/** The QR code's dark modules as filled squares, each row's runs merged (no seams when rasterised). */
function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
	const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
	const quiet = 4 // modules of white margin, as the standard asks
	const cell = size / (modules.size + quiet * 2)
	doc.save()
	doc.rect(x, y, size, size).fill('#ffffff')
	for (let row = 0; row < modules.size; row++) {
		let col = 0
		while (col < modules.size) {
			if (!modules.get(row, col)) {
				col++
				continue
			}
			const start = col
			while (col < modules.size && modules.get(row, col)) col++
			doc.rect(x + (quiet + start) * cell, y + (quiet + row) * cell, (col - start) * cell, cell)
		}
	}
	doc.fill('#000000')
	doc.restore()
}

/** Renders one certificate; `verifyUrl` is the absolute address the QR code opens. */
export async function renderCertificatePdf(certificate: PrintedCertificate, verifyUrl: string): Promise<Buffer> {
	// font: null skips loading Helvetica, which no certificate uses.
	const doc = new PDFDocument({
		size: 'A4',
		layout: 'landscape',
		margin: 0,
		font: null as unknown as string,
		info: { Title: `${certificate.title} ${certificate.serial}`, Author: '安全生产培训考试与宣教平台', Subject: certificate.serial },
	})
	registerPdfFonts(doc)
	const done = pdfBytes(doc)

	// Frame: a thick outer line and a thin inner one.
	doc.lineWidth(6).strokeColor(RED).rect(24, 24, PAGE.width - 48, PAGE.height - 48).stroke()
	doc.lineWidth(1).rect(36, 36, PAGE.width - 72, PAGE.height - 72).stroke()

	doc.font('bold').fontSize(36).fillColor(RED).text(certificate.title, 0, 70, { width: PAGE.width, align: 'center', characterSpacing: 6 })
	doc.font('regular').fontSize(12).fillColor(MUTED).text('安全生产培训考试与宣教平台', 0, 124, { width: PAGE.width, align: 'center', characterSpacing: 2 })

	const left = 90
	const labelWidth = 92
	const valueWidth = 420
	let y = 170
	const line = (label: string, value: string, { strong = false } = {}) => {
		doc.font('regular').fontSize(13).fillColor(MUTED).text(label, left, y + (strong ? 4 : 0), { width: labelWidth })
		doc.font(strong ? 'bold' : 'regular').fontSize(strong ? 20 : 14).fillColor(INK).text(value, left + labelWidth, y, { width: valueWidth })
		y += strong ? 36 : 28
	}
	line('姓　　名', certificate.holderName, { strong: true })
	line('身份证号', certificate.holderIdMasked || '未登记')
	line('工　　种', certificate.jobTypeNames.join('、') || '—')
	line('单　　位', certificate.orgName)
	line('考　　试', certificate.examTitle)
	line('成　　绩', `${certificate.score} 分（满分 ${certificate.maxScore} 分），考试合格`)
	line('发证日期', formatChineseDate(certificate.issuedOn))
	line('有效期至', certificate.expiresOn ? formatChineseDate(certificate.expiresOn) : '长期有效')
	line('证书编号', certificate.serial)

	doc.font('regular')
		.fontSize(13)
		.fillColor(INK)
		.text('该同志参加安全生产培训并经考试合格，特发此证。', left, y + 14, { width: valueWidth + labelWidth })

	const qrX = PAGE.width - 90 - QR_SIZE
	const qrY = 190
	drawQrCode(doc, verifyUrl, qrX, qrY, QR_SIZE)
	doc.font('regular').fontSize(11).fillColor(MUTED).text('扫码核验证书真伪', qrX, qrY + QR_SIZE + 8, { width: QR_SIZE, align: 'center' })
	doc.fontSize(9).text(`或打开 ${new URL('/verify', verifyUrl).href}`, qrX - 50, qrY + QR_SIZE + 26, { width: QR_SIZE + 100, align: 'center', lineBreak: false })
	doc.text('输入证书编号核验', qrX - 50, qrY + QR_SIZE + 40, { width: QR_SIZE + 100, align: 'center' })

	doc.fontSize(10)
		.fillColor(MUTED)
		.text('本证书由平台根据考试成绩自动生成，以核验页面显示的状态为准（有效、已过期或已撤销）。', 0, PAGE.height - 70, { width: PAGE.width, align: 'center' })

	if (certificate.revokedOn) {
		doc.save()
		// Over the particulars, clear of the QR code, which still opens the page that says 已撤销.
		doc.rotate(-20, { origin: [left + 250, 300] })
		doc.font('bold').fontSize(48).fillColor(RED).fillOpacity(0.35)
		doc.text(`已撤销 ${formatChineseDate(certificate.revokedOn)}`, left - 50, 270, { width: 600, align: 'center' })
		doc.restore()
	}

	doc.end()
	return done
}
