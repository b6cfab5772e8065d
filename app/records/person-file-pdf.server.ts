import PDFDocument from 'pdfkit'
import { pdfBytes, registerPdfFonts } from '#app/utils/pdf-fonts.server.ts'
import { CLEARANCE_STATUS_NAMES, statusOf } from './clearance.ts'
import {
	certificateTable,
	chinaMinute,
	clearedThrough,
	examTable,
	identityFacts,
	jobTable,
	licenceTable,
	orderTable,
	PLATFORM_NAME,
	trainingTable,
	violationTable,
	type FileTable,
	type PersonFile,
} from './person-file.ts'

// 一人一档 as a PDF: A4 portrait, as many pages as it takes, Noto Sans SC embedded as a subset.
// Tables wrap their cells and, at a page break, go on under a repeated header row; every page
// carries a running header and 第 x 页 共 y 页, written once all pages exist (bufferPages).

const PAGE = { width: 595.28, height: 841.89 } // A4 portrait, in points
const MARGIN = { top: 60, bottom: 56, left: 48, right: 48 }
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right
const BOTTOM = PAGE.height - MARGIN.bottom
const INK = '#1b1f24'
const MUTED = '#4f5966'
const RULE = '#b8c0cc'
const HEADER_FILL = '#eef2f7'
const RED = '#a31d1d'
const GREEN = '#1d6b35'
const AMBER = '#8a5a00'
const SLACK = 4
const HEADING_HEIGHT = 26
const CELL = { size: 8.5, padX: 4, padY: 3.5, lineGap: 1 }

type Doc = PDFKit.PDFDocument

/** Lays the file out top to bottom, adding pages as it goes; `y` is where the next thing starts. */
class Layout {
	y = MARGIN.top
	constructor(readonly doc: Doc) {}

	newPage() {
		this.doc.addPage()
		this.y = MARGIN.top
	}

	/** Starts a new page unless `height` more points fit on this one. */
	ensure(height: number) {
		// A little slack: pdfkit breaks a page itself when a line's gap would cross the margin.
		if (this.y + height + SLACK > BOTTOM) this.newPage()
	}

	/** A heading never ends a page: `keepWith` is the height of what must follow it on the same page. */
	heading(text: string, keepWith = 40) {
		this.ensure(HEADING_HEIGHT + keepWith)
		this.y += 6
		this.doc.font('bold').fontSize(12).fillColor(INK).text(text, MARGIN.left, this.y, { width: CONTENT_WIDTH })
		this.y += HEADING_HEIGHT - 6
	}

	paragraph(text: string, { color = MUTED, size = 9 } = {}) {
		this.doc.font('regular').fontSize(size)
		const height = this.doc.heightOfString(text, { width: CONTENT_WIDTH, lineGap: 2 })
		this.ensure(height)
		this.doc.fillColor(color).text(text, MARGIN.left, this.y, { width: CONTENT_WIDTH, lineGap: 2 })
		this.y += height + 4
	}

	/**
	 * Column widths in points: a nowrap column as wide as its longest cell (or header), the rest
	 * of the page shared among the others by their character widths.
	 */
	private widths(table: FileTable) {
		const doc = this.doc
		const natural = (i: number) => {
			doc.font('bold').fontSize(CELL.size)
			let widest = doc.widthOfString(table.columns[i]!.header)
			doc.font('regular')
			for (const row of table.rows) widest = Math.max(widest, doc.widthOfString(row[i] ?? ''))
			return widest + CELL.padX * 2 + 1
		}
		const fixed = table.columns.map((c, i) => (c.nowrap ? natural(i) : 0))
		const free = table.columns.reduce((a, c) => a + (c.nowrap ? 0 : c.width), 0)
		// Whatever the nowrap columns leave, but never less than a third of the page for the rest.
		const rest = Math.max(CONTENT_WIDTH - fixed.reduce((a, b) => a + b, 0), free ? CONTENT_WIDTH / 3 : 0)
		const widths = table.columns.map((c, i) => (c.nowrap ? fixed[i]! : (c.width / free) * rest))
		const scale = CONTENT_WIDTH / widths.reduce((a, b) => a + b, 0)
		return widths.map((w) => w * scale)
	}

