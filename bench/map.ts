// Map benchmarks in Chromium (prints figures, never pass/fail):
//   (a) the secretary's map ready — 13 grid cells with coverage + 10,000 household dots, no basemap;
//   (b) the points layer with 100,000 points: first draw, and the redraw after a pan.
// Run alone with `node --import tsx bench/map.ts`, or as part of `npm run bench` (bench/run.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import { CHROMIUM } from '../tests/e2e/support'
import { generateCommunity } from '../src/demo/generate'
import type { CoverageResponse, HouseholdState, HouseholdStatsResponse } from '../src/domain'
import { fmt, median } from './stats'

const ROOT = resolve(import.meta.dirname, '..')
const ORIGIN = 'http://zoufang.bench'
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' }
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

async function buildMapBenchPage(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'zoufang-mapbench-'))
  await build({
    root: join(ROOT, 'bench', 'browser'),
    base: '/',
    configFile: false,
    logLevel: 'warn',
    plugins: [vue()],
    define: { __APP_VERSION__: '"bench"' },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // One bundle on purpose (the page is the bench, not the app): no size warning for it.
      chunkSizeWarningLimit: 5000,
      rollupOptions: { input: join(ROOT, 'bench', 'browser', 'mapBench.ts'), output: { entryFileNames: 'mapBench.js' } },
    },
  })
  return outDir
}

function pageHtml(outDir: string): string {
  const css = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.css'))
  return `<!doctype html><html lang="zh-CN"><head><meta charset="UTF-8"><title>map bench</title>${css.map((f) => `<link rel="stylesheet" href="/assets/${f}">`).join('')}</head><body><script type="module" src="/mapBench.js"></script></body></html>`
}

type Line = (name: string, value: string, goal: string) => void
const defaultLine: Line = (name, value, goal) => console.log(`${name.padEnd(58)} ${value.padStart(10)}   ${goal}`)

/** Deterministic visit states and coverage for the generated community (the server's aggregates
 *  are benchmarked on their own; here they are only what the page draws). */
function aggregates(c: ReturnType<typeof generateCommunity>, from: string, to: string) {
  // Four in eight drawn as visited (ok and visited in the period), one each of the rest.
  const states: [HouseholdState, boolean][] = [['ok', true], ['ok', true], ['ok', true], ['ok', false], ['due', false], ['overdue', false], ['never', false], ['ok', true]]
  const households: HouseholdStatsResponse = {
    from,
    to,
    households: c.households.map((h, i) => {
      const [state, visited] = states[i % states.length]!
      return { id: h.id, gridId: h.gridId, state, dueDay: null, followUp: false, visited, lastCompletedAt: null, visitsInPeriod: i % 3, needed: i % 4 !== 0 }
    }),
  }
  const coverage: CoverageResponse = {
    from,
    to,
    grids: c.gridCells.map((g, i) => ({ gridId: g.id, households: 700, needed: 300, neededVisited: 300 - i * 20, coverage: (300 - i * 20) / 300, visitsInPeriod: 400, overdue: 20, never: 5 })),
  }
  return { '/api/stats/households': JSON.stringify(households), '/api/stats/coverage': JSON.stringify(coverage) }
}

export async function benchMap(opts: { runs?: number; line?: Line } = {}): Promise<void> {
  const runs = opts.runs ?? Number(process.env.BENCH_RUNS ?? 5)
  const line = opts.line ?? defaultLine
  const outDir = await buildMapBenchPage()
  const html = pageHtml(outDir)
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS })
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const page: Page = await context.newPage()
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname
      if (path === '/' || path === '/index.html') return route.fulfill({ body: html, contentType: 'text/html' })
      return route.fulfill({ body: readFileSync(join(outDir, path)), contentType: TYPES[extname(path)] ?? 'application/octet-stream' })
    })
    await page.goto(`${ORIGIN}/`)
    await page.waitForFunction(() => document.title === 'ready')

    // (a) The secretary's map on a 10,000-household community.
    const c = generateCommunity({ households: 10_000, visitMonths: 0 })
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
    const from = new Date(Date.parse(today) - 29 * 86_400_000).toISOString().slice(0, 10)
    const secretary = c.users.find((u) => u.role === 'secretary')!
    const { password: _pw, ...user } = secretary
    const placed = c.households.filter((h) => h.buildingId && c.buildings.find((b) => b.id === h.buildingId)?.location).length
    await page.evaluate((community) => (window as unknown as { mapBench: { seed(c: unknown): Promise<void> } }).mapBench.seed(community), {
      gridCells: c.gridCells,
      buildings: c.buildings,
      households: c.households,
      cases: c.cases.filter((k) => k.state !== 'closed'),
      responses: aggregates(c, from, today),
      user,
    })
    const ready: number[] = []
    let drawn = 0
    for (let i = 0; i < runs; i++) {
      const r = await page.evaluate((n) => (window as unknown as { mapBench: { secretaryReady(n: number): Promise<{ ms: number; drawn: number }> } }).mapBench.secretaryReady(n), placed)
      ready.push(r.ms)
      drawn = r.drawn
    }
    line(`Secretary map ready: ${c.gridCells.length} cells + ${placed.toLocaleString('en')} households (no basemap), median of ${runs}`, fmt(median(ready)), 'goal ≤ 1.5 s')
    line('  each run', ready.map((t) => fmt(t)).join(', '), `${drawn.toLocaleString('en')} dots in view`)

    // (b) The points layer alone, 100,000 points in view.
    const draws: { ms: number; drawMs: number; drawn: number }[] = []
    for (let i = 0; i < runs; i++)
      draws.push(await page.evaluate((seed) => (window as unknown as { mapBench: { pointsDraw(n: number, s: number): Promise<{ ms: number; drawMs: number; drawn: number }> } }).mapBench.pointsDraw(100_000, seed), i + 1))
    line(`100,000 points drawn (fresh layer, to next frame), median of ${runs}`, fmt(median(draws.map((d) => d.ms))), `goal ≤ 2 s (redraw itself ${fmt(median(draws.map((d) => d.drawMs)))})`)
    const pan = await page.evaluate(() => (window as unknown as { mapBench: { pans(n: number): Promise<{ redraw: number[]; frame: number[]; drawn: number }> } }).mapBench.pans(20))
    line(`Pan redraw, 100,000 points (${pan.drawn.toLocaleString('en')} in view), median of 20`, fmt(median(pan.redraw)), `goal ≤ 50 ms (to next frame ${fmt(median(pan.frame))})`)
  } finally {
    await browser.close()
    rmSync(outDir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`Zoufang map benchmarks — Chromium (headless), 1280×800\n`)
  await benchMap()
}
