import { forbidden, notFound, requireContentScope } from '#app/auth/auth.server.ts'
import { courseForEditor } from './editor.server.ts'
import { isUuid } from '#app/utils/ids.ts'

/** A course the editor may see (404 otherwise), and with `edit`, change (403 otherwise). */
export async function requireCourseForEditor(request: Request, courseId: string, { edit = false } = {}) {
	const scope = await requireContentScope(request)
	if (!isUuid(courseId)) throw notFound()
	const found = await courseForEditor(scope, courseId)
	if (!found) throw notFound()
	if (edit && !found.editable) throw forbidden('平台内置课程随内容文件维护，不能在此修改')
	return { scope, ...found }
}
