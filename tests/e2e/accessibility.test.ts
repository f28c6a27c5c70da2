import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, startServer, type RunningServer } from './support'

// Every page as each kind of user meets it, on a phone and on a laptop, checked by axe-core:
// no serious or critical violation (unnamed inputs and selects, buttons that do not say they are
// chosen, missing landmarks, no h1 …). And the English UI on a phone: the bottom bar fits.

let server: RunningServer

beforeAll(async () => {
  // Two communities so the street office has a login; the first keeps grid01, secretary, admin.
  server = await startServer({ ZOUFANG_DEMO_COMMUNITIES: '2', ZOUFANG_DEMO_HOUSEHOLDS: '150' })
})
afterAll(async () => {
  await server?.stop()
})

const PHONE = { width: 390, height: 844 }
const LAPTOP = { width: 1280, height: 800 }

async function login(page: Page, username: string): Promise<void> {
  await page.goto(server.url)
  await page.waitForURL(/\/login/)
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', 'zoufang')
  await page.click('button[type=submit]')
  if (username === 'street') {
    await page.getByTestId('street-table').waitFor()
    return
  }
  await page.getByTestId('grid-card').first().waitFor()
  await expect.poll(async () => page.getByTestId('sync-bar').getAttribute('data-synced'), { timeout: 60_000 }).toBe('yes')
}

/** The first link on a list page to a record's own page, e.g. /cases/<id>. */
async function firstRecord(page: Page, list: string, prefix: string): Promise<string | null> {
  await page.goto(`${server.url}${list}`)
  await page.locator('main').first().waitFor()
  const link = page.locator(`main a[href^="${prefix}"]`).filter({ hasNotText: /^$/ })
  await link.first().waitFor({ timeout: 10_000 }).catch(() => undefined)
  for (const href of await link.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
    if (/\/(new|edit|notice|posters)$/.test(href)) continue
    return href.split('?')[0]!
  }
  return null
}

/** What axe says is serious or critical on the page as it stands, one line per node. */
async function serious(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${new URL(page.url()).pathname} [${v.id}] ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`))
}

async function checkPages(username: string, paths: string[], records: Array<[string, string]>, viewport: { width: number; height: number }): Promise<void> {
  const browser = await launchBrowser()
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage())
    await page.setViewportSize(viewport)
    await login(page, username)
    const all = [...paths]
    for (const [list, prefix] of records) {
      const href = await firstRecord(page, list, prefix)
      if (href) all.push(href, ...(prefix === '/households/' ? [`${href}/visit`] : []))
    }
    const found: string[] = []
    const h1s: string[] = []
    for (const path of all) {
      await page.goto(`${server.url}${path}`)
      await page.locator('main').first().waitFor()
      // Let the page's records arrive from IndexedDB (or the server) before it is judged.
      await page.waitForLoadState('networkidle')
      await page.waitForTimeout(300)
      const n = await page.locator('h1').count()
      if (n !== 1) h1s.push(`${path}: ${n} h1`)
      found.push(...(await serious(page)))
    }
    expect([...found, ...h1s]).toEqual([])
  } finally {
    await browser.close()
  }
}

const WORKER_PAGES = ['/', '/today', '/households', '/cases', '/cases/new', '/worker-map', '/attention', '/settings', '/resources']
const OFFICE_PAGES = [
  '/',
  '/today',
  '/households',
  '/cases',
  '/cases/new',
  '/board',
  '/dashboard',
  '/map',
  '/conflicts',
  '/attention',
  '/settings',
  '/campaigns',
  '/campaigns/new',
  '/needs',
  '/resources',
  '/projects',
  '/projects/new',
  '/volunteers',
  '/three-party',
  '/matters',
  '/matters/new',
  '/notices',
  '/notices/posters',
]
// The admin also sees every office page; those are checked as the secretary, so only the admin's own here.
const ADMIN_PAGES = ['/', '/admin/rules', '/admin/users', '/admin/import', '/admin/register', '/admin/audit', '/admin/templates']
const RECORDS: Array<[string, string]> = [
  ['/households', '/households/'],
  ['/cases', '/cases/'],
]
const OFFICE_RECORDS: Array<[string, string]> = [...RECORDS, ['/campaigns', '/campaigns/'], ['/matters', '/matters/'], ['/projects', '/projects/']]

describe('accessibility (axe-core: no serious or critical violation, one h1 per page)', () => {
  it('the login page', async () => {
    const browser = await launchBrowser()
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage())
      for (const viewport of [PHONE, LAPTOP]) {
        await page.setViewportSize(viewport)
        await page.goto(`${server.url}/login`)
        await page.locator('input[name=username]').waitFor()
        expect(await serious(page)).toEqual([])
        expect(await page.locator('h1').count()).toBe(1)
      }
    } finally {
      await browser.close()
    }
  })

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['laptop', LAPTOP],
  ] as const) {
    // Some thirty pages each, axe taking a second or two on each.
    it(`a grid worker's pages on a ${name}`, { timeout: 300_000 }, async () => checkPages('grid01', WORKER_PAGES, RECORDS, viewport))
    it(`the secretary's pages on a ${name}`, { timeout: 300_000 }, async () => checkPages('secretary', OFFICE_PAGES, OFFICE_RECORDS, viewport))
    it(`the admin's pages on a ${name}`, { timeout: 300_000 }, async () => checkPages('admin', ADMIN_PAGES, [], viewport))
    it(`the street office's pages on a ${name}`, async () => checkPages('street', ['/street', '/settings'], [], viewport))
  }
})

describe('English on a phone', () => {
  it("the secretary's bottom bar fits a 390 px screen, every label whole", async () => {
    const browser = await launchBrowser()
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage())
      await page.setViewportSize(PHONE)
      await page.goto(`${server.url}/login`)
      await page.evaluate(() => localStorage.setItem('zoufang.locale', 'en'))
      await login(page, 'secretary')
      const nav = page.locator('nav.app-nav')
      expect(await nav.textContent()).toContain('Settings')
      const widths = await nav.evaluate((n) => ({ bar: n.scrollWidth, screen: document.documentElement.clientWidth }))
      expect(widths.bar).toBeLessThanOrEqual(widths.screen)
      // No label cut short by its ellipsis, and the last link is on the screen.
      const cut = await nav.locator('a').evaluateAll((as) => as.filter((a) => a.scrollWidth > a.clientWidth + 1).map((a) => a.textContent))
      expect(cut).toEqual([])
      const settings = await nav.getByText('Settings').boundingBox()
      expect(settings!.x + settings!.width).toBeLessThanOrEqual(PHONE.width)
      // And the home page says its case line in English punctuation.
      expect(await page.locator('main').textContent()).not.toMatch(/[，：（）、；]/)
    } finally {
      await browser.close()
    }
  })
})
