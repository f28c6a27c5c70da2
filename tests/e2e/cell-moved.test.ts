import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// Issue 10, parts 6 and 7, on a phone-sized screen: grid01 logs two visits offline, the admin
// moves grid01's cell to grid02 in between, and when the network returns grid01's phone says
// which cell left, to whom, and that the offline visits were kept; the one made after the move
// waits in 待处理 under its address, and 修改后重交 opens its form with what was typed.

let server: RunningServer
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
let gridName = ''
let newWorker = ''
let address = ''

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

async function logVisit(notes: string) {
  await page.locator('[data-action=log-visit]').click()
  await page.locator('[data-outcome=met]').click()
  for (const field of await page.locator('.field:has(small)').all()) {
    const buttons = field.locator('button')
    if (await buttons.count()) await buttons.first().click()
    else await field.locator('input, textarea').first().fill('1')
  }
  await page.fill('textarea[name=notes]', notes)
  await page.locator('[data-action=save-visit]').click()
  await page.getByTestId('flash').waitFor()
}

/** The admin gives grid01's cell to grid02, through the API the users page uses. */
async function moveCell() {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'zoufang' }),
  })
  const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` }
  const { users } = (await (await fetch(`${server.url}/api/admin/users`, { headers: auth })).json()) as { users: Array<{ id: string; username: string; name: string; gridIds: string[] }> }
  const from = users.find((u) => u.username === 'grid01')!
  const to = users.find((u) => u.username === 'grid02')!
  const res = await fetch(`${server.url}/api/admin/users/${to.id}/grids`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ gridIds: [...to.gridIds, ...from.gridIds] }),
  })
  expect(res.status).toBe(200)
  const db = new Database(server.dbFile, { readonly: true })
  try {
    gridName = (JSON.parse((db.prepare('select data from grid_cells where id = ?').get(from.gridIds[0]) as { data: string }).data) as { name: string }).name
  } finally {
    db.close()
  }
  newWorker = to.name
}

describe('a grid cell moved to another worker, on the old worker’s phone', () => {
  it('grid01 logs a visit offline, the admin moves the cell, grid01 logs another', async () => {
    await loginAs(page, server.url, 'grid01')
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true)
    await browser.context.setOffline(true)
    await page.locator('.app-nav a[href="/households"]').click()
    await page.getByTestId('household-row').first().click()
    address = (await page.getByTestId('household-address').textContent())!.trim()
    await logVisit('e2e-移交前的走访')
    await moveCell()
    await new Promise((r) => setTimeout(r, 50))
    await logVisit('e2e-移交后的走访')
    await expect.poll(unsent).toBe('2')
  })

  it('after the sync, 住户 and 今日 say which cell went to whom and that both visits were kept', async () => {
    await browser.context.setOffline(false)
    await page.locator('.app-nav a[href="/households"]').click()
    const notice = page.getByTestId('cell-left')
    await notice.waitFor({ timeout: 20_000 })
    const text = (await notice.textContent())!
    expect(text).toContain(`${gridName}已交给 ${newWorker}（`)
    expect(text).toContain('2 条离线走访已保留，其中 1 条没被接收，在「待处理」里。')
    expect(await page.getByTestId('household-count').textContent()).toBe('共 0 户')
    await page.locator('.app-nav a[href="/today"]').click()
    await page.getByTestId('cell-left').waitFor()
  })

  it('待处理 names the refused visit by its address, and 修改后重交 opens its form with what was typed', async () => {
    await page.locator('.app-nav a[href="/attention"]').click()
    const name = page.getByTestId('rejected-name')
    await name.waitFor()
    expect(await name.count()).toBe(1)
    expect(await name.textContent()).toContain(`走访：${address} · `)
    expect(await page.getByTestId('rejected-row').textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
    await page.locator('[data-action=fix]').click()
    await page.getByTestId('visit-away').waitFor()
    expect(await page.inputValue('textarea[name=notes]')).toBe('e2e-移交后的走访')
    expect(await page.getByTestId('visit-away').textContent()).toContain('这一户已不在这台设备上')
  })

  it('the notice goes once dismissed, and stays gone after a reload', async () => {
    await page.locator('.app-nav a[href="/today"]').click()
    await page.locator('[data-action=dismiss-cell-left]').click()
    await expect.poll(() => page.getByTestId('cell-left').count()).toBe(0)
    await page.reload()
    await page.locator('h1').first().waitFor()
    expect(await page.getByTestId('cell-left').count()).toBe(0)
    const db = new Database(server.dbFile, { readonly: true })
    try {
      const rows = db.prepare("select count(*) as n from visits where data like '%e2e-移交前的走访%'").get() as { n: number }
      expect(rows.n).toBe(1)
    } finally {
      db.close()
    }
  })
})
