import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// Issue 12's story: the secretary launches a 燃气安全排查 for two buildings on a laptop; a worker
// walks three of its households on a phone with no signal (one 不在家) and syncs when the network
// returns; the secretary sees 2 done and 1 attempted, and turns the hazard found into a case.

let server: RunningServer
let worker: Awaited<ReturnType<typeof launchBrowser>>
let office: Awaited<ReturnType<typeof launchBrowser>>
let wp: Page
let op: Page
let campaignId = ''
const TITLE = 'e2e-燃气安全排查'

const unsent = (page: Page) => page.getByTestId('unsent').getAttribute('data-count')

/** Two of grid01's buildings, by the name the draft page shows them with. */
function grid01Buildings(): string[] {
  const db = new Database(server.dbFile, { readonly: true })
  try {
    const grid = db.prepare("select id from grid_cells where json_extract(data, '$.code') = (select json_extract(data, '$.code') from grid_cells order by json_extract(data, '$.code') limit 1)").get() as { id: string }
    const rows = db.prepare('select data from buildings where grid_id = ? and deleted = 0').all(grid.id) as Array<{ data: string }>
    return rows
      .map((r) => JSON.parse(r.data) as { compound: string; number: string; kind: string })
      .filter((b) => b.kind === 'residential')
      .map((b) => `${b.compound}${b.number}`)
      .sort()
      .slice(0, 2)
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  server = await startServer()
  office = await launchBrowser()
  worker = await launchBrowser()
  op = office.context.pages()[0] ?? (await office.context.newPage())
  wp = worker.context.pages()[0] ?? (await worker.context.newPage())
  await op.setViewportSize({ width: 1280, height: 800 })
  await wp.setViewportSize({ width: 390, height: 844 })
  op.on('dialog', (d) => void d.accept())
})

afterAll(async () => {
  await worker?.close()
  await office?.close()
  await server?.stop()
})

