// Benchmark: certificate PDF generation (A4 landscape, Noto Sans SC embedded as a subset, QR
// code) — the cold first one, then warm ones, and their size; and the serial signature check
// that the public verification page runs before any look-up. No database is involved.
// Usage: npx tsx scripts/bench-certificate.ts [count=50]
import { performance } from 'node:perf_hooks'
import { renderCertificatePdf, type PrintedCertificate } from '#app/certificates/pdf.server.ts'
import { newSerial, verifySerial } from '#app/certificates/serial.ts'
import { percentiles } from './bench-support.ts'

const count = Number(process.argv[2] ?? 50)
const KEY = 'bench-certificate-key-000000000000000000000'
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
const GIVEN = '建国志强海涛立新丽华大山小龙秀英桂兰明辉永刚春梅德胜玉珍'

/** Every certificate a little different (name, serial), as in real use: each gets its own font subset. */
function certificate(i: number): PrintedCertificate {
	const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 11 + 3) % GIVEN.length]}`
	return {
		serial: newSerial(KEY, 2026),
		title: '岗前安全培训合格证',
		holderName: name,
		holderIdMasked: `1427**********${String(1000 + i).slice(-4)}`,
		jobTypeNames: ['煤矿井下作业人员'],
		orgName: '示范煤业有限公司',
		examTitle: '煤矿井下作业人员岗前安全培训考试',
		score: 80 + (i % 21),
		maxScore: 100,
		issuedOn: '2026-09-01',
		expiresOn: '2027-09-01',
	}
}

const url = (c: PrintedCertificate) => `https://anquan.example.cn/verify/${c.serial}`

let t = performance.now()
const first = certificate(0)
const coldPdf = await renderCertificatePdf(first, url(first))
const cold = performance.now() - t

const times: number[] = []
const sizes: number[] = []
for (let i = 1; i <= count; i++) {
	const c = certificate(i)
	t = performance.now()
	const pdf = await renderCertificatePdf(c, url(c))
	times.push(performance.now() - t)
	sizes.push(pdf.length)
}
const warm = percentiles(times)

const serials = Array.from({ length: 10_000 }, () => newSerial(KEY, 2026))
t = performance.now()
for (const s of serials) if (!verifySerial(s, KEY)) throw new Error('a real serial failed')
const verifyMicros = ((performance.now() - t) * 1000) / serials.length

const kb = (n: number) => +(n / 1024).toFixed(1)
const results = {
	coldMs: +cold.toFixed(1),
	coldKb: kb(coldPdf.length),
	warmP50Ms: warm.p50,
	warmP95Ms: warm.p95,
	warmMaxMs: +Math.max(...times).toFixed(1),
	sizeMinKb: kb(Math.min(...sizes)),
	sizeMaxKb: kb(Math.max(...sizes)),
	verifySerialMicros: +verifyMicros.toFixed(1),
}
console.table(results)
console.log(JSON.stringify({ benchmark: 'certificate-pdf', count, node: process.version, ...results }))
