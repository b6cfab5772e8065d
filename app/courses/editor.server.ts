import { randomUUID } from 'node:crypto'
import { and, asc, count, eq, inArray, isNull, max, or } from 'drizzle-orm'
import type { z } from 'zod'
import { courseJobTypes, courses, lessons } from '#db/schema.ts'
import { canEditContent, type ContentScope } from '#app/auth/auth.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { db } from '#app/utils/db.server.ts'
import type { courseFormSchema, lessonFormSchema } from './course-form.ts'

type CourseForm = z.infer<typeof courseFormSchema>
type LessonForm = z.infer<typeof lessonFormSchema>

function visibleCourses(scope: ContentScope) {
	if (scope.platform) return undefined
	return or(isNull(courses.ownerOrgId), inArray(courses.ownerOrgId, scope.ownOrgIds.length ? scope.ownOrgIds : ['00000000-0000-0000-0000-000000000000']))
}

export async function listCoursesForEditor(scope: ContentScope) {
	const rows = await db
		.select({ id: courses.id, title: courses.title, part: courses.part, code: courses.code, ownerOrgId: courses.ownerOrgId, published: courses.published, lessons: count(lessons.id) })
		.from(courses)
		.leftJoin(lessons, eq(lessons.courseId, courses.id))
		.where(visibleCourses(scope))
		.groupBy(courses.id)
		.orderBy(asc(courses.part), asc(courses.title))
	return rows.map((r) => ({ ...r, editable: isEditable(scope, r) }))
}

/** Shipped courses are maintained in content/ files (the loader would undo browser edits). */
const isEditable = (scope: ContentScope, course: { code: string | null; ownerOrgId: string | null }) => course.code === null && canEditContent(scope, course.ownerOrgId)

export async function courseForEditor(scope: ContentScope, courseId: string) {
	const [course] = await db.select().from(courses).where(and(eq(courses.id, courseId), visibleCourses(scope)))
	if (!course) return null
	const jobs = await db.select({ code: courseJobTypes.jobTypeCode }).from(courseJobTypes).where(eq(courseJobTypes.courseId, courseId))
	const lessonRows = await db.select().from(lessons).where(eq(lessons.courseId, courseId)).orderBy(asc(lessons.position))
	return { course, jobTypes: jobs.map((j) => j.code), lessons: lessonRows, editable: isEditable(scope, course) }
}

export async function saveCourse(scope: ContentScope, input: CourseForm, courseId?: string) {
	return db.transaction(async (tx) => {
		const id = courseId ?? randomUUID()
		const fields = {
			title: input.title,
			part: input.part,
			description: input.description,
			forAllJobTypes: Boolean(input.forAllJobTypes),
			published: Boolean(input.published),
			updatedAt: new Date(),
		}
		if (courseId) await tx.update(courses).set(fields).where(eq(courses.id, id))
		else await tx.insert(courses).values({ id, ownerOrgId: scope.ownerOrgId, ...fields })
		await tx.delete(courseJobTypes).where(eq(courseJobTypes.courseId, id))
		if (!input.forAllJobTypes && input.jobTypes.length) await tx.insert(courseJobTypes).values([...new Set(input.jobTypes)].map((jobTypeCode) => ({ courseId: id, jobTypeCode })))
		await writeAudit(tx, { actorId: scope.user.id, action: courseId ? 'course.update' : 'course.create', targetType: 'course', targetId: id, orgId: scope.ownerOrgId })
		return id
	})
}

export async function saveLesson(scope: ContentScope, courseId: string, input: LessonForm, lessonId?: string) {
	return db.transaction(async (tx) => {
		const id = lessonId ?? randomUUID()
		if (lessonId) {
			await tx.update(lessons).set({ ...input, updatedAt: new Date() }).where(and(eq(lessons.id, id), eq(lessons.courseId, courseId)))
		} else {
			const [last] = await tx.select({ n: max(lessons.position) }).from(lessons).where(eq(lessons.courseId, courseId))
			await tx.insert(lessons).values({ id, courseId, position: (last?.n ?? -1) + 1, ...input })
		}
		await writeAudit(tx, { actorId: scope.user.id, action: lessonId ? 'lesson.update' : 'lesson.create', targetType: 'lesson', targetId: id, orgId: scope.ownerOrgId, detail: { courseId } })
		return id
	})
}
