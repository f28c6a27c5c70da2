import Database from 'better-sqlite3'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// Issue 3's story: a worker records a dispute offline with a photo and syncs; the secretary, on
// another device, assigns it; the worker sees the assignment after their next sync.

let server: RunningServer
let worker: Awaited<ReturnType<typeof launchBrowser>>
let office: Awaited<ReturnType<typeof launchBrowser>>
let wp: Page
let op: Page
let caseId = ''
const PHOTO = resolve(import.meta.dirname, '..', '..', 'public', 'icons', 'icon-512.png')

const unsent = (page: Page) => page.getByTestId('unsent').getAttribute('data-count')

beforeAll(async () => {
  server = await startServer()
  worker = await launchBrowser()
  office = await launchBrowser()
  wp = worker.context.pages()[0] ?? (await worker.context.newPage())
  op = office.context.pages()[0] ?? (await office.context.newPage())
})

afterAll(async () => {
  await worker?.close()
  await office?.close()
  await server?.stop()
})

describe('a dispute in the closed loop', () => {
  it('the worker records a dispute offline, with a photo', async () => {
    await loginAs(wp, server.url, 'grid01')
    await expect.poll(() => wp.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true)
    await worker.context.setOffline(true)
    await wp.locator('.app-nav a[href="/households"]').click()
    await wp.getByTestId('household-row').first().click()
    await wp.locator('[data-action=report-case]').click()
    await wp.locator('[data-kind=dispute]').click()
    await wp.selectOption('select[name=category]', 'neighbor')
    await wp.fill('input[name=title]', 'e2e-楼上漏水影响楼下')
    await wp.fill('textarea[name=description]', '502卫生间漏水，402天花板发霉')
    await wp.getByTestId('photo-input').first().setInputFiles(PHOTO)
    await wp.getByTestId('photo-thumb').first().waitFor()
    await wp.locator('[data-action=save-case]').click()
    await wp.waitForURL(/\/cases\/[0-9a-f-]{36}$/)
    caseId = wp.url().split('/').pop()!
    expect(await wp.getByTestId('case-title').textContent()).toContain('e2e-楼上漏水影响楼下')
    await expect.poll(() => unsent(wp)).toBe('1')
  })

  it('syncs it, photo first, when the network returns', async () => {
    await worker.context.setOffline(false)
    await expect.poll(() => unsent(wp), { timeout: 15_000, interval: 200 }).toBe('0')
    const db = new Database(server.dbFile, { readonly: true })
    try {
      const row = db.prepare('select data from cases where id = ?').get(caseId) as { data: string }
      const c = JSON.parse(row.data)
      expect(c).toMatchObject({ state: 'reported', kind: 'dispute', category: 'neighbor' })
      expect(c.photoIds).toHaveLength(1)
      const file = join(server.dataDir, 'attachments', c.photoIds[0].slice(0, 2), c.photoIds[0])
      expect(existsSync(file)).toBe(true)
      expect(readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff])) // compressed to JPEG on the phone
      expect((db.prepare('select count(*) as n from cases where id = ?').get(caseId) as { n: number }).n).toBe(1)
    } finally {
      db.close()
    }
  })

  it('the secretary accepts and assigns it to the mediation room', async () => {
    await loginAs(op, server.url, 'secretary')
    await op.goto(`${server.url}/cases/${caseId}`)
    await op.getByTestId('case-title').waitFor({ timeout: 30_000 })
    await op.locator('[data-action=case-accept]').click()
    await op.locator('[data-action=confirm]').click()
    await expect.poll(() => op.getByTestId('case-state').first().textContent()).toContain('受理')
    await op.locator('[data-action=case-assign]').click()
    const team = await op.locator('select[name=handlerTeamId] option', { hasText: '调解室' }).getAttribute('value')
    await op.selectOption('select[name=handlerTeamId]', team!)
    await op.fill('textarea[name=note]', '请调解室约两家协商')
    await op.locator('[data-action=confirm]').click()
    await expect.poll(() => op.getByTestId('case-handler').textContent()).toContain('调解室')
    await expect.poll(() => unsent(op), { timeout: 15_000, interval: 200 }).toBe('0')
  })

  it('the worker sees the assignment after sync', async () => {
    await wp.goto(`${server.url}/cases/${caseId}`) // opening the app syncs
    await expect.poll(() => wp.getByTestId('case-handler').textContent(), { timeout: 15_000 }).toContain('调解室')
    expect(await wp.getByTestId('case-state').first().textContent()).toContain('分派')
    const steps = await wp.getByTestId('case-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))
    expect(steps).toEqual(['report', 'accept', 'assign'])
    await wp.getByTestId('photo-thumb').first().waitFor()
    // Tapped, the photo fills the screen inside the app (an installed app has no tabs to open it
    // in); Esc or 关闭 brings the page back, where it was.
    await wp.getByTestId('photo-thumb').first().click()
    const view = wp.getByTestId('photo-view')
    await view.waitFor()
    const size = await view.locator('img').evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, shown: img.getBoundingClientRect().width }))
    expect(size.w).toBeGreaterThan(0)
    expect(size.shown).toBeGreaterThan(200)
    expect(wp.url()).toContain(`/cases/${caseId}`)
    await wp.keyboard.press('Escape')
    await view.waitFor({ state: 'detached' })
  })
})
