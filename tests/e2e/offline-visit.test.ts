import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, startServer, type RunningServer } from './support'

// The newcomer's story of issue 2: log in as grid01, lose the network, reload, log a visit,
// get the network back, and find the visit on the server exactly once.

let server: RunningServer
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const unsent = () => page.getByTestId('unsent').getAttribute('data-count')

describe('a grid worker logs a visit offline', () => {
  it('logs in as grid01 and gets their grid cell on the device', async () => {
    await page.goto(server.url)
    await page.waitForURL(/\/login/)
    await page.fill('input[name=username]', 'grid01')
    await page.fill('input[name=password]', 'zoufang')
    await page.click('button[type=submit]')
    await page.getByTestId('grid-card').first().waitFor()
    // The first sync is done when the household count is on the card.
    await expect.poll(async () => Number(await page.getByTestId('grid-households').first().textContent()), { timeout: 30_000 }).toBeGreaterThan(0)
    expect(await page.getByTestId('grid-card').count()).toBe(1)
  })

  it('is controlled by the service worker', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready)
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true)
  })

  it('opens with no network after a reload', async () => {
    await browser.context.setOffline(true)
    await page.reload()
    await page.getByTestId('grid-card').first().waitFor()
    await expect.poll(() => page.getByTestId('sync-bar').textContent()).toContain('离线')
    expect(Number(await page.getByTestId('grid-households').first().textContent())).toBeGreaterThan(0)
  })

  it('saves a visit offline and shows one unsent change', async () => {
    await page.locator('.app-nav a[href="/households"]').click()
    await page.getByTestId('household-row').first().click()
    await page.locator('[data-action=log-visit]').click()
    await page.locator('[data-outcome=met]').click()
    // Answer every required checklist item with its first choice.
    for (const field of await page.locator('.field:has(small)').all()) {
      const buttons = field.locator('button')
      if (await buttons.count()) await buttons.first().click()
      else await field.locator('input, textarea').first().fill('1')
    }
    await page.fill('textarea[name=notes]', 'e2e-离线走访-老人身体还行')
    await page.locator('[data-action=save-visit]').click()
    await page.getByTestId('flash').waitFor()
    expect(await page.getByTestId('flash').textContent()).toContain('已保存在本机上')
    await expect.poll(unsent).toBe('1')
    await expect.poll(() => page.getByTestId('visit-row').first().textContent()).toContain('未上传')
  })

  it('sends it within 10 s of the network returning, and the server holds it exactly once', async () => {
    await browser.context.setOffline(false)
    await expect.poll(unsent, { timeout: 10_000, interval: 200 }).toBe('0')
    const db = new Database(server.dbFile, { readonly: true })
    try {
      const rows = db.prepare("select id, worker_id from visits where data like '%e2e-离线走访%'").all() as Array<{ id: string; worker_id: string }>
      expect(rows).toHaveLength(1)
      const worker = db.prepare("select id from users where username = 'grid01'").get() as { id: string }
      expect(rows[0]!.worker_id).toBe(worker.id)
      const ledger = db.prepare('select count(*) as n from mutations where entity_id = ?').get(rows[0]!.id) as { n: number }
      expect(ledger.n).toBe(1)
    } finally {
      db.close()
    }
  })
})
