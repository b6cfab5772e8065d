// Draws public/og-image.png, the 1200×630 picture link previews show (WeChat, QQ, Weibo): the
// site's name and one line on its blue, by screenshotting a small page in Debian's Chromium. The
// font is Noto Sans SC from the npm package the PDFs use, so no system Chinese font is needed.
// Flat colours keep the PNG small. Run: npx tsx scripts/og-image.ts
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { SITE_NAME } from '#app/utils/meta.ts'

const OUT = path.resolve('public/og-image.png')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FONT = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')
// The page and its font are answered by the script itself: nothing is fetched from the network.
const ORIGIN = 'https://og-image.invalid'

// Colours of app/styles.css: --blue, --blue-dark and the focus ring's amber.
const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><style>
	@font-face { font-family: 'Noto Sans SC'; src: url(/noto-sans-sc-bold.ttf); font-weight: bold; }
	html, body { margin: 0; width: 1200px; height: 630px; }
	body { background: #0b5cad; color: #fff; font-family: 'Noto Sans SC', sans-serif; font-weight: bold;
		display: flex; flex-direction: column; justify-content: center; padding: 0 96px; box-sizing: border-box; }
	svg { width: 120px; height: 120px; margin-bottom: 40px; }
	h1 { font-size: 72px; line-height: 1.2; margin: 0; letter-spacing: 2px; }
	.bar { width: 160px; height: 12px; background: #ffbf47; margin: 36px 0; }
	p { font-size: 40px; margin: 0; }
	footer { position: absolute; left: 0; right: 0; bottom: 0; height: 56px; background: #08467f; }
</style></head><body>
	<svg viewBox="0 0 32 32" aria-hidden="true"><path d="M16 3l11 5v7c0 7-5 12-11 14C10 27 5 22 5 15V8z" fill="#fff"/><path d="M11 16l4 4 6-7" stroke="#0b5cad" stroke-width="3" fill="none"/></svg>
	<h1>${SITE_NAME}</h1>
	<div class="bar"></div>
	<p>学知识 · 考上岗 · 看案例 · 查证书</p>
	<footer></footer>
</body></html>`

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--font-render-hinting=none', '--disable-lcd-text'] })
try {
	const page = await browser.newPage({ viewport: { width: 1200, height: 630 }, deviceScaleFactor: 1 })
	const font = await fs.readFile(FONT)
	await page.route(`${ORIGIN}/**`, (route) =>
		route.request().url().endsWith('.ttf') ? route.fulfill({ body: font, contentType: 'font/ttf' }) : route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }),
	)
	await page.goto(`${ORIGIN}/`)
	await page.evaluate(() => document.fonts.ready)
	await page.screenshot({ path: OUT, type: 'png' })
} finally {
	await browser.close()
}
const { size } = await fs.stat(OUT)
console.log(JSON.stringify({ file: path.relative(process.cwd(), OUT), bytes: size }))
