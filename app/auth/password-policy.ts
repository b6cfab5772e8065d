// Password rules shown to people (and checked on the server) when they set a password.

export const PASSWORD_MIN_LENGTH = 8

export function passwordProblem(password: string, context: { phone?: string } = {}): string | null {
	if (password.length < PASSWORD_MIN_LENGTH) return `密码至少 ${PASSWORD_MIN_LENGTH} 位`
	if (password.length > 128) return '密码不能超过 128 位'
	if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字'
	if (context.phone && password.includes(context.phone)) return '密码不能包含手机号'
	if (/^(.)\1+$/.test(password) || /^(?:12345678|password1|abc12345|qwerty12)/i.test(password))
		return '密码过于简单，请换一个'
	return null
}
