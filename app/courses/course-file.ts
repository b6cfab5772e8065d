import { z } from 'zod'

// The shape of shipped courses: content/courses/<code>/course.md (front matter + introduction)
// and one markdown file per lesson, content/courses/<code>/NN-<slug>.md, in file-name order.

export const COURSE_PARTS = ['通用知识', '专业知识'] as const

export const courseFrontMatterSchema = z.object({
	code: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
	title: z.string().min(2),
	part: z.enum(COURSE_PARTS),
	/** Job-type codes, or "all" for every worker. */
	jobTypes: z.union([z.literal('all'), z.array(z.string()).min(1)]),
	/** Personnel categories the course is for (e.g. 主要负责人), when it is by role rather than job. */
	categories: z.array(z.enum(['principal', 'safety_manager', 'special_operator', 'general', 'party_leader'])).optional(),
	description: z.string().min(10),
})

export const lessonFrontMatterSchema = z.object({
	title: z.string().min(2),
	/** Minimum study time in minutes before the lesson can count as done. */
	minutes: z.number().int().min(1).max(120),
})

export type CourseFrontMatter = z.infer<typeof courseFrontMatterSchema>
export type LessonFrontMatter = z.infer<typeof lessonFrontMatterSchema>
