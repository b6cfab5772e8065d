import fs from 'node:fs'
import { createRequire } from 'node:module'

// Noto Sans SC (TrueType outlines, from an npm package, so no system font is needed) for every
// PDF the platform makes: certificates, 一人一档. pdfkit embeds a subset of the characters used.

const require = createRequire(import.meta.url)
// fontkit as pdfkit itself resolves it (a dependency of pdfkit, not of ours).
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(data: Buffer): object }

export type PdfFonts = { regular: object; bold: object }
let fonts: PdfFonts | undefined

/**
 * The two weights, read and parsed once per process. Each file is about 10 MB; reading it for
 * every document would cost more than the rest of the work, and a parsed font keeps the
 * tables (cmap, glyph index) it has decoded, which the first layout of a new one spends 10–20 ms
 * on. pdfkit takes a parsed font as is and still writes a subset per document.
 */
export function pdfFonts(): PdfFonts {
	fonts ??= {
		regular: fontkit.create(fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'))),
		bold: fontkit.create(fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'))),
	}
	return fonts
}

/** Registers the fonts as 'regular' and 'bold' on a document made with `font: null`. */
export function registerPdfFonts(doc: PDFKit.PDFDocument) {
	const { regular, bold } = pdfFonts()
	doc.registerFont('regular', regular as never)
	doc.registerFont('bold', bold as never)
}

/** A document's bytes once it has ended. Call before drawing: pdfkit streams as it goes. */
export function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
	const chunks: Buffer[] = []
	doc.on('data', (chunk: Buffer) => chunks.push(chunk))
	return new Promise<Buffer>((resolve, reject) => {
		doc.on('end', () => resolve(Buffer.concat(chunks)))
		doc.on('error', reject)
	})
}
