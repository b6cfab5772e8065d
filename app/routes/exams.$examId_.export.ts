import type { LoaderFunctionArgs } from '@remix-run/node'
import ExcelJS from 'exceljs'
import { notFound } from '#app/auth/auth.server.ts'
import { attachment, XLSX_TYPE } from '#app/bank/spreadsheet.server.ts'
import { requireExamScope } from '#app/exams/assign.server.ts'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { RESULT_STATUS, SUBMITTED_BY } from '#app/exams/labels.ts'
import { examResults } from '#app/exams/results.server.ts'
import { PERSON_CATEGORIES } from '#app/people/labels.ts'
import { db } from '#app/utils/db.server.ts'

// GET /exams/:examId/export: the results page as an .xlsx (the same people, the same scope).

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { scope } = await requireExamScope(request)
	const found = await examResults(db, scope, params.examId!)
	if (!found) throw notFound()
	const workbook = new ExcelJS.Workbook()
	const sheet = workbook.addWorksheet('考试成绩')
	sheet.columns = [
		{ header: '姓名', width: 10 },
		{ header: '单位', width: 24 },
		{ header: '人员类别', width: 14 },
		{ header: '状态', width: 8 },
		{ header: '成绩', width: 8 },
		{ header: '满分', width: 8 },
		{ header: '是否合格', width: 10 },
		{ header: '用时（秒）', width: 10 },
		{ header: '切屏次数', width: 10 },
		{ header: '交卷方式', width: 18 },
		{ header: '考试次数', width: 10 },
		{ header: '开始时间', width: 18 },
		{ header: '交卷时间', width: 18 },
	]
	sheet.getRow(1).font = { bold: true }
	for (const r of found.rows) {
		sheet.addRow([
			r.name,
			r.orgName,
			PERSON_CATEGORIES[r.category],
			RESULT_STATUS[r.status],
			r.score,
			r.maxScore,
			r.status === 'submitted' || r.passed ? (r.passed ? '合格' : '不合格') : '',
			r.seconds,
			r.switchCount,
			r.submittedBy ? SUBMITTED_BY[r.submittedBy] : '',
			r.attemptsUsed,
			r.startedAt ? formatChinaTime(r.startedAt) : '',
			r.submittedAt ? formatChinaTime(r.submittedAt) : '',
		])
	}
	const buffer = await workbook.xlsx.writeBuffer()
	const date = new Date().toISOString().slice(0, 10).replaceAll('-', '')
	return new Response(new Uint8Array(buffer as ArrayBuffer), {
		headers: {
			'Content-Type': XLSX_TYPE,
			'Content-Disposition': attachment(`${found.exam.title}-成绩-${date}.xlsx`, `exam-results-${date}.xlsx`),
			'Cache-Control': 'private, no-store',
		},
	})
}
