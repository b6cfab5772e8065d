import type { ImportIssue } from '#app/bank/import.ts'

/** The problems found in an uploaded spreadsheet, row by row, as the import pages show them. */
export function ImportIssueTable({ issues, caption }: { issues: ImportIssue[]; caption: string }) {
	return (
		<div className="table-scroll">
			<table className="data">
				<caption className="muted">{caption}</caption>
				<thead>
					<tr>
						<th scope="col">行</th>
						<th scope="col">列</th>
						<th scope="col">问题</th>
					</tr>
				</thead>
				<tbody>
					{issues.map((issue, i) => (
						<tr key={i}>
							<td>{issue.row}</td>
							<td>{issue.column}</td>
							<td style={{ whiteSpace: 'normal' }}>{issue.message}</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	)
}
