import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCommunity } from '../../src/demo/generate'
import { launchBrowser, startServer, type RunningServer } from './support'

// 公开 as a resident meets it: a QR code on the notice board opens /public on their phone, no
// login, a fresh browser. It shows the community's votes, projects and menu, in Chinese (English
// for an English browser), and no resident's name anywhere on it.

let server: RunningServer
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page

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

describe('the public page', () => {
  it('opens without login and shows the closed vote’s result, projects and the menu', async () => {
    await page.goto(`${server.url}/public`)
    await page.getByTestId('public-vote').first().waitFor()
    expect(page.url()).toBe(`${server.url}/public`)
    expect(await page.locator('h1').textContent()).toBe('幸福里社区')
    const vote = await page.getByTestId('public-vote').first().textContent()
    expect(vote).toMatch(/通过|未通过/)
    expect(vote).toContain('按户数')
    expect(await page.getByTestId('public-project').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('public-offer').count()).toBeGreaterThan(0)
    // Nothing of the app came with it: no service worker, no login form.
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0)
    expect(await page.locator('input[name=password]').count()).toBe(0)
  })

  it('fits a phone: nothing wider than the screen', async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  })

  it('holds no resident’s name', async () => {
    // The demo the server seeded, made again from the same seed.
    const demo = generateCommunity()
    const text = (await page.locator('body').innerText()) ?? ''
    const found = demo.residents.map((r) => r.name).filter((n) => n.length >= 2 && text.includes(n))
    expect(found).toEqual([])
  })

  it('speaks English to an English browser', async () => {
    await page.goto(`${server.url}/public?lang=en`)
    await page.getByTestId('public-vote').first().waitFor()
    expect(await page.getByTestId('public-votes').locator('h2').textContent()).toBe('Results of votes')
    expect(await page.getByTestId('public-vote').first().textContent()).toMatch(/Passed|Not passed/)
  })
})
