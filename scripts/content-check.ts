// Validates everything under content/ and prints one JSON line with the counts.
// Exit code 1 with a list of problems when anything is wrong.
import { checkContent } from '#app/content/check.server.ts'

const { problems, counts } = await checkContent()
if (problems.length) {
	console.error(`content/ 有 ${problems.length} 个问题：`)
	for (const p of problems) console.error(`  - ${p}`)
}
console.log(JSON.stringify(counts))
process.exit(problems.length ? 1 : 0)
