import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublicCommunityResponse } from '../../src/domain/schemas/public'
import { generateCommunity } from '../../src/demo/generate'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// 公告 and the QR sheets, as the office and a resident meet them: the secretary publishes a notice
// for one compound from the laptop — one naming a resident is sent back with the reason and keeps
// what was typed — prints the compounds' QR sheets; a resident scans one in a fresh browser on a
// phone and sees the notice on that compound's board, and not another compound's; withdrawn, it
// is gone from the public page.

let server: RunningServer
let office: Awaited<ReturnType<typeof launchBrowser>>
let op: Page
const demo = generateCommunity()
const compounds = [...new Set(demo.buildings.filter((b) => b.kind === 'residential').map((b) => b.compound))]
const mine = compounds[0]!
const TITLE = 'e2e-电梯维保停运通知'
let scanned = ''

const unsent = () => op.getByTestId('unsent').getAttribute('data-count')
async function publicData(): Promise<PublicCommunityResponse> {
  return (await (await fetch(`${server.url}/api/public/community`)).json()) as PublicCommunityResponse
}

beforeAll(async () => {
  server = await startServer()
  office = await launchBrowser()
  op = office.context.pages()[0] ?? (await office.context.newPage())
  await op.setViewportSize({ width: 1280, height: 800 })
})
afterAll(async () => {
  await office?.close()
  await server?.stop()
})

describe('notices and the compounds’ QR sheets', () => {
  it('the secretary publishes a notice for one compound; one naming a resident is sent back and keeps what was typed', async () => {
    await loginAs(op, server.url, 'secretary')
    await op.goto(`${server.url}/notices`)
    await op.getByTestId('notice-group').first().waitFor({ timeout: 20_000 })
    // The demo's notices: five on the public page, one over, one withdrawn.
    expect(await op.locator('[data-testid=notice-row][data-state=shown]').count()).toBe(5)
    expect(await op.locator('[data-testid=notice-row][data-state=withdrawn]').count()).toBe(1)

    const resident = demo.residents.find((r) => r.name.length >= 3)!.name
    await op.fill('input[name=noticeTitle]', TITLE)
    await op.selectOption('select[name=noticeCategory]', 'service')
    await op.selectOption('select[name=noticeCompound]', mine)
    await op.fill('textarea[name=noticeBody]', `本周三电梯年检停运一天。如有不便请联系${resident}。`)
    await op.locator('[data-action=save-notice]').click()
    await expect.poll(() => op.getByTestId('notice-error').textContent()).toContain(`「${resident}」`)
    expect(await op.inputValue('input[name=noticeTitle]'), 'nothing typed is lost').toBe(TITLE)
    expect(await op.locator('[data-testid=notice-row]', { hasText: TITLE }).count(), 'nothing queued').toBe(0)

    await op.fill('textarea[name=noticeBody]', '本周三电梯年检停运一天，请住户合理安排出行。咨询：社区办公室 0571-87000000。')
    await op.locator('[data-action=save-notice]').click()
    const row = op.locator('[data-testid=notice-row][data-state=shown]', { hasText: TITLE })
    await row.waitFor()
    expect(await row.textContent()).toContain(mine)
    expect(await op.inputValue('input[name=noticeTitle]'), 'the form is ready for the next one').toBe('')
    await expect.poll(unsent, { timeout: 20_000, interval: 200 }).toBe('0')
    const onServer = (await publicData()).notices.find((n) => n.title === TITLE)
    expect(onServer).toMatchObject({ compound: mine, category: 'service' })
  })

  it('prints one QR sheet per compound and one for the community; each code reads back as that board’s address', async () => {
    await op.getByTestId('posters-link').click()
    await op.getByTestId('poster').first().waitFor()
    const sheets = await op.getByTestId('poster').evaluateAll((els) => els.map((e) => e.getAttribute('data-compound')))
    expect(sheets.sort()).toEqual([...new Set(demo.buildings.map((b) => b.compound)), ''].sort())
    // Read the code as a phone's camera would: from the pixels on the screen.
    const qr = op.locator(`[data-testid=poster][data-compound="${mine}"] [data-testid=qr-code]`)
    await qr.scrollIntoViewIfNeeded()
    const png = PNG.sync.read(await qr.screenshot())
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
    expect(code, 'the QR code can be read').not.toBeNull()
    scanned = code!.data
    expect(scanned).toBe(`${server.url}/public?compound=${encodeURIComponent(mine)}`)
  })

  it('a resident who scans it sees the compound’s board with the notice, not another compound’s, and no name', async () => {
    const resident = await launchBrowser()
    try {
      const page = resident.context.pages()[0] ?? (await resident.context.newPage())
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(scanned)
      await page.getByTestId('public-notice').first().waitFor()
      expect(await page.locator('h1').textContent()).toBe(`幸福里社区 · ${mine}`)
      const notices = await page.getByTestId('public-notice').allTextContents()
      expect(notices.some((n) => n.includes(TITLE) && n.includes('服务公开'))).toBe(true)
      const elsewhere = demo.notices.filter((n) => n.compound !== null && n.compound !== mine && !n.withdrawn)
      expect(elsewhere.length, 'the demo has a notice of another compound').toBeGreaterThan(0)
      for (const n of elsewhere) expect(notices.some((x) => x.includes(n.title)), n.title).toBe(false)
      expect(notices.some((x) => x.includes('冬季消防安全检查通知')), 'the whole community’s notices too').toBe(true)
      const text = await page.locator('body').innerText()
      expect(demo.residents.map((r) => r.name).filter((n) => n.length >= 2 && text.includes(n))).toEqual([])
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      // The other compounds' boards are a tap away.
      await page.getByRole('link', { name: '看全社区' }).click()
      await page.waitForURL(`${server.url}/public`)
      await page.getByTestId('public-notice').first().waitFor()
      const all = await page.getByTestId('public-notice').allTextContents()
      for (const n of elsewhere) expect(all.some((x) => x.includes(n.title)), n.title).toBe(true)
    } finally {
      await resident.close()
    }
  })

  it('withdrawn by the office, the notice is gone from the public page and stays listed as withdrawn', async () => {
    await op.goto(`${server.url}/notices`)
    const row = op.locator('[data-testid=notice-row]', { hasText: TITLE })
    await row.locator('[data-action=withdraw-notice]').click()
    await op.locator('[data-testid=notice-row][data-state=withdrawn]', { hasText: TITLE }).waitFor()
    await expect.poll(unsent, { timeout: 20_000, interval: 200 }).toBe('0')
    expect((await publicData()).notices.map((n) => n.title)).not.toContain(TITLE)
  })
})
