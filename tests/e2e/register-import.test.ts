import { resolve } from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// Issue 10 in Chromium: a new community's admin imports a compound that is not on the register
// from a sheet LibreOffice made, places its building without 经纬度 by a tap on the map, draws
// the boundary of the new grid cell (Leaflet-Geoman), and grid01 — whose cell the compound is
// in — finds its households on the phone after the next sync.

const FIXTURE = resolve(import.meta.dirname, '../fixtures/register/libreoffice-new-compound.xlsx')

let server: RunningServer
let admin: Awaited<ReturnType<typeof launchBrowser>>
let page: Page

beforeAll(async () => {
  server = await startServer()
  admin = await launchBrowser()
  page = admin.context.pages()[0] ?? (await admin.context.newPage())
  await page.setViewportSize({ width: 1280, height: 900 })
})
afterAll(async () => {
  await admin?.close()
  await server?.stop()
})

function building(compound: string, number: string) {
  const db = new Database(server.dbFile, { readonly: true })
  try {
    const rows = db.prepare('select data from buildings where deleted = 0').all() as { data: string }[]
    return rows.map((r) => JSON.parse(r.data) as { id: string; compound: string; number: string; location: { lat: number; lng: number } | null }).find((b) => b.compound === compound && b.number === number)
  } finally {
    db.close()
  }
}
function cell(code: string) {
  const db = new Database(server.dbFile, { readonly: true })
  try {
    const rows = db.prepare('select data from grid_cells where deleted = 0').all() as { data: string }[]
    return rows.map((r) => JSON.parse(r.data) as { code: string; polygon: { coordinates: number[][][] } | null }).find((g) => g.code === code)
  } finally {
    db.close()
  }
}

describe('a new compound from a LibreOffice sheet, placed on the map, on the worker’s phone', () => {
  it('the admin previews the sheet: what will be created, no errors; then imports it', async () => {
    await page.goto(server.url)
    await page.waitForURL(/\/login/)
    await page.fill('input[name=username]', 'admin')
    await page.fill('input[name=password]', 'zoufang')
    await page.click('button[type=submit]')
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    await page.goto(`${server.url}/admin/import`)
    await page.getByTestId('import-file').setInputFiles(FIXTURE)
    await page.locator('[data-action=preview]').click()
    const created = page.getByTestId('import-created')
    await expect.poll(() => created.textContent(), { timeout: 30_000 }).toContain('将新建 1 个网格、2 个小区、5 栋楼、4 个单元')
    expect(await page.getByTestId('import-unlocated').textContent()).toContain('4 栋新楼没有经纬度')
    expect(await page.locator('[data-kind="households"] [data-col="create"]').textContent()).toBe('21')
    await page.locator('[data-action=import]').click()
    await expect.poll(() => created.textContent(), { timeout: 30_000 }).toContain('已新建 1 个网格、2 个小区、5 栋楼、4 个单元')
    expect(building('和平里小区', '2号楼')).toMatchObject({ location: null })
  })

  it('on the register page, 2号楼 is among the buildings without a place; a tap on the map places it', async () => {
    await page.getByTestId('import-unlocated').locator('a').click()
    await page.waitForURL(/\/admin\/register/)
    const unlocated = page.getByTestId('unlocated-building')
    await expect.poll(() => unlocated.count(), { timeout: 30_000 }).toBe(4)
    const b2 = building('和平里小区', '2号楼')!
    await page.locator(`[data-testid=unlocated-building][data-id="${b2.id}"] [data-action=place]`).click()
    expect(await page.getByTestId('map-hint').textContent()).toContain('在地图上点一下「和平里小区2号楼」的位置')
    const box = (await page.getByTestId('map').boundingBox())!
    // The map came into view for this tap.
    expect(box.y).toBeGreaterThanOrEqual(0)
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5)
    await expect.poll(() => page.getByTestId('register-flash').textContent().catch(() => ''), { timeout: 15_000 }).toBe('「和平里小区2号楼」已定位')
    expect(await unlocated.count()).toBe(3)
    const placed = building('和平里小区', '2号楼')!.location!
    // Somewhere in the demo community's part of 泰安, not at 0,0.
    expect(Math.abs(placed.lat - 36.19)).toBeLessThan(0.1)
    expect(Math.abs(placed.lng - 117.12)).toBeLessThan(0.1)
  })

  it('the new cell 014 has no boundary and says so; the admin draws one with four taps', async () => {
    const row = page.locator('[data-testid=grid-row][data-code="014"]')
    expect(await row.getByTestId('no-boundary').textContent()).toBe('未画范围')
    expect(await page.getByTestId('unbounded-note').textContent()).toContain('1 个网格还没画范围')
    await row.locator('[data-action=draw]').click()
    // The drawing tool loads on first use: 保存范围 is enabled once it is ready for taps.
    await page.locator('[data-action=save-boundary]:not([disabled])').waitFor()
    const box = (await page.getByTestId('map').boundingBox())!
    const at = (x: number, y: number) => ({ x: box.x + box.width * x, y: box.y + box.height * y })
    for (const p of [at(0.3, 0.3), at(0.45, 0.3), at(0.45, 0.45), at(0.3, 0.45), at(0.3, 0.3)]) {
      await page.mouse.click(p.x, p.y)
      await page.waitForTimeout(150)
    }
    await page.locator('[data-action=save-boundary]').click()
    await expect.poll(() => page.getByTestId('register-flash').textContent().catch(() => ''), { timeout: 15_000 }).toBe('「第十四网格」的范围已保存')
    const ring = cell('014')!.polygon!.coordinates[0]!
    expect(ring).toHaveLength(5)
    expect(ring[0]).toEqual(ring[4])
    expect(await page.locator('[data-testid=grid-row][data-code="014"]').textContent()).toContain('已画')
  })

  it('grid01, on a phone, finds the new compound’s households after the first sync', async () => {
    const phone = await launchBrowser()
    try {
      const p = phone.context.pages()[0] ?? (await phone.context.newPage())
      await p.setViewportSize({ width: 390, height: 844 })
      await loginAs(p, server.url, 'grid01')
      await p.locator('.app-nav a[href="/households"]').click()
      await p.locator('input[type=search]').fill('和平里')
      await expect.poll(() => p.getByTestId('household-row').count(), { timeout: 30_000 }).toBe(18)
      // Listed under their buildings, as the worker walks them.
      expect(await p.locator('main').innerText()).toContain('和平里小区1号楼')
    } finally {
      await phone.close()
    }
  })
})

