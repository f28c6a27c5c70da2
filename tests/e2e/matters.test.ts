import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chinaDay } from '../../src/domain/coverage'
import { generateCommunity } from '../../src/demo/generate'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// Issue 14's story on the secretary's phone (390×844): a matter raised from a need of the 需求清单
// for the stairwell the demo's 加装电梯 vote was held in, two 议事协商会 recorded, 议, 决 by that
// closed vote with its 公示, contributions and a subsidy recorded, 筹 once the money is in; the
// server takes every change (nothing waits in 待处理), and after a reload the page shows the
// server's stage and balance; 办 with its work done, 评 with the residents' judgement; and the
// public page, in a fresh browser with no login, shows it judged with its vote's tally and no
// name. No page of it is wider than the phone.

let server: RunningServer
let office: Awaited<ReturnType<typeof launchBrowser>>
let op: Page
let matterUrl = ''
const TITLE = 'e2e-1单元加装电梯'
const DAY = 86_400_000
const today = chinaDay(Date.now())

const unsent = (page: Page) => page.getByTestId('unsent').getAttribute('data-count')
const stage = () => op.getByTestId('matter-stage-bar').getAttribute('data-stage')
/** Nothing of the page is wider than the phone. */
async function fitsThePhone(): Promise<void> {
  const widths = await op.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }))
  expect(widths.page).toBeLessThanOrEqual(widths.viewport)
}

beforeAll(async () => {
  server = await startServer()
  office = await launchBrowser()
  op = office.context.pages()[0] ?? (await office.context.newPage())
  await op.setViewportSize({ width: 390, height: 844 })
})

afterAll(async () => {
  await office?.close()
  await server?.stop()
})

