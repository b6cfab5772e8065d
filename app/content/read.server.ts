import fs from 'node:fs/promises'
import path from 'node:path'
import matter from 'gray-matter'
import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'
import { questionFileSchema, type QuestionFile } from '#app/bank/question-file.ts'
import { courseFrontMatterSchema, lessonFrontMatterSchema, type CourseFrontMatter, type LessonFrontMatter } from '#app/courses/course-file.ts'

// Reading the shipped content files. Files that do not parse are reported, not thrown, so the
// content check can list every problem at once.

export type ShippedLesson = { file: string; frontMatter: LessonFrontMatter; body: string }
export type ShippedCourse = { dir: string; frontMatter: CourseFrontMatter; intro: string; lessons: ShippedLesson[] }

const describe = (error: z.ZodError) => error.issues.slice(0, 5).map((i) => `${i.path.join('.')} ${i.message}`).join('；')

async function markdownFiles(dir: string) {
	return (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.md')).sort()
}

export async function readShippedCourses(contentDir: string) {
	const problems: string[] = []
	const courses: ShippedCourse[] = []
	const root = path.join(contentDir, 'courses')
	for (const dir of (await fs.readdir(root).catch(() => [] as string[])).sort()) {
		const raw = await fs.readFile(path.join(root, dir, 'course.md'), 'utf8').catch(() => null)
		if (raw === null) {
			problems.push(`courses/${dir}：缺少 course.md`)
			continue
		}
		const parsed = matter(raw)
		const frontMatter = courseFrontMatterSchema.safeParse(parsed.data)
		if (!frontMatter.success) {
			problems.push(`courses/${dir}/course.md：${describe(frontMatter.error)}`)
			continue
		}
		const lessons: ShippedLesson[] = []
		for (const file of (await markdownFiles(path.join(root, dir))).filter((f) => f !== 'course.md')) {
			const lesson = matter(await fs.readFile(path.join(root, dir, file), 'utf8'))
			const lfm = lessonFrontMatterSchema.safeParse(lesson.data)
			if (!lfm.success) problems.push(`courses/${dir}/${file}：${describe(lfm.error)}`)
			else lessons.push({ file, frontMatter: lfm.data, body: lesson.content.trim() })
		}
		courses.push({ dir, frontMatter: frontMatter.data, intro: parsed.content.trim(), lessons })
	}
	return { courses, problems }
}

export async function readShippedQuestions(contentDir: string) {
	const problems: string[] = []
	const files: { file: string; data: QuestionFile }[] = []
	const root = path.join(contentDir, 'questions')
	const names = (await fs.readdir(root).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml')).sort()
	for (const file of names) {
		const parsed = questionFileSchema.safeParse(parseYaml(await fs.readFile(path.join(root, file), 'utf8')))
		if (!parsed.success) problems.push(`questions/${file}：${describe(parsed.error)}`)
		else files.push({ file, data: parsed.data })
	}
	return { files, problems }
}
