import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// A shared phone: logging out with unsent changes asks first, and afterwards nothing of the
// residents is left on the phone.

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

/** Every object store of the app's IndexedDB with its row count. */
const storeCounts = () =>
  page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('zoufang')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const names = [...db.objectStoreNames]
          const out: Record<string, number> = {}
          if (names.length === 0) return resolve(out)
          const tx = db.transaction(names, 'readonly')
          for (const n of names) {
            const req = tx.objectStore(n).count()
            req.onsuccess = () => (out[n] = req.result)
          }
          tx.oncomplete = () => {
            db.close()
            resolve(out)
          }
        }
      }),
  )

describe('logging out', () => {
  it('with an unsent change, asks first and shows the count; cancelling keeps everything', async () => {
    await loginAs(page, server.url, 'grid01')
    await browser.context.route('**/api/sync/push', (r) => r.abort()) // the change cannot be sent
    await page.locator('.app-nav a[href="/households"]').click()
    await page.getByTestId('household-row').first().click()
    await page.locator('[data-action=log-visit]').click()
    await page.selectOption('select[name=template]', { label: '不填清单' })
    await page.fill('textarea[name=notes]', '还没上传的走访')
    await page.locator('[data-action=save-visit]').click()
    await page.getByTestId('flash').waitFor()
    await page.goto(`${server.url}/settings`)
    let asked = ''
    page.once('dialog', (d) => {
      asked = d.message()
      void d.dismiss()
    })
    await page.locator('[data-action=logout]').click()
    await expect.poll(() => asked, { timeout: 20_000 }).toContain('1 条')
    expect(page.url()).toContain('/settings')
    expect((await storeCounts()).outbox).toBe(1)
  })

  it('once confirmed, leaves no personal data on the phone', async () => {
    const before = await storeCounts()
    expect(before.households).toBeGreaterThan(0)
    page.once('dialog', (d) => void d.accept())
    await page.locator('[data-action=logout]').click()
    await page.waitForURL(/\/login/)
    const after = await storeCounts()
    for (const [store, n] of Object.entries(after)) expect(n, store).toBe(0)
    const leftovers = await page.evaluate(async () => ({
      local: Object.keys(localStorage).filter((k) => k !== 'zoufang.locale' && k !== 'zoufang.map'),
      session: Object.keys(sessionStorage).filter((k) => k.startsWith('zoufang')), // vue-router keeps scroll positions there
      tiles: (await caches.keys()).includes('zoufang-tiles'),
    }))
    expect(leftovers).toEqual({ local: [], session: [], tiles: false })
  })
})