describe('a matter the 六民 way, on the secretary’s phone', () => {
  it('the secretary raises a matter from a need, for the stairwell of the demo’s closed vote', async () => {
    await loginAs(op, server.url, 'secretary')
    // The demo's closed 加装电梯 vote and its stairwell, from the office's own API.
    const vote = await op.evaluate(async () => {
      const token = (JSON.parse(localStorage.getItem('zoufang.session')!) as { token: string }).token
      const res = await fetch('/api/campaigns', { headers: { authorization: `Bearer ${token}` } })
      type Listed = { campaign: { title: string; kind: string; status: string; vote: { scope: { kind: string; buildingId?: string; unit?: string } } | null } }
      const body = (await res.json()) as { campaigns: Listed[] }
      return body.campaigns.map((c) => c.campaign).find((c) => c.kind === 'vote' && c.status === 'closed' && c.vote?.scope.kind === 'unit')!
    })
    expect(vote.vote!.scope.unit).toBe('1')

    await op.getByTestId('home-needs').click()
    await op.getByTestId('matters-link').waitFor({ timeout: 20_000 })
    const row = op.getByTestId('need-row').first()
    await row.waitFor({ timeout: 20_000 })
    await row.locator('[data-action=raise-matter]').click()
    await op.waitForURL(/\/matters\/new\?need=/)
    expect(await op.getByTestId('matter-origin').getAttribute('data-origin')).toBe('need')
    await fitsThePhone()
    await op.fill('input[name=title]', TITLE)
    await op.fill('input[name=raisedByName]', '1单元居民')
    await op.locator('[data-scope=unit]').click()
    await op.selectOption('select[name=building]', vote.vote!.scope.buildingId!)
    await op.selectOption('select[name=unit]', '1')
    await expect.poll(() => op.getByTestId('matter-scope-count').getAttribute('data-count')).not.toBe('0')
    await op.fill('input[name=budget]', '1000')
    await op.locator('[data-action=create-matter]').click()
    await op.waitForURL(/\/matters\/[0-9a-f-]{36}$/)
    matterUrl = op.url()
    expect(await stage()).toBe('raised')
    expect(await op.getByTestId('matter-budget').textContent()).toBe('¥1,000.00')
  })

  it('records two meetings, starts the discussion between them, and decides by the closed vote with its 公示', async () => {
    await op.locator('[data-action=new-meeting]').click()
    let form = op.getByTestId('meeting-form')
    await form.locator('input[name=meetingTime]').fill('19:00')
    await form.locator('[data-action=invite-owners_committee]').click()
    await form.locator('[data-action=invite-property]').click()
    await form.getByTestId('meeting-party').first().locator('input[name=present]').check()
    await form.locator('textarea[name=minutes]').fill('低层住户担心采光，物业说明维保费用')
    await fitsThePhone()
    await form.locator('[data-action=save-meeting]').click()
    await expect.poll(() => op.getByTestId('meeting').count()).toBe(1)

    await op.locator('[data-action=matter-discuss]').click()
    await expect.poll(stage).toBe('discussed')

    await op.locator('[data-action=new-meeting]').click()
    form = op.getByTestId('meeting-form')
    await form.locator('[data-action=invite-all-households]').click()
    await form.getByTestId('meeting-party').first().locator('input[name=present]').check()
    await form.locator('[data-action=add-position]').click()
    await form.locator('input[name=positionParty]').fill('高层住户')
    await form.locator('textarea[name=positionText]').fill('愿意多出一些')
    await form.locator('[data-action=save-meeting]').click()
    await expect.poll(() => op.getByTestId('meeting').count()).toBe(2)

    // 决 by the vote; its 公示 already over (it closed months ago), so the money decides 筹.
    await op.locator('[data-decision=vote]').click()
    expect(await op.locator('select[name=voteCampaign] option').count()).toBeGreaterThan(0)
    await op.fill('input[name=publicityStart]', chinaDay(Date.now() - 14 * DAY))
    await op.fill('input[name=publicityEnd]', chinaDay(Date.now() - 7 * DAY))
    await op.locator('[data-action=matter-decide]').click()
    await expect.poll(stage).toBe('decided')
    expect(await op.getByTestId('matter-decision').textContent()).toContain('加装电梯表决')
    await fitsThePhone()
    await expect.poll(() => unsent(op), { timeout: 20_000, interval: 200 }).toBe('0')
    expect(await op.getByTestId('matter-rejected').count()).toBe(0)  })

  it('records contributions and a subsidy; 筹 says what is missing, then takes the money in', async () => {
    const ledger = op.getByTestId('matter-ledger')
    const form = ledger.getByTestId('ledger-form')
    const pay = async (index: number, yuan: string) => {
      await form.locator('[data-kind=contribution]').click()
      await form.locator('select[name=ledgerHousehold]').selectOption({ index })
      await form.locator('input[name=amount]').fill(yuan)
      await form.locator('[data-action=add-ledger-entry]').click()
    }
    await pay(1, '300')
    await expect.poll(() => ledger.getByTestId('ledger-entry').count()).toBe(1)
    await pay(2, '200')
    await expect.poll(() => ledger.getByTestId('ledger-entry').count()).toBe(2)
    await expect.poll(() => ledger.getByTestId('ledger-balance').textContent()).toBe('¥500.00')

    await op.locator('[data-action=matter-fund]').click()
    await expect.poll(() => op.getByTestId('matter-error').textContent()).toContain('资金还差 ¥500.00')

    await form.locator('[data-kind=subsidy]').click()
    await form.locator('input[name=source]').fill('区住建局加装电梯补贴')
    await form.locator('input[name=amount]').fill('500')
    await form.locator('[data-action=add-ledger-entry]').click()
    await expect.poll(() => ledger.getByTestId('ledger-balance').textContent()).toBe('¥1,000.00')
    await op.locator('[data-action=matter-fund]').click()
    await expect.poll(stage).toBe('funded')
    await fitsThePhone()
    await expect.poll(() => unsent(op), { timeout: 20_000, interval: 200 }).toBe('0')
    expect(await op.getByTestId('matter-rejected').count()).toBe(0)
  })

  it('after a reload the page shows the server’s stage, steps and balance; the list shows it under 筹', async () => {
    await op.goto(matterUrl)
    await expect.poll(stage, { timeout: 20_000 }).toBe('funded')
    await expect.poll(() => op.getByTestId('ledger-balance').textContent(), { timeout: 20_000 }).toBe('¥1,000.00')
    // The server's steps: 提出, 开始协商, 记录决定, 确认资金到位.
    await expect.poll(() => op.getByTestId('matter-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))), { timeout: 20_000 }).toEqual(['raise', 'discuss', 'decide', 'fund'])
    expect(await op.getByTestId('meeting').count()).toBe(2)
    expect(await op.getByTestId('ledger-household').count()).toBe(2)
    await fitsThePhone()

    await op.goto(`${server.url}/matters`)
    const line = op.getByTestId('matter-row').filter({ hasText: TITLE })
    await line.waitFor({ timeout: 20_000 })
    expect(await line.getAttribute('data-stage')).toBe('funded')
    expect(await line.textContent()).toContain(`最近一步：${today}`)
    await fitsThePhone()
  })

  it('办 once its work is done, then 评 with the residents’ judgement', async () => {
    await op.goto(matterUrl)
    await expect.poll(stage, { timeout: 20_000 }).toBe('funded')
    await op.fill('input[name=taskTitle]', '电梯安装和验收')
    await op.locator('[data-action=add-task]').click()
    await expect.poll(() => op.getByTestId('matter-task').count()).toBe(1)
    // Ticking it asks when, how it went and for a photo of the work, taken there and then.
    await op.getByTestId('matter-task').locator('input[name=taskDone]').click()
    await op.getByTestId('task-finish').waitFor()
    expect(await op.getByTestId('matter-task').getAttribute('data-done'), 'not done until the form is saved').toBe('false')
    await op.fill('textarea[name=taskNote]', '电梯已安装，验收合格')
    await op.getByTestId('task-finish').getByTestId('photo-input').setInputFiles(resolve(import.meta.dirname, '..', 'fixtures', 'photos', 'stairwell.jpg'))
    await expect.poll(() => op.getByTestId('task-finish').getByTestId('photo-thumb').count()).toBe(1)
    await op.locator('[data-action=finish-task]').click()
    await expect.poll(() => op.getByTestId('matter-task').getAttribute('data-done')).toBe('true')
    expect(await op.getByTestId('matter-task').textContent()).toContain('电梯已安装，验收合格')
    expect(await op.getByTestId('matter-task').getByTestId('photo-thumb').count()).toBe(1)
    await op.locator('[data-action=matter-complete]').click()
    await expect.poll(stage).toBe('done')
    await op.fill('textarea[name=evaluation]', '入户回访：居民满意，希望尽早开放使用')
    await op.locator('[data-action=matter-judge]').click()
    await expect.poll(stage).toBe('judged')
    await fitsThePhone()
    // Sent, the task's photo with it: the server refuses a change whose photo it lacks.
    await expect.poll(() => unsent(op), { timeout: 20_000, interval: 200 }).toBe('0')
    expect(await op.getByTestId('matter-rejected').count()).toBe(0)
  })

  it('the public page, opened with no login in a fresh browser, shows the matter judged with its vote and the tally, and no name', async () => {
    const resident = await launchBrowser()
    try {
      const page = resident.context.pages()[0] ?? (await resident.context.newPage())
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(`${server.url}/public`)
      const matter = page.getByTestId('public-matter').filter({ hasText: TITLE })
      await matter.waitFor({ timeout: 20_000 })
      expect(await matter.getAttribute('data-stage')).toBe('judged')
      const text = (await matter.textContent()) ?? ''
      expect(text).toContain('表决决定')
      expect(text).toContain('加装电梯')
      expect(text).toContain('居民满意')
      // The vote that decided it, with its tally by number.
      expect(await page.getByTestId('public-vote').filter({ hasText: '加装电梯' }).first().textContent()).toContain('按户数')
      const body = await page.locator('body').innerText()
      const names = generateCommunity().residents.map((r) => r.name).filter((n) => n.length >= 2 && body.includes(n))
      expect(names).toEqual([])
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    } finally {
      await resident.close()
    }
  })
})
