import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// A new version is deployed while a worker is in the middle of a visit form. The app says so,
// does not reload over the unsaved form, and after the update every queued change is still there.

const ROOT = resolve(import.meta.dirname, '..', '..')
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
  // Leave dist/ as a plain build again for whoever runs next.
  execFileSync(process.execPath, [resolve(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production', ZOUFANG_BUILD_ID: '' } })
})

/** Pushes the server answered. The route refuses them all, so none may be: a change that went out
 *  would lower the count too, and the failure then says that instead of "a change was lost". */
const pushesAnswered: string[] = []
/** The number the status bar shows as waiting to be sent. The bar counts the outbox in IndexedDB
 *  and re-renders a moment after the page that confirms a save has appeared (after a reload it
 *  shows 0 until its first read): so the test waits for the number a worker would read, with room
 *  for a slow machine, instead of reading it once the confirmation shows. Waiting hides nothing:
 *  every push is refused here, so the count only rises, and a lost change never reaches it. */
const unsent = async () => {
  if (pushesAnswered.length) throw new Error(`the server answered ${pushesAnswered.length} push(es): a queued change went out`)
  return page.getByTestId('unsent').getAttribute('data-count')
}
const shown = { timeout: 15_000 }

async function openVisitForm() {
  await page.locator('.app-nav a[href="/households"]').click()
  await page.getByTestId('household-row').nth(2).click()
  await page.locator('[data-action=log-visit]').click()
  await page.selectOption('select[name=template]', { label: '不填清单' })
}

describe('updating the app safely', () => {
  it('a worker has one change queued and a form half-filled', async () => {
    await loginAs(page, server.url, 'grid01')
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true)
    // The server is unreachable for pushes from now on: the change stays queued.
    await browser.context.route('**/api/sync/push', (r) => r.abort())
    browser.context.on('requestfinished', (r) => {
      if (new URL(r.url()).pathname === '/api/sync/push') pushesAnswered.push(r.url())
    })
    await openVisitForm()
    await page.fill('textarea[name=notes]', '第一条，已保存')
    await page.locator('[data-action=save-visit]').click()
    await page.getByTestId('flash').waitFor()
    await expect.poll(unsent, shown).toBe('1')
    await openVisitForm()
    await page.fill('textarea[name=notes]', '写了一半的走访')
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true))
  })

  it('a new version is deployed: the app says so', async () => {
    execFileSync(process.execPath, [resolve(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', ZOUFANG_BUILD_ID: 'e2e-2' },
    })
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()))
    await page.getByTestId('update-banner').waitFor({ timeout: 30_000 })
  })

  it('does not reload over the unsaved form', async () => {
    await page.locator('[data-action=apply-update]').click()
    await page.getByTestId('update-blocked').waitFor()
    await page.waitForTimeout(1500)
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true)
    expect(await page.inputValue('textarea[name=notes]')).toBe('写了一半的走访')
  })

  it('once the form is saved, updates, and the queued changes are all still there', async () => {
    await page.locator('[data-action=save-visit]').click()
    await page.getByTestId('flash').waitFor()
    await expect.poll(unsent, shown).toBe('2')
    await page.locator('[data-action=apply-update]').click()
    await expect.poll(() => page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage ?? false), { timeout: 20_000 }).toBe(false)
    await page.getByTestId('unsent').waitFor()
    await expect.poll(unsent, shown).toBe('2')
    await page.goto(`${server.url}/settings`)
    expect(await page.getByTestId('app-version').textContent()).toContain('e2e-2')
    const notes = await page.evaluate(
      () =>
        new Promise<string[]>((res, rej) => {
          const open = indexedDB.open('zoufang')
          open.onerror = () => rej(open.error)
          open.onsuccess = () => {
            const tx = open.result.transaction('outbox', 'readonly')
            const all = tx.objectStore('outbox').getAll()
            all.onsuccess = () => res((all.result as Array<{ data: { notes: string } }>).map((r) => r.data.notes))
          }
        }),
    )
    expect(notes.sort()).toEqual(['写了一半的走访', '第一条，已保存'].sort())
    expect(pushesAnswered).toEqual([])
  })
})
