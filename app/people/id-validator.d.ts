declare module 'id-validator' {
	interface IdInfo {
		addrCode: number
		addr: string | false
		birth: string
		sex: 0 | 1
		checkBit: string
		length: 15 | 18
	}
	export default class IDValidator {
		constructor(gb2260?: unknown)
		isValid(id: string): boolean
		getInfo(id: string): IdInfo | false
		makeID(is15?: boolean): string
	}
}
