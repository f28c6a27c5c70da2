import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { expect } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..', '..')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// Flags that work headless as root on this kind of machine (see shared/docs/tooling.md).
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => res(port))
    })
    srv.on('error', rej)
  })
}

export interface RunningServer {
  url: string
  dataDir: string
  dbFile: string
  output: () => string
  stop(): Promise<void>
}

/** Runs what `npm start` runs (the same entry point) on a free port with a fresh data directory. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'zoufang-e2e-'))
  let out = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ZOUFANG_DATA: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 240_000 // a clean checkout builds the PWA first
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${out}`)
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.ok) break
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`)
    await new Promise((r) => setTimeout(r, 250))
  }
  return {
    url,
    dataDir,
    dbFile: join(dataDir, 'zoufang.sqlite'),
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A persistent profile, as an installed PWA has: survives reloads and browser restarts. Pass the
 *  profile folder of an earlier launch to restart "the same phone"; `close()` removes the folder
 *  only if this launch made it. */
export async function launchBrowser(
  profileDir?: string,
  opts: { offline?: boolean } = {},
): Promise<{ context: BrowserContext; profile: string; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`)
  const profile = profileDir ?? mkdtempSync(join(tmpdir(), 'zoufang-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 412, height: 860 },
    offline: opts.offline ?? false,
  })
  // The server's Content-Security-Policy must not break the app: every violation Chromium
  // reports (a blocked script, style, image or fetch) fails the test when the browser closes.
  const violations: string[] = []
  const watch = (page: Page) =>
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`)
    })
  context.pages().forEach(watch)
  context.on('page', watch)
  return {
    context,
    profile,
    async close() {
      await context.close().catch(() => undefined)
      if (!profileDir) rmSync(profile, { recursive: true, force: true })
      if (violations.length) throw new Error(`Content-Security-Policy violations:\n${violations.join('\n')}`)
    },
  }
}

/** Logs in from the login page and waits until the first sync has put the grid cell on the device. */
export async function loginAs(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url)
  await page.waitForURL(/\/login/)
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', 'zoufang')
  await page.click('button[type=submit]')
  await page.getByTestId('grid-card').first().waitFor()
  await expect.poll(async () => Number(await page.getByTestId('grid-households').first().textContent()), { timeout: 60_000 }).toBeGreaterThan(0)
}
