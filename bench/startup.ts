// Issue 5's figures: the JavaScript and CSS a new worker's phone loads from the login screen to the
// home page (gzipped, per chunk), and an installed app's cold start offline to the household list
// with 2,000 households on the phone.
import { readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { launchBrowser, startServer } from '../tests/e2e/support'
import { median } from './stats'

const ROOT = resolve(import.meta.dirname, '..')

export interface StartupFigures {
  chunks: Array<{ file: string; raw: number; gzip: number }>
  totalGzip: number
  coldStarts: number[]
  households: number
}

export async function benchStartup(runs = 5): Promise<StartupFigures> {
  const server = await startServer({ ZOUFANG_DEMO_HOUSEHOLDS: '2000' })
  let browser = await launchBrowser()
  const profile = browser.profile
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage())
    // What a new worker's phone loads from /assets/ on the way in: a fresh profile opens the app,
    // meets the login screen, logs in, and the home page shows. Every JS and CSS file the page
    // asks for until then counts (requests, so one still loading when home shows counts too);
    // the service worker's precache is its own traffic and is not the page's.
    const assets = new Set<string>()
    let counting = true
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname
      if (counting && path.startsWith('/assets/') && /\.(js|css)$/.test(path)) assets.add(path)
    })
    await page.goto(server.url)
    await page.waitForURL(/\/login/)
    await page.fill('input[name=username]', 'grid01')
    await page.fill('input[name=password]', 'zoufang')
    await page.click('button[type=submit]')
    await page.getByTestId('grid-card').first().waitFor()
    counting = false
    const chunks = [...assets].map((p) => {
      const bytes = readFileSync(join(ROOT, 'dist', p))
      return { file: p.replace('/assets/', ''), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
    })
    // Now the secretary, who holds the whole 2,000-household community, logs in on the same phone.
    await page.goto(`${server.url}/settings`)
    page.once('dialog', (d) => void d.accept())
    await page.locator('[data-action=logout]').click()
    await page.waitForURL(/\/login/)
    await page.fill('input[name=username]', 'secretary')
    await page.fill('input[name=password]', 'zoufang')
    await page.click('button[type=submit]')
    await page.getByTestId('grid-card').first().waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=grid-card]').length === 13)
    await page.goto(`${server.url}/households`)
    const shown = () => Number((document.querySelector('[data-testid=household-count]')?.textContent ?? '').replace(/\D/g, '')) >= 1900
    await page.waitForFunction(shown, undefined, { timeout: 120_000 })
    const households = Number((await page.getByTestId('household-count').textContent())?.replace(/\D/g, ''))
    // Installed: a new phone installs the service worker once its first sync is over
    // (src/app/pwa.ts); the cold start below is of an app that has it.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 })
    await browser.context.close()

    // Cold starts: the browser restarted on the same profile, the network off, straight to the list.
    const coldStarts: number[] = []
    for (let i = 0; i < runs; i++) {
      browser = await launchBrowser(profile, { offline: true })
      const p = browser.context.pages()[0] ?? (await browser.context.newPage())
      const t0 = Date.now()
      await p.goto(`${server.url}/households`)
      await p.waitForFunction(() => document.querySelectorAll('[data-testid=household-row]').length > 0 && Number((document.querySelector('[data-testid=household-count]')?.textContent ?? '').replace(/\D/g, '')) >= 1900, undefined, { timeout: 30_000 })
      coldStarts.push(Date.now() - t0)
      await browser.context.close()
    }
    return { chunks, totalGzip: chunks.reduce((s, c) => s + c.gzip, 0), coldStarts, households }
  } finally {
    await browser.close().catch(() => undefined)
    rmSync(profile, { recursive: true, force: true })
    await server.stop()
  }
}

export function printStartup(f: StartupFigures, line: (name: string, value: string, goal: string) => void): void {
  const js = f.chunks.filter((c) => c.file.endsWith('.js'))
  const jsGzip = js.reduce((s, c) => s + c.gzip, 0)
  line(`New worker, login screen → home: JS + CSS, ${f.chunks.length} files, gzipped`, `${(f.totalGzip / 1024).toFixed(1)} KB`, `goal ≤ 120 KB (JS alone ${(jsGzip / 1024).toFixed(1)} KB in ${js.length} chunks)`)
  for (const c of [...f.chunks].sort((a, b) => b.gzip - a.gzip)) line(`  ${c.file}`, `${(c.gzip / 1024).toFixed(1)} KB`, `(${(c.raw / 1024).toFixed(1)} KB raw)`)
  line(`Cold start offline → household list (${f.households} households), median of ${f.coldStarts.length}`, `${median(f.coldStarts)} ms`, `goal ≤ 1 s (runs ${f.coldStarts.join(', ')} ms)`)
}
