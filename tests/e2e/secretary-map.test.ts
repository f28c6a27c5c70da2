import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, startServer, type RunningServer } from './support'

// The secretary reviews the demo community on the map with no basemap (no key, no internet):
// 13 grid cells and the households are drawn; another period recolours the coverage.

let server: RunningServer
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
  await page.setViewportSize({ width: 1280, height: 860 })
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const coverage = () =>
  page.getByTestId('grid-coverage').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-grid'), e.getAttribute('data-coverage')])))
/** The colour each grid cell is painted with (the same colour fills its polygon). */
const colours = () =>
  page.getByTestId('grid-coverage').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-grid'), getComputedStyle(e.querySelector('.map-swatch')!).getPropertyValue('--swatch')])))

describe('the secretary’s map', () => {
  it('shows the 13 grid cells and the households, with no basemap', async () => {
    await page.goto(server.url)
    await page.fill('input[name=username]', 'secretary')
    await page.fill('input[name=password]', 'zoufang')
    await page.click('button[type=submit]')
    await page.getByTestId('grid-card').first().waitFor()
    await expect.poll(() => page.getByTestId('grid-card').count(), { timeout: 60_000 }).toBe(13)
    await page.locator('.app-nav a[href="/map"]').click()
    await page.getByTestId('map').waitFor()
    expect(await page.getByTestId('map').getAttribute('data-basemap')).toBe('none')
    await expect.poll(() => page.getByTestId('grid-coverage').count(), { timeout: 30_000 }).toBe(13)
    const drawn = async () => Number(await page.locator('canvas.zf-points-layer').getAttribute('data-count'))
    await expect.poll(drawn, { timeout: 30_000 }).toBeGreaterThan(2500)
    // Grid polygons and household dots are drawn on canvases, not thousands of DOM nodes.
    expect(await page.locator('.leaflet-container canvas').count()).toBeGreaterThanOrEqual(2)
  })

  it('recolours coverage when the period changes', async () => {
    await expect.poll(async () => Object.values(await coverage()).filter((v) => v !== '').length, { timeout: 30_000 }).toBe(13)
    await page.locator('[data-preset="30d"]').click()
    await expect.poll(async () => Object.values(await coverage()).every((v) => v !== ''), { timeout: 30_000 }).toBe(true)
    const month = await coverage()
    const monthColours = await colours()
    await page.locator('[data-preset="7d"]').click()
    await expect.poll(async () => JSON.stringify(await coverage()), { timeout: 30_000 }).not.toBe(JSON.stringify(month))
    const week = await coverage()
    expect(Object.keys(week).sort()).toEqual(Object.keys(month).sort())
    // The colours follow: some grid cell is painted differently for the week than for the month.
    const weekColours = await colours()
    expect(Object.keys(weekColours).some((g) => weekColours[g] !== monthColours[g])).toBe(true)
  })
})
