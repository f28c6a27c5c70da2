import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// Issue 10, part 3, on a phone-sized screen (390×844): grid01 is at the door with no signal,
// hears that someone moved out, marks them 迁出 with the day and where to; the page shows it at
// once, a reload keeps it, and when the network returns it reaches the server exactly once.

let server: RunningServer
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
const PLACE = 'e2e-杭州市西湖区'
let who = ''

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
  await page.setViewportSize({ width: 390, height: 844 })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const unsent = () => page.getByTestId('unsent').getAttribute('data-count')
/** Nothing on the page is wider than the phone. */
const fitsThePhone = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

describe('a worker marks a resident 迁出 offline', () => {
  it('logs in as grid01 and the app works offline', async () => {
    await loginAs(page, server.url, 'grid01')
    await page.evaluate(() => navigator.serviceWorker.ready)
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true)
    await browser.context.setOffline(true)
    await expect.poll(() => page.getByTestId('sync-bar').textContent()).toContain('离线')
  })

  it('marks the first member of a household moved out, with the day and where to, and sees it at once', async () => {
    await page.locator('.app-nav a[href="/households"]').click()
    await page.getByTestId('household-row').first().click()
    const first = page.getByTestId('resident-row').first()
    who = (await first.locator('.name').textContent())!.trim()
    const members = await page.getByTestId('resident-row').count()
    await first.locator('[data-action=move-out]').click()
    const form = page.getByTestId('resident-moved_out')
    expect(await form.textContent()).toContain(`${who} 迁出`)
    expect(await fitsThePhone()).toBe(true)
    await form.locator('input[name=statusDate]').fill('2026-11-03')
    await form.locator('input[name=movedTo]').fill(PLACE)
    await form.locator('[data-action=save-change]').click()
    await expect.poll(() => page.getByTestId('departed-status').first().textContent()).toBe(`已迁出 2026-11-03 · 去向 ${PLACE}`)
    expect(await page.getByTestId('departed-row').first().textContent()).toContain('修改未上传')
    expect(await page.getByTestId('resident-row').count()).toBe(members - 1)
    expect(await page.getByTestId('edit-saved').textContent()).toContain('已保存在本机上')
    await expect.poll(unsent).toBe('1')
    expect(await fitsThePhone()).toBe(true)
  })

  it('is still there after a reload with no network', async () => {
    await page.reload()
    await expect.poll(() => page.getByTestId('departed-status').first().textContent(), { timeout: 20_000 }).toBe(`已迁出 2026-11-03 · 去向 ${PLACE}`)
    await expect.poll(unsent).toBe('1')
  })

  it('reaches the server exactly once when the network returns', async () => {
    await browser.context.setOffline(false)
    await expect.poll(unsent, { timeout: 15_000, interval: 200 }).toBe('0')
    const db = new Database(server.dbFile, { readonly: true })
    try {
      const rows = db.prepare('select id, data from residents where data like ?').all(`%${PLACE}%`) as Array<{ id: string; data: string }>
      expect(rows).toHaveLength(1)
      expect(JSON.parse(rows[0]!.data)).toMatchObject({ name: who, status: 'moved_out', statusDate: '2026-11-03', movedTo: PLACE })
      const ledger = db.prepare('select count(*) as n from mutations where entity_id = ?').get(rows[0]!.id) as { n: number }
      expect(ledger.n).toBe(1)
      expect(db.prepare('select count(*) as n from conflicts where entity_id = ?').get(rows[0]!.id)).toEqual({ n: 0 })
    } finally {
      db.close()
    }
    // The server's copy replaced the phone's: still shown apart, no longer waiting.
    await expect.poll(() => page.getByTestId('departed-row').first().textContent()).not.toContain('修改未上传')
    expect(await page.getByTestId('departed-status').first().textContent()).toBe(`已迁出 2026-11-03 · 去向 ${PLACE}`)
  })
})
