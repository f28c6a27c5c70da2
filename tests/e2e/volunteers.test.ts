import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// Issue 13, volunteers' points, the office's side: the secretary records 2 hours for a demo
// volunteer on a demo project (记工时), confirms them (确认), the device syncs, and the server's
// points (GET /api/points and the dashboard's figures) count them — 20 points by the demo's
// default rule of 10 an hour. On a phone the page fits the screen.

let server: RunningServer
let office: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
const NOTE = 'e2e-社区食堂帮厨'
let before = { hours: 0, points: 0 }
let volunteer = ''

const unsent = () => page.getByTestId('unsent').getAttribute('data-count')
const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)

async function dashboardPoints(): Promise<{ hours: number; points: number }> {
  await page.goto(`${server.url}/dashboard`)
  const line = page.getByTestId('lists-points')
  await line.waitFor({ timeout: 20_000 })
  const m = /确认服务 ([\d.]+) 小时，共 ([\d.]+) 分/.exec((await line.textContent()) ?? '')
  expect(m).not.toBeNull()
  return { hours: Number(m![1]), points: Number(m![2]) }
}

beforeAll(async () => {
  server = await startServer()
  office = await launchBrowser()
  page = office.context.pages()[0] ?? (await office.context.newPage())
  await page.setViewportSize({ width: 390, height: 844 })
})

afterAll(async () => {
  await office?.close()
  await server?.stop()
})

describe("a volunteer's hours, recorded and confirmed by the secretary", () => {
  it('the secretary opens 记工时、确认 from the dashboard; the page fits a phone', async () => {
    await loginAs(page, server.url, 'secretary')
    before = await dashboardPoints()
    await page.getByTestId('lists-volunteers').click()
    await page.waitForURL(/\/volunteers$/)
    await expect.poll(() => page.locator('select[name=volunteer] option:not([value=""])').count(), { timeout: 20_000 }).toBeGreaterThan(0)
    await expect.poll(() => page.locator('select[name=project] option:not([value=""])').count(), { timeout: 20_000 }).toBeGreaterThan(0)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
  })

  it('records 2 hours for a volunteer on a project: 待确认 at once; confirms them: 已确认 with 20 points in the ledger', async () => {
    volunteer = (await page.locator('select[name=volunteer] option:not([value=""])').first().getAttribute('value'))!
    const project = (await page.locator('select[name=project] option:not([value=""])').first().getAttribute('value'))!
    await page.selectOption('select[name=volunteer]', volunteer)
    await page.selectOption('select[name=project]', project)
    await page.fill('input[name=hours]', '2')
    await page.fill('input[name=note]', NOTE)
    await page.locator('[data-action=record-hours]').click()
    const row = page.getByTestId('pending-record').filter({ hasText: NOTE })
    await row.waitFor()
    expect(await row.textContent()).toContain('2 小时')
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await row.locator('[data-action=confirm-hours]').click()
    await expect.poll(() => row.count()).toBe(0)
    const entry = page.getByTestId('ledger-record').filter({ hasText: NOTE })
    await expect.poll(() => entry.getAttribute('data-status')).toBe('confirmed')
    expect(await entry.getByTestId('ledger-points').textContent()).toBe('20 分')
  })

  it("syncs; the server's points count them, and its copy in the ledger says the same", async () => {
    await expect.poll(() => unsent(), { timeout: 20_000, interval: 200 }).toBe('0')
    const day = chinaToday()
    const points = await page.evaluate(async (d) => {
      const { token } = JSON.parse(localStorage.getItem('zoufang.session')!) as { token: string }
      const res = await fetch(`/api/points?from=${d}&to=${d}`, { headers: { authorization: `Bearer ${token}` } })
      return (await res.json()) as { total: { records: number; hours: number; points: number } }
    }, day)
    // The demo records no hours for today: these are the only ones.
    expect(points.total).toMatchObject({ records: 1, hours: 2, points: 20 })
    const after = await dashboardPoints()
    expect(after.hours).toBeCloseTo(before.hours + 2, 5)
    expect(after.points).toBeCloseTo(before.points + 20, 5)
    await page.goto(`${server.url}/volunteers`)
    const entry = page.getByTestId('ledger-record').filter({ hasText: NOTE })
    await page.locator(`select[name=ledgerVolunteer] option[value="${volunteer}"]`).waitFor({ state: 'attached', timeout: 20_000 })
    await page.selectOption('select[name=ledgerVolunteer]', volunteer)
    await expect.poll(() => entry.getAttribute('data-status'), { timeout: 20_000 }).toBe('confirmed')
    expect(await entry.getByTestId('ledger-points').textContent()).toBe('20 分')
  })
})
