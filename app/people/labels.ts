// Chinese labels for the people enums; one place, shared by forms, tables and exports.

export const PERSON_CATEGORIES = {
	principal: '主要负责人',
	safety_manager: '安全管理人员',
	special_operator: '特种作业人员',
	general: '一般从业人员',
	party_leader: '党政领导干部',
} as const
export type PersonCategory = keyof typeof PERSON_CATEGORIES

export const EMPLOYMENT_TYPES = {
	formal: '正式',
	dispatched: '劳务派遣',
	outsourced: '外包',
	flexible: '灵活用工',
} as const
export type EmploymentType = keyof typeof EMPLOYMENT_TYPES

export const ORG_KINDS = {
	county: '县',
	township: '乡镇/街道',
	enterprise: '企业',
	village: '村',
	community: '社区',
	department: '政府部门',
} as const
export type OrgKind = keyof typeof ORG_KINDS

export const ROLE_NAMES = {
	system_admin: '系统管理员',
	regulator: '安委办/监管人员',
	enterprise_admin: '企业安全管理员',
	content_editor: '内容编辑',
	worker: '从业人员',
} as const
export type RoleName = Exclude<keyof typeof ROLE_NAMES, 'worker'>

export const keysOf = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]]
