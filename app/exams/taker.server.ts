import { getUser, requireUser } from '#app/auth/auth.server.ts'
import { quizPassHolder } from '#app/oversight/quiz-pass.server.ts'

// Who is taking an exam: the signed-in person, or — for that one exam only — the holder of a
// 逢查必考 quiz pass (a worker matched against the roster on site, with no account; see
// app/oversight/quiz-pass.ts). Every exam-taking route asks here, and nowhere else.

type Target = { examId: string | undefined } | { attemptId: string | undefined }

/** For pages: the taker, or a redirect to sign in. */
export async function requireExamTaker(request: Request, target: Target) {
	return (await quizPassHolder(request, target)) ?? (await requireUser(request))
}

/** For the page script's endpoints: the taker, or null (they answer 401 themselves). */
export async function examTaker(request: Request, target: Target) {
	return (await quizPassHolder(request, target)) ?? (await getUser(request))
}
