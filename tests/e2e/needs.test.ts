import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// Issue 13's story: a worker hears a 助餐 need during a visit with no signal and records it; the
// secretary sees it among the needs grouped by kind, makes a project of it with a resource and
// completes it; the worker's phone shows the need met.

let server: RunningServer
let worker: Awaited<ReturnType<typeof launchBrowser>>
let office: Awaited<ReturnType<typeof launchBrowser>>
let wp: Page
let op: Page
let householdUrl = ''
const NEED = 'e2e-老人想在社区食堂吃午饭'

const unsent = (page: Page) => page.getByTestId('unsent').getAttribute('data-count')

beforeAll(async () => {
  server = await startServer()
  worker = await launchBrowser()
  office = await launchBrowser()
  wp = worker.context.pages()[0] ?? (await worker.context.newPage())
  op = office.context.pages()[0] ?? (await office.context.newPage())
  await wp.setViewportSize({ width: 390, height: 844 })
  await op.setViewportSize({ width: 1280, height: 800 })
})

afterAll(async () => {
  await worker?.close()
  await office?.close()
  await server?.stop()
})

describe('a need heard at the door, met by a project', () => {
  it('the worker records a 助餐 need during a visit, offline', async () => {
    await loginAs(wp, server.url, 'grid01')
    await expect.poll(() => wp.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true)
    await worker.context.setOffline(true)
    await wp.locator('.app-nav a[href="/households"]').click()
    await wp.getByTestId('household-row').nth(2).click()
    await wp.waitForURL(/\/households\/[0-9a-f-]{36}$/)
    householdUrl = wp.url()
    await wp.locator('[data-action=log-visit]').click()
    await wp.locator('[data-outcome=met]').click()
    await wp.selectOption('select[name=template]', { label: '不填清单' })
    await wp.fill('textarea[name=needs]', NEED)
    await wp.selectOption('select[name=needCategory]', 'meals')
    await wp.locator('[data-action=save-visit]').click()
    await wp.waitForURL(/\/households\/[0-9a-f-]{36}(\?.*)?$/)
    const need = wp.getByTestId('household-need').filter({ hasText: NEED })
    await expect.poll(() => need.getByTestId('need-status').textContent()).toBe('待对接')
    await expect.poll(() => unsent(wp)).toBe('2') // the visit, then the need
  })

  it('syncs when the network returns', async () => {
    await worker.context.setOffline(false)
    await expect.poll(() => unsent(wp), { timeout: 20_000, interval: 200 }).toBe('0')
  })

  it('the secretary finds it among the needs by kind, makes a project of it with a resource, and completes it', async () => {
    await loginAs(op, server.url, 'secretary')
    await op.getByTestId('home-needs').click()
    const meals = op.locator('[data-testid=needs-summary-line][data-category=meals]')
    await expect.poll(() => meals.count(), { timeout: 20_000 }).toBe(1)
    expect(await meals.textContent()).toMatch(/助餐：\d+ 户/)
    await meals.locator('button').click()
    const row = op.getByTestId('need-row').filter({ hasText: NEED })
    await row.waitFor({ timeout: 20_000 })
    await row.locator('[data-action=select-need]').check()
    await op.locator('[data-action=needs-to-project]').click()
    await op.waitForURL(/\/projects\/new\?/)
    await op.fill('input[name=title]', 'e2e-长者助餐')
    await op.locator('.project-new [data-resource]').first().click()
    await op.locator('[data-action=create-project]').click()
    await op.waitForURL(/\/projects\/[0-9a-f-]{36}$/)
    await expect.poll(() => op.getByTestId('project-status').getAttribute('data-status')).toBe('planning')
    await op.locator('[data-action=project-start]').click()
    await expect.poll(() => op.getByTestId('project-status').getAttribute('data-status')).toBe('doing')
    await op.fill('textarea[name=summary]', '每天中午送餐上门')
    await op.locator('[data-action=project-complete]').click()
    await expect.poll(() => op.getByTestId('project-status').getAttribute('data-status')).toBe('done')
    await expect.poll(() => unsent(op), { timeout: 20_000, interval: 200 }).toBe('0')
    // The server met the project's needs; the office's copy follows at its next pull.
    await op.reload()
    await expect.poll(() => op.getByTestId('project-need').first().getAttribute('data-status'), { timeout: 20_000 }).toBe('met')
  })

  it("the worker's phone shows the need met", async () => {
    await wp.goto(householdUrl) // opening the app syncs
    const need = wp.getByTestId('household-need').filter({ hasText: NEED })
    await expect.poll(() => need.getByTestId('need-status').textContent(), { timeout: 20_000 }).toBe('已解决')
    expect(await need.textContent()).toContain('e2e-长者助餐')
  })

  it('你点我来: the worker orders a menu service for the household; it is a need matched to that resource at once', async () => {
    await wp.goto(householdUrl)
    await wp.locator('[data-action=open-menu]').click()
    const offer = wp.getByTestId('menu-offer').first()
    const [title] = ((await offer.locator('span').first().textContent()) ?? '').split(' · ').slice(1)
    await offer.locator('[data-action=order-offer]').click()
    await expect.poll(() => wp.getByTestId('menu-ordered').textContent()).toContain('已为这户点了')
    const need = wp.getByTestId('household-need').filter({ hasText: title! })
    await expect.poll(() => need.getByTestId('need-status').textContent()).toBe('已对接')
    await expect.poll(() => unsent(wp), { timeout: 20_000, interval: 200 }).toBe('0')
    // The server's copy (matched, with the response deadline) replaces the phone's.
    await wp.reload()
    await expect.poll(() => need.getByTestId('need-status').textContent(), { timeout: 20_000 }).toBe('已对接')
    expect(await need.textContent()).toContain('对接：')
  })

  it("the dashboard counts the lists: needs by kind, the project done, volunteers' points", async () => {
    await op.goto(`${server.url}/dashboard`)
    const lists = op.getByTestId('dashboard-lists')
    await lists.waitFor({ timeout: 20_000 })
    await expect.poll(() => op.getByTestId('lists-needs').textContent(), { timeout: 20_000 }).toMatch(/待对接 \d+ 条/)
    expect(await lists.textContent()).toMatch(/完成 [1-9]\d*/)
    expect(await op.getByTestId('lists-category').count()).toBeGreaterThan(0)
    expect(await op.getByTestId('lists-points').textContent()).toMatch(/\d+ 位志愿者/)
  })
})