describe('a gas inspection, door to door', () => {
  it('the secretary makes it for two buildings, sees how many households before launch, and launches', async () => {
    await loginAs(op, server.url, 'secretary')
    await op.getByTestId('home-campaigns').click()
    await op.locator('[data-action=new-campaign]').click()
    await op.fill('input[name=title]', TITLE)
    await op.selectOption('select[name=kind]', 'inspection')
    const template = await op.locator('select[name=templateId] option', { hasText: '燃气安全入户排查' }).getAttribute('value')
    await op.selectOption('select[name=templateId]', template!)
    const deadline = new Date(Date.now() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10)
    await op.fill('input[name=deadline]', deadline)
    for (const b of grid01Buildings()) await op.locator(`[data-building="${b}"]`).click()
    await op.locator('[data-action=preview]').click()
    const count = Number(/\d+/.exec((await op.getByTestId('preview-count').textContent())!)![0])
    expect(count).toBeGreaterThan(3)
    await op.locator('[data-action=launch]').click()
    await op.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/)
    campaignId = op.url().split('/').pop()!
    await expect.poll(() => op.getByTestId('campaign-status').textContent()).toBe('进行中')
    await expect.poll(() => op.locator('[data-total=notYet]').textContent()).toBe(String(count))
  })

  it('the worker walks three households with no signal: two answered (one hazard), one not at home', async () => {
    await loginAs(wp, server.url, 'grid01')
    await expect.poll(() => wp.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true)
    await worker.context.setOffline(true)
    await wp.goto(`${server.url}/today`)
    const line = wp.locator(`[data-testid=today-campaign][data-campaign="${campaignId}"]`)
    await line.waitFor({ timeout: 20_000 })
    expect(await line.getByTestId('campaign-progress').textContent()).toMatch(/^0\/\d+ 户$/)
    expect(await line.getByTestId('campaign-deadline').textContent()).toBe('剩 7 天')
    await line.locator('[data-action=toggle-campaign]').click()

    const walk = async (answers: 'hazard' | 'fine' | 'not_home') => {
      await line.getByTestId('campaign-row').first().click()
      await wp.waitForURL(/\/visit\?campaign=/)
      await wp.getByTestId('visit-campaign').waitFor()
      await wp.locator(answers === 'not_home' ? '[data-outcome=not_home]' : '[data-outcome=met]').click()
      await wp.selectOption('select[name=template]', { label: '不填清单' })
      if (answers !== 'not_home') {
        await wp.locator('[data-respondent=owner]').click()
        // 是 / 否: the pipe is not sound (否) is the hazard.
        await wp.locator(`[data-item=pipe_ok] .choices button:nth-child(${answers === 'hazard' ? 2 : 1})`).click()
        await wp.locator('[data-item=hose_ok] .choices button:nth-child(1)').click()
      }
      await wp.locator('[data-action=save-visit]').click()
      await wp.waitForURL(/\/households\/[0-9a-f-]{36}(\?.*)?$/)
      await wp.goto(`${server.url}/today`)
      await line.waitFor()
      if (!(await line.getByTestId('campaign-row').first().isVisible().catch(() => false))) await line.locator('[data-action=toggle-campaign]').click()
    }
    await walk('hazard')
    await walk('fine')
    await walk('not_home')
    await expect.poll(() => line.getByTestId('campaign-progress').textContent()).toMatch(/^2\/\d+ 户$/)
    expect(await line.textContent()).toContain('不在家 1 户')
    await expect.poll(() => unsent(wp)).toBe('3')
  })

  it('syncs when the network returns', async () => {
    await worker.context.setOffline(false)
    await expect.poll(() => unsent(wp), { timeout: 20_000, interval: 200 }).toBe('0')
  })

  it('the secretary sees 2 done and 1 attempted, and turns the hazard into a case', async () => {
    await op.goto(`${server.url}/campaigns/${campaignId}`)
    await expect.poll(() => op.locator('[data-total=done]').textContent(), { timeout: 15_000 }).toBe('2')
    expect(await op.locator('[data-total=attempted]').textContent()).toBe('1')
    const hazard = op.getByTestId('hazard-row')
    await expect.poll(() => hazard.count()).toBe(1)
    expect(await hazard.textContent()).toContain('燃气管道')
    await hazard.locator('[data-action=hazard-to-case]').click()
    await op.waitForURL(/\/cases\/new\?/)
    // Filled in from the hazard: a 安全隐患 of the gas kind, titled by the campaign and what was found.
    expect(await op.inputValue('input[name=title]')).toContain(TITLE)
    expect(await op.inputValue('input[name=title]')).toContain('燃气管道')
    await op.getByTestId('case-household').waitFor()
    await op.locator('[data-action=save-case]').click()
    await op.waitForURL(/\/cases\/[0-9a-f-]{36}$/)
    const caseId = op.url().split('/').pop()!
    await expect.poll(() => unsent(op), { timeout: 15_000, interval: 200 }).toBe('0')
    const db = new Database(server.dbFile, { readonly: true })
    try {
      const c = JSON.parse((db.prepare('select data from cases where id = ?').get(caseId) as { data: string }).data)
      const visit = JSON.parse((db.prepare('select data from visits where id = ?').get(c.visitId) as { data: string }).data)
      expect(c).toMatchObject({ kind: 'hazard', category: 'gas', state: 'reported', householdIds: [visit.householdId] })
      expect(visit).toMatchObject({ campaignId, campaignAnswers: { pipe_ok: false } })
    } finally {
      db.close()
    }
    await op.goto(`${server.url}/campaigns/${campaignId}`)
    await expect.poll(() => op.getByTestId('hazard-reported').count(), { timeout: 15_000 }).toBe(1)
  })

  it("on the secretary's map the campaign's households are coloured by where they stand", async () => {
    await op.goto(`${server.url}/map`)
    await op.getByTestId('map-campaign').waitFor({ timeout: 15_000 })
    // The office's own device has the visits by its next sync.
    await expect.poll(async () => (await op.locator('select[name=mapCampaign] option').allTextContents()).includes(TITLE), { timeout: 15_000 }).toBe(true)
    await op.selectOption('select[name=mapCampaign]', { label: TITLE })
    const legend = op.getByTestId('map-legend').first()
    await expect.poll(() => legend.locator('li[data-key=done] [data-testid=legend-count]').textContent(), { timeout: 15_000 }).toBe('2')
    expect(await legend.locator('li[data-key=attempted] [data-testid=legend-count]').textContent()).toBe('1')
    const shown = Number(/\d+/.exec((await op.getByTestId('map-shown').textContent())!)![0])
    const notYet = Number(await legend.locator('li[data-key=not_yet] [data-testid=legend-count]').textContent())
    expect(shown).toBe(2 + 1 + notYet)
  })

  it("the demo's closed 加装电梯 vote has a 公示 sheet: by number and area, passed, and no name or flat on it", async () => {
    await op.goto(`${server.url}/campaigns`)
    await op.locator('[data-testid=campaign-item][data-status=closed]', { hasText: '电梯' }).first().click()
    await op.locator('[data-action=campaign-notice]').click()
    const notice = op.getByTestId('campaign-notice')
    await notice.waitFor({ timeout: 15_000 })
    expect(await op.getByTestId('notice-result').textContent()).toContain('通过')
    const text = (await notice.textContent())!
    expect(text).toMatch(/㎡/)
    const db = new Database(server.dbFile, { readonly: true })
    try {
      const c = db.prepare("select id, data from campaigns where json_extract(data, '$.kind') = 'vote'").get() as { id: string }
      const homes = db.prepare('select h.data from campaign_targets t join households h on h.id = t.household_id where t.campaign_id = ?').all(c.id) as Array<{ data: string }>
      expect(homes.length).toBeGreaterThan(3)
      for (const { data } of homes) {
        const h = JSON.parse(data) as { headName: string; room: string | null }
        if (h.headName) expect(text).not.toContain(h.headName)
        if (h.room) expect(text).not.toContain(`${h.room}室`)
      }
    } finally {
      db.close()
    }
  })

  it('the secretary adds one more household to the running campaign from its page', async () => {
    const db = new Database(server.dbFile, { readonly: true })
    let householdId: string
    try {
      householdId = (db.prepare('select id from households where deleted = 0 and id not in (select household_id from campaign_targets where campaign_id = ?) limit 1').get(campaignId) as { id: string }).id
    } finally {
      db.close()
    }
    await op.goto(`${server.url}/households/${householdId}`)
    await op.getByTestId('join-campaign').waitFor({ timeout: 15_000 })
    await op.selectOption('select[name=joinCampaign]', { label: TITLE })
    await op.locator('[data-action=join-campaign]').click()
    await expect.poll(() => op.locator('.join-campaign [role=status]').textContent()).toContain(TITLE)
    await op.goto(`${server.url}/campaigns/${campaignId}`)
    await op.locator('summary', { hasText: '各户情况' }).click()
    await expect.poll(() => op.getByTestId('campaign-household').count(), { timeout: 15_000 }).toBeGreaterThan(3)
    const check = new Database(server.dbFile, { readonly: true })
    try {
      expect((check.prepare('select count(*) as n from campaign_targets where campaign_id = ? and household_id = ?').get(campaignId, householdId) as { n: number }).n).toBe(1)
    } finally {
      check.close()
    }
  })
})