	private rowHeight(cells: string[], widths: number[], font: 'regular' | 'bold') {
		this.doc.font(font).fontSize(CELL.size)
		const heights = cells.map((text, i) => this.doc.heightOfString(text || ' ', { width: widths[i]! - CELL.padX * 2, lineGap: CELL.lineGap }))
		return Math.max(...heights) + CELL.padY * 2
	}

	private drawRow(cells: string[], widths: number[], height: number, { header = false } = {}) {
		const doc = this.doc
		if (header) doc.rect(MARGIN.left, this.y, CONTENT_WIDTH, height).fill(HEADER_FILL)
		doc.font(header ? 'bold' : 'regular').fontSize(CELL.size).fillColor(INK)
		let x = MARGIN.left
		cells.forEach((text, i) => {
			doc.text(text, x + CELL.padX, this.y + CELL.padY, { width: widths[i]! - CELL.padX * 2, lineGap: CELL.lineGap })
			x += widths[i]!
		})
		doc.lineWidth(0.5).strokeColor(RULE)
		doc.moveTo(MARGIN.left, this.y + height).lineTo(MARGIN.left + CONTENT_WIDTH, this.y + height).stroke()
		this.y += height
	}

	table(table: FileTable) {
		if (!table.rows.length) {
			this.heading(table.title)
			this.paragraph(table.empty)
		} else {
			const widths = this.widths(table)
			const headers = table.columns.map((c) => c.header)
			const headerHeight = this.rowHeight(headers, widths, 'bold')
			// The title, the header row and the first row start on the same page.
			this.heading(table.title, headerHeight + this.rowHeight(table.rows[0]!, widths, 'regular') + SLACK)
			const top = () => {
				this.doc.lineWidth(0.5).strokeColor(RULE).moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_WIDTH, this.y).stroke()
				this.drawRow(headers, widths, headerHeight, { header: true })
			}
			top()
			for (const row of table.rows) {
				const height = this.rowHeight(row, widths, 'regular')
				// A row that does not fit goes to the next page, under the header again.
				if (this.y + height + SLACK > BOTTOM) {
					this.newPage()
					top()
				}
				this.drawRow(row, widths, height)
			}
			this.y += 6
		}
		if (table.note) this.paragraph(table.note)
		this.y += 6
	}
}

function titleBlock(layout: Layout, file: PersonFile) {
	const { doc } = layout
	const p = file.person
	doc.font('bold').fontSize(22).fillColor(INK).text('一人一档', MARGIN.left, layout.y, { width: CONTENT_WIDTH, align: 'center', characterSpacing: 4 })
	layout.y += 34
	doc.font('regular').fontSize(10).fillColor(MUTED).text(`${PLATFORM_NAME} · 个人安全培训档案`, MARGIN.left, layout.y, { width: CONTENT_WIDTH, align: 'center' })
	layout.y += 24
	doc.font('bold').fontSize(16).fillColor(INK).text(p.name, MARGIN.left, layout.y, { width: CONTENT_WIDTH })
	layout.y += 24
	layout.paragraph(`生成时间：${chinaMinute(file.generatedAt)}　　生成人：${file.generatedBy}`)
	layout.y += 4
}

