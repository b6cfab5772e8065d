import type { QuestionInput } from './question.ts'

// The example rows of the import template: one question of each type.

export const TEMPLATE_EXAMPLES: QuestionInput[] = [
	{
		type: 'single',
		stem: '根据《安全生产法》，生产经营单位的从业人员有权了解其作业场所和工作岗位存在的危险因素、防范措施及（　）。',
		options: ['事故应急措施', '企业经营状况', '企业工资总额', '设备采购价格'],
		answer: 'A',
		explanation:
			'《安全生产法》第五十三条规定：生产经营单位的从业人员有权了解其作业场所和工作岗位存在的危险因素、防范措施及事故应急措施，有权对本单位的安全生产工作提出建议。',
		difficulty: 1,
		part: 'general',
		forAllJobTypes: true,
		jobTypes: [],
		topics: ['从业人员权利', '安全生产法'],
	},
	{
		type: 'multiple',
		stem: '发生火灾需要疏散时，下列做法正确的有（　）。',
		options: ['拨打 119 报警，说清起火地点和燃烧物', '用湿毛巾捂住口鼻，弯腰低姿沿疏散指示方向撤离', '乘坐电梯尽快下楼', '返回室内取回贵重物品'],
		answer: 'AB',
		explanation:
			'发现火灾应立即报警并说清地点；烟气有毒且向上蔓延，应捂住口鼻、低姿沿安全出口指示撤离。火灾时电梯可能断电或成为烟囱，不得乘坐；撤离后不得返回火场取物。',
		difficulty: 2,
		part: 'general',
		forAllJobTypes: true,
		jobTypes: [],
		topics: ['火灾逃生', '应急处置'],
	},
	{
		type: 'judge',
		stem: '进入有限空间作业前，应当先通风、再检测，检测合格后方可作业。',
		options: [],
		answer: true,
		explanation: '有限空间作业必须严格执行“先通风、再检测、后作业”，未经通风和检测合格，严禁作业人员进入有限空间。',
		difficulty: 1,
		part: 'professional',
		forAllJobTypes: false,
		jobTypes: ['confined_space'],
		topics: ['有限空间', '作业许可'],
	},
]
