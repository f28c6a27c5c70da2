// Issue 11's figures: a new phone's first sync the way its user meets it. The built app (what
// `npm start` serves from dist/) in a fresh Chromium profile: open it, type the demo login on the
// login page, click 登录, and time from the click until the status bar says the first sync is
// over — beside a plain Dexie bulkPut of the same records (the floor any sync engine stands on),
// on desktop speed, on an emulated cheap phone on a slow network, and for the secretary of a
// 10,000-household community. Figures only, never pass/fail.
// Alone: `node --import tsx bench/firstSync.ts`. BENCH_RUNS (5; the phone gets at most 3),
// BENCH_SECRETARY=0 skips the 10k part (minutes), BENCH_SECRETARY_RUNS (1).
import { rmSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { CDPSession, Page, Request } from 'playwright-core'
import { RECORD_TABLES } from '../src/app/db/database'
import { launchBrowser, startServer, type RunningServer } from '../tests/e2e/support'
import { buildBenchPage, openBenchPage } from './benchPage'
import { fmt, median } from './stats'

type Line = (name: string, value: string, goal: string) => void

/** What one login → synced run saw. Times in ms, bytes as received (headers included). */
interface Met {
  ms: number
  /** Navigation start → the login form can be used (see `instrument`). */
  tti: number
  /** Records in IndexedDB at the moment the status bar said synced. */
  records: number
  apiBytes: number
  allBytes: number
  /** What the service worker fetched meanwhile (its precache): not the page's, same link. */
  swBytes: number
  /** Time with at least one /api/sync/pull request in flight (the next page is asked for while
   *  one is still coming: overlaps count once). */
  pullMs: number
  /** The tap on 登录 → the login answer's last byte: the server's password check (scrypt) and a
   *  round trip, which no floor of writes has. */
  loginMs: number
  floor?: { ms: number; packedMs: number; engineMs: number; records: number; pages: number }
}

/** A cheap Android phone on a poor mobile link (issue 11): 150 ms, 1.6 Mbit/s down, 750 kbit/s up, CPU ÷4. */
const PHONE_NETWORK = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 }
const PHONE_CPU = 4

type Probe = { clickAt: number | null; syncedAt: number | null; readyAt: number | null; records: number | null; loginAt: number | null }

/** Runs in the page before any of its scripts, on every navigation. Notes, on the page's own
 *  clock (performance.now(), 0 = navigation start):
 *  - readyAt, the login screen's time to interactive: the first animation frame in which the
 *    username input is rendered, visible and enabled, and the submit button is enabled and is
 *    what a tap at its centre hits (nothing over it). The app renders on the client, so the form
 *    being in the DOM means Vue has mounted it with its handlers;
 *  - clickAt, the trusted click on the submit button (the event's own timestamp);
 *  - syncedAt, the first moment the status bar says data-synced="yes" with phase idle, and then
 *    the records in IndexedDB at that moment (a read transaction opened right then sees every
 *    page committed before it and none after). */