/** 基本信息 as a grid of two label–value pairs per row. */
function identityGrid(layout: Layout, file: PersonFile) {
	const pairs: [string, string][] = [...identityFacts(file), ['工种', file.person.jobTypes.map((j) => j.name).join('、') || '未登记']]
	const rows: string[][] = []
	for (let i = 0; i < pairs.length; i += 2) rows.push([pairs[i]![0], pairs[i]![1], pairs[i + 1]?.[0] ?? '', pairs[i + 1]?.[1] ?? ''])
	layout.heading('基本信息')
	const doc = layout.doc
	const widths = [64, CONTENT_WIDTH / 2 - 64, 64, CONTENT_WIDTH / 2 - 64]
	for (const row of rows) {
		doc.font('regular').fontSize(9.5)
		const height = Math.max(...row.map((text, i) => doc.heightOfString(text || ' ', { width: widths[i]! - 8 }))) + 8
		layout.ensure(height)
		let x = MARGIN.left
		row.forEach((text, i) => {
			doc.fillColor(i % 2 === 0 ? MUTED : INK).text(text, x + 4, layout.y + 4, { width: widths[i]! - 8 })
			x += widths[i]!
		})
		doc.lineWidth(0.5).strokeColor(RULE).moveTo(MARGIN.left, layout.y + height).lineTo(MARGIN.left + CONTENT_WIDTH, layout.y + height).stroke()
		layout.y += height
	}
	layout.y += 10
}

function clearanceBlock(layout: Layout, file: PersonFile) {
	const status = statusOf(file.clearance)
	layout.heading(`上岗资格（${file.asOf}）`)
	const color = status === 'cleared' ? GREEN : status === 'expiring' ? AMBER : RED
	const through = clearedThrough(file.clearance)
	layout.paragraph(`${CLEARANCE_STATUS_NAMES[status]}${through === '—' ? '' : `，有效至 ${through}`}`, { color, size: 11 })
	for (const reason of file.clearance.reasons) layout.paragraph(`· ${reason.text}`, { color: INK })
	layout.y += 6
}

/** Running header and page numbers on every page, once the page count is known. */
function decoratePages(doc: Doc, file: PersonFile) {
	const range = doc.bufferedPageRange()
	for (let i = range.start; i < range.start + range.count; i++) {
		doc.switchToPage(i)
		// Writing inside the margins must not start a new page.
		const margins = { ...doc.page.margins }
		doc.page.margins.top = 0
		doc.page.margins.bottom = 0
		doc.font('regular').fontSize(8).fillColor(MUTED)
		doc.text(PLATFORM_NAME, MARGIN.left, 28, { width: CONTENT_WIDTH / 2, lineBreak: false })
		doc.text(`一人一档 · ${file.person.name}`, MARGIN.left + CONTENT_WIDTH / 2, 28, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false })
		doc.lineWidth(0.5).strokeColor(RULE).moveTo(MARGIN.left, 42).lineTo(MARGIN.left + CONTENT_WIDTH, 42).stroke()
		doc.font('regular').fontSize(9).fillColor(MUTED)
		doc.text(`第 ${i - range.start + 1} 页 共 ${range.count} 页`, MARGIN.left, PAGE.height - 36, { width: CONTENT_WIDTH, align: 'center', lineBreak: false })
		doc.page.margins = margins
	}
}

/** Renders one person's file. */
export async function renderPersonFilePdf(file: PersonFile): Promise<Buffer> {
	const doc = new PDFDocument({
		size: 'A4',
		margins: MARGIN,
		bufferPages: true,
		// font: null skips loading Helvetica, which nothing here uses.
		font: null as unknown as string,
		info: { Title: `一人一档 ${file.person.name}`, Author: PLATFORM_NAME, Subject: '一人一档' },
	})
	registerPdfFonts(doc)
	const done = pdfBytes(doc)

	const layout = new Layout(doc)
	titleBlock(layout, file)
	identityGrid(layout, file)
	clearanceBlock(layout, file)
	layout.table(jobTable(file))
	layout.table(trainingTable(file))
	layout.table(examTable(file))
	layout.table(certificateTable(file))
	layout.table(licenceTable(file))
	layout.table(violationTable(file))
	layout.table(orderTable(file))
	layout.paragraph('本档案由平台根据登记在册的记录自动生成；手机号、身份证号和特种作业操作证编号均已隐去部分数字。')

	decoratePages(doc, file)
	doc.end()
	return done
}
