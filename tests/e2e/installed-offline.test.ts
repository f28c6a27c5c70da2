import { rmSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, startServer, type RunningServer } from './support'

// The installed app on a phone: the browser's own installability check passes, and after one
// online visit the app opens with the server gone and the browser restarted, showing the worker's
// households from the phone.

let server: RunningServer
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
let households = 0

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
})
afterAll(async () => {
  const profile = browser?.profile
  await browser?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
  await server?.stop().catch(() => undefined)
})

describe('installed and offline', () => {
  it('passes Chromium’s installability check with a complete manifest', async () => {
    await page.goto(server.url)
    await page.waitForURL(/\/login/)
    // A new phone installs the service worker only after its first sync (src/app/pwa.ts):
    // Chromium's check passes without one.
    const cdp = await browser.context.newCDPSession(page)
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] }
    expect(installabilityErrors).toEqual([])
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; data: string }
    expect(manifest.errors).toEqual([])
    const m = JSON.parse(manifest.data)
    expect(m).toMatchObject({ name: '走访', short_name: '走访', display: 'standalone', start_url: '/', scope: '/', lang: 'zh-CN' })
    expect(m.icons.map((i: { sizes: string; purpose?: string }) => `${i.sizes}${i.purpose === 'maskable' ? ' maskable' : ''}`)).toEqual(
      expect.arrayContaining(['192x192', '512x512', '512x512 maskable']),
    )
    expect(m.screenshots.length).toBeGreaterThan(0)
  })

  it('downloads no app shell on the login page of a new phone', async () => {
    // The app has loaded all it loads (workbox-window came right after the first screen before).
    await page.waitForLoadState('networkidle')
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0)
  })

  it('after one online visit with login, holds the worker’s households', async () => {
    await page.fill('input[name=username]', 'grid01')
    await page.fill('input[name=password]', 'zoufang')
    await page.click('button[type=submit]')
    await expect.poll(async () => Number(await page.getByTestId('grid-households').first().textContent()), { timeout: 30_000 }).toBeGreaterThan(0)
    households = Number(await page.getByTestId('grid-households').first().textContent())
  })

  it('is controlled by the service worker once the first sync is over', async () => {
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true)
  })

  it('opens with the server stopped and the browser restarted on the same profile', async () => {
    const profile = browser.profile
    await browser.context.close()
    await server.stop()
    browser = await launchBrowser(profile, { offline: true })
    page = browser.context.pages()[0] ?? (await browser.context.newPage())
    await page.goto(`${server.url}/households`)
    await page.getByTestId('household-row').first().waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('household-count').textContent()).toContain(String(households))
    expect(await page.getByTestId('offline-banner').textContent()).toContain('没有网络')
  })
})