function instrument(tables: string[]) {
  const probe: Probe = { clickAt: null, syncedAt: null, readyAt: null, records: null, loginAt: null }
  ;(window as unknown as { __firstSync: Probe }).__firstSync = probe
  const formReady = () => {
    const user = document.querySelector<HTMLInputElement>('input[name=username]')
    const submit = document.querySelector<HTMLButtonElement>('button[type=submit]')
    if (!user || !submit || user.disabled || submit.disabled || !user.checkVisibility() || !submit.checkVisibility()) return false
    const r = submit.getBoundingClientRect()
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
    return !!hit && submit.contains(hit)
  }
  const frame = () => {
    if (formReady()) probe.readyAt = performance.now()
    else requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
  addEventListener('click', (e) => {
    if (probe.clickAt === null && (e.target as Element | null)?.closest?.('button[type=submit]')) probe.clickAt = e.timeStamp
  }, true)
  const countRecords = () => {
    const open = indexedDB.open('zoufang')
    open.onsuccess = () => {
      const idb = open.result
      const tx = idb.transaction(tables.filter((t) => idb.objectStoreNames.contains(t)), 'readonly')
      // Visits and residents are packed per household (src/app/db/packs.ts): count those inside.
      const packed: Record<string, string> = { visitPacks: 'visits', residentPacks: 'residents' }
      const names = [...tx.objectStoreNames]
      const counts = names.filter((t) => !(t in packed)).map((t) => tx.objectStore(t).count())
      const packs = names.filter((t) => t in packed).map((t) => ({ field: packed[t]!, req: tx.objectStore(t).getAll() }))
      tx.oncomplete = () => {
        const inPacks = packs.reduce((s, { field, req }) => s + (req.result as Array<Record<string, unknown[]>>).reduce((n, p) => n + p[field]!.length, 0), 0)
        probe.records = counts.reduce((s, c) => s + (c.result as number), 0) + inPacks
        idb.close()
      }
    }
  }
  new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-testid=sync-bar][data-synced=yes][data-phase=idle]')) return
    probe.syncedAt = performance.now()
    const login = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/auth/login')) as PerformanceResourceTiming | undefined
    probe.loginAt = login?.responseEnd ?? null
    observer.disconnect()
    countRecords()
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-synced', 'data-phase'] })
}

/** The length of the union of [start, end] intervals. */
function inFlight(intervals: Array<[number, number]>): number {
  let total = 0
  let reach = -Infinity
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (end <= reach) continue
    total += end - Math.max(start, reach)
    reach = end
  }
  return total
}

/** Bytes received per request (CDP loadingFinished.encodedDataLength), and pull time in flight. */
async function watchNetwork(cdp: CDPSession) {
  const urls = new Map<string, { url: string; start: number }>()
  const totals = { apiBytes: 0, allBytes: 0, pullMs: 0 }
  const pulls: Array<[number, number]> = []
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, { url: e.request.url, start: e.timestamp }))
  cdp.on('Network.loadingFinished', (e) => {
    const req = urls.get(e.requestId)
    totals.allBytes += e.encodedDataLength
    if (!req) return
    const path = new URL(req.url).pathname
    if (path.startsWith('/api/')) totals.apiBytes += e.encodedDataLength
    if (path !== '/api/sync/pull') return
    pulls.push([req.start, e.timestamp])
    totals.pullMs = inFlight(pulls) * 1000
  })
  await cdp.send('Network.enable')
  return totals
}

/** One new phone: fresh profile, login page, login as `username`, until synced. With `benchDir`,
 *  then the bulkPut floor of the same records in the same browser. */
async function meet(server: RunningServer, username: string, opts: { phone?: boolean; benchDir?: string; timeoutMs?: number; typed?: boolean } = {}): Promise<Met> {
  const browser = await launchBrowser()
  try {
    const { context } = browser
    const page: Page = context.pages()[0] ?? (await context.newPage())
    // As source text: tsx (esbuild's keepNames) wraps named functions in __name(), which the page lacks.
    await context.addInitScript({ content: `var __name = (f) => f; (${instrument.toString()})(${JSON.stringify(RECORD_TABLES)})` })
    const cdp = await context.newCDPSession(page)
    const net = await watchNetwork(cdp)
    // The service worker's requests are not the page's: Playwright reports them on the context.
    let swBytes = 0
    const sizes: Promise<void>[] = []
    const onFinished = (r: Request) => {
      if (r.serviceWorker()) sizes.push(r.sizes().then((s) => void (swBytes += s.responseBodySize + s.responseHeadersSize), () => undefined))
    }
    context.on('requestfinished', onFinished)
    // Chromium emulates the link per DevTools target: the service worker's precache runs
    // unthrottled beside the page (on a real phone it shares the link), so its bytes are said apart.
    if (opts.phone) {
      await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE_CPU })
    }
    await page.goto(server.url)
    await page.waitForURL(/\/login/)
    // `typed`: the worker taps 登录 after typing, by when the login screen has finished loading
    // (no request of the page for half a second). Without it the tap comes the moment the form
    // can be used, while the app is still loading around it: the harder case.
    if (opts.typed) await page.waitForLoadState('networkidle')
    await page.fill('input[name=username]', username)
    await page.fill('input[name=password]', 'zoufang')
    await page.click('button[type=submit]')
    await page
      .waitForFunction(() => (window as unknown as { __firstSync: Probe }).__firstSync.records !== null, undefined, { timeout: opts.timeoutMs ?? 120_000, polling: 100 })
      .catch(async (err: Error) => {
        const state = await page.evaluate(() => ({ probe: (window as unknown as { __firstSync?: Probe }).__firstSync, bar: document.querySelector('[data-testid=sync-bar]')?.outerHTML.slice(0, 300) ?? null, url: location.href }))
        throw new Error(`${username} never synced: ${JSON.stringify(state)}\n${err.message}`)
      })
    // What came over the wire until synced (give or take the 100 ms poll): what the home page or a
    // later pass fetches afterwards is not the first sync's.
    const met: Met = { ms: 0, tti: NaN, records: 0, loginMs: NaN, ...net, swBytes: 0 }
    context.off('requestfinished', onFinished)
    const p = await page.evaluate(() => (window as unknown as { __firstSync: Probe }).__firstSync)
    Object.assign(met, { ms: p.syncedAt! - p.clickAt!, tti: p.readyAt ?? NaN, records: p.records!, loginMs: p.loginAt === null ? NaN : p.loginAt - p.clickAt! })
    await Promise.all(sizes)
    met.swBytes = swBytes
    if (opts.benchDir) {
      await openBenchPage(page, server.url, opts.benchDir, cdp)
      met.floor = await page.evaluate((u) => (window as unknown as { bench: { bulkPutFloor(u: string): Promise<Met['floor']> } }).bench.bulkPutFloor(u), username)
    }
    return met
  } finally {
    await browser.close()
  }
}

const kb = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`)
const med = (runs: Met[], f: (m: Met) => number) => median(runs.map(f))

/** `expected`: the records the pull hands out (the floor re-pulls the same pages; the server is
 *  idle). The status bar must say synced only once every page is in IndexedDB, so the count
 *  taken at that moment must equal it. */
function printRuns(line: Line, label: string, runs: Met[], goal: string, expected?: number) {
  line(`${label} (${runs[0]!.records} records), median of ${runs.length}`, fmt(med(runs, (m) => m.ms)), goal)
  line('  each run', runs.map((m) => fmt(m.ms)).join(', '), '')
  line('  of which the login answer (password check, round trip)', fmt(med(runs, (m) => m.loginMs)), '')
  line('  of which a /api/sync/pull was in flight', fmt(med(runs, (m) => m.pullMs)), '')
  line('  bytes on the wire, /api/ responses', kb(med(runs, (m) => m.apiBytes)), '')
  line("  bytes on the wire, all the page's responses", kb(med(runs, (m) => m.allBytes)), `(+ ${kb(med(runs, (m) => m.swBytes))} the service worker precached meanwhile)`)
  const counts = [...new Set(runs.map((m) => m.records))]
  if (expected !== undefined && (counts.length > 1 || counts[0] !== expected))
    line('  ! records in IndexedDB at "synced" differ from the pull', counts.join(', '), `the pull holds ${expected}`)
}

function floorOf(runs: Met[]) {
  const floors = runs.filter((m) => m.floor).map((m) => m.floor!)
  return floors.length ? { ms: median(floors.map((f) => f.ms)), packedMs: median(floors.map((f) => f.packedMs)), engineMs: median(floors.map((f) => f.engineMs)), records: floors[0]!.records, pages: floors[0]!.pages } : null
}

function printFloor(line: Line, label: string, runs: Met[]) {
  const floor = floorOf(runs)
  if (!floor) return
  line(`${label}: Dexie bulkPut floor, same ${floor.records} records as rows, ${floor.pages} transactions`, fmt(floor.ms), '')
  line('  ratio Zoufang / floor', `${(med(runs, (m) => m.ms) / floor.ms).toFixed(2)}×`, 'goal ≤ 1.2×')
  line('  the same from the login answer on (the floor has no login)', `${(med(runs, (m) => m.ms - m.loginMs) / floor.ms).toFixed(2)}×`, '')
  line('  the floor with visits and residents packed per household, as the app keeps them', fmt(floor.packedMs), `(Zoufang / that: ${(med(runs, (m) => m.ms) / floor.packedMs).toFixed(1)}×)`)
  line("  the app's sync engine alone, the same answers handed over from memory", fmt(floor.engineMs), `(${(floor.engineMs / floor.packedMs).toFixed(1)}× the packed floor)`)
}

export async function benchFirstSync(opts: { runs: number; line: Line; benchDir: string; phoneRuns?: number; secretary?: boolean }): Promise<void> {
  const { runs, line, benchDir } = opts
  const server = await startServer({ ZOUFANG_LOG: '0' })
  try {
    const worker: Met[] = []
    for (let i = 0; i < runs; i++) worker.push(await meet(server, 'grid01', { benchDir }))
    printRuns(line, "Worker's first sync, login → synced, grid01", worker, 'goal ≤ 0.45 s', floorOf(worker)?.records)
    printFloor(line, 'grid01', worker)
    const typed: Met[] = []
    for (let i = 0; i < runs; i++) typed.push(await meet(server, 'grid01', { typed: true }))
    line(`  the same, tapped once the login screen has loaded, median of ${runs}`, fmt(med(typed, (m) => m.ms)), `goal ≤ 0.45 s (runs ${typed.map((m) => fmt(m.ms)).join(', ')})`)

    const phone: Met[] = []
    for (let i = 0; i < (opts.phoneRuns ?? Math.min(runs, 3)); i++) phone.push(await meet(server, 'grid01', { phone: true }))
    console.log(`\n  Phone: ${PHONE_NETWORK.latency} ms, ${(PHONE_NETWORK.downloadThroughput * 8) / 1e6} Mbit/s down, ${(PHONE_NETWORK.uploadThroughput * 8) / 1e3} kbit/s up, CPU ÷${PHONE_CPU}\n`)
    line(`Phone: login screen interactive, median of ${phone.length}`, fmt(med(phone, (m) => m.tti)), `(runs ${phone.map((m) => fmt(m.tti)).join(', ')})`)
    printRuns(line, 'Phone: login → synced, grid01', phone, 'goal ≤ 4 s', floorOf(worker)?.records)
  } finally {
    await server.stop()
  }
  if (opts.secretary === false) return

  // The secretary holds the whole community. Seeding 10,000 households takes a while: say how long.
  const started = Date.now()
  const big = await startServer({ ZOUFANG_LOG: '0', ZOUFANG_DEMO_HOUSEHOLDS: '10000' })
  try {
    const seeded = /演示社区已生成：.*? (\d+) 户.*\((\d+) ms\)/.exec(big.output())
    console.log(`\n  10,000-household demo: seeded in ${seeded ? fmt(Number(seeded[2])) : '?'} (server up after ${fmt(Date.now() - started)})\n`)
    const secretary: Met[] = []
    const n = Number(process.env.BENCH_SECRETARY_RUNS ?? 1)
    for (let i = 0; i < n; i++) secretary.push(await meet(big, 'secretary', { benchDir, timeoutMs: 600_000 }))
    printRuns(line, "Secretary's first sync, 10k households", secretary, 'goal ≤ 20 s', floorOf(secretary)?.records)
    printFloor(line, 'secretary', secretary)
  } finally {
    await big.stop()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const benchDir = await buildBenchPage()
  try {
    const line: Line = (name, value, goal) => console.log(`${name.padEnd(58)} ${value.padStart(10)}   ${goal}`)
    await benchFirstSync({ runs: Number(process.env.BENCH_RUNS ?? 5), line, benchDir, secretary: process.env.BENCH_SECRETARY !== '0' })
  } finally {
    rmSync(benchDir, { recursive: true, force: true })
  }
}
