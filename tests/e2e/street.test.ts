import type { Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { launchBrowser, loginAs, startServer, type RunningServer } from './support'

// A street of two communities from `npm start` (ZOUFANG_DEMO_COMMUNITIES=2), as its people meet
// it in Chromium: the street office on a laptop and on a phone sees both communities' figures and
// the escalated cases and can open no community page; a worker of the second community logs in
// with the name `npm start` printed and gets their own community's households only.

let server: RunningServer
/** The case 和平里's office escalated before the tests. */
let escalatedId = ''

async function api(path: string, token: string | null, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}
const loginApi = async (username: string) => ((await (await api('/api/auth/login', null, { username, password: 'zoufang' })).json()) as { token: string }).token

beforeAll(async () => {
  server = await startServer({ ZOUFANG_DEMO_COMMUNITIES: '2', ZOUFANG_DEMO_HOUSEHOLDS: '200' })
  // 和平里's secretary escalates one of its open cases to the street (上报街道).
  const token = await loginApi('heping-secretary')
  const pulled = (await (await api('/api/sync/pull?limit=2000', token)).json()) as { changes: Array<{ entity: string; id: string; data: { state?: string } }> }
  const open = pulled.changes.find((c) => c.entity === 'case' && ['accepted', 'assigned', 'in_progress'].includes(c.data.state ?? ''))!
  const at = new Date().toISOString()
  const res = await api('/api/sync/push', token, { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), entity: 'case', id: open.id, op: 'transition', data: { stepId: uuidv7(), action: 'escalate', note: '需要街道协调', at }, at }] })
  expect(((await res.json()) as { results: Array<{ status: string }> }).results[0]!.status).toBe('applied')
  escalatedId = open.id
})
afterAll(async () => {
  await server?.stop()
})

async function loginStreet(page: Page, username = 'street', password = 'zoufang'): Promise<string[]> {
  const api: string[] = []
  page.on('request', (r: Request) => {
    const path = new URL(r.url()).pathname
    if (path.startsWith('/api/')) api.push(path)
  })
  await page.goto(server.url)
  await page.waitForURL(/\/login/)
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await page.click('button[type=submit]')
  await page.waitForURL(/\/street/)
  await page.getByTestId('street-table').waitFor()
  return api
}

describe('the street office', () => {
  it('on a laptop: both communities side by side, the escalated cases, no community page, nothing synced', async () => {
    expect(server.output()).toContain('heping-grid01')
    const browser = await launchBrowser()
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage())
      await page.setViewportSize({ width: 1280, height: 800 })
      const api = await loginStreet(page)
      const names = await page.locator('[data-testid=street-table] tbody th').allTextContents()
      expect(names).toEqual(['幸福里社区', '和平里社区'])
      const households = await page.locator('[data-testid=street-table] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[1]!.textContent)))
      for (const n of households) expect(n).toBeGreaterThan(100)
      // The demo escalates a few cases in each community: listed with the community's name.
      const cases = page.getByTestId('street-cases').locator('li')
      expect(await cases.count()).toBeGreaterThan(0)
      const escalated = await page.locator('[data-testid=street-table] tbody td[data-col=escalated]').allTextContents()
      expect(await cases.count()).toBe(escalated.reduce((n, x) => n + Number(x), 0))
      expect(await cases.first().textContent()).toMatch(/幸福里社区|和平里社区/)
      // The map draws every community's grid cells, coloured by priority-household coverage.
      await page.getByTestId('map-legend').filter({ hasText: '重点户走访覆盖' }).waitFor()
      // A community page is not theirs: they are sent back to the street's.
      await page.goto(`${server.url}/households`)
      await page.waitForURL(/\/street/)
      await page.getByTestId('street-table').waitFor()
      expect(api.filter((p) => p.startsWith('/api/sync/'))).toEqual([])
      expect(await page.locator('h1').count()).toBe(1)
    } finally {
      await browser.close()
    }
  })

  it('on a phone (390×844): the table scrolls inside its box, the page does not', async () => {
    const browser = await launchBrowser()
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage())
      await page.setViewportSize({ width: 390, height: 844 })
      await loginStreet(page)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      expect(await page.locator('nav.app-nav a').allTextContents()).toEqual(['街道汇总', '设置'])
    } finally {
      await browser.close()
    }
  })
})

describe('the street office answers an escalated case', () => {
  it('on a laptop: without a note it is said in words; solved, it leaves the list and the community’s office reads who solved it', async () => {
    const browser = await launchBrowser()
    let title = ''
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage())
      await page.setViewportSize({ width: 1280, height: 800 })
      await loginStreet(page)
      const item = page.locator(`[data-testid=street-cases] li[data-case="${escalatedId}"]`)
      title = (await item.locator('strong').textContent())!
      expect(await item.textContent()).toContain('上报理由：需要街道协调')
      const form = item.getByTestId('street-answer')
      await form.locator('[data-action=hand_back]').click()
      await expect.poll(() => form.getByTestId('street-answer-error').textContent()).toBe('请写明办理结果或交回的理由')
      await form.locator('textarea[name=note]').fill('街道协调城管拆除，已恢复通行')
      await form.locator('[data-action=street_resolve]').click()
      await expect.poll(() => page.getByTestId('street-answered').textContent()).toContain(`已办结「${title}」（和平里社区）`)
      expect(await item.count()).toBe(0)
      // The table is read again: 和平里's count is what is still listed for it.
      const listed = await page.locator('[data-testid=street-cases] li').filter({ hasText: '和平里社区' }).count()
      await expect.poll(() => page.locator('[data-testid=street-table] tbody tr[data-community=heping] td[data-col=escalated]').textContent()).toBe(String(listed))
    } finally {
      await browser.close()
    }
    // 和平里's secretary, after a sync: the case is 办结, by the street, with its note.
    const office = await launchBrowser()
    try {
      const page = office.context.pages()[0] ?? (await office.context.newPage())
      await page.setViewportSize({ width: 1280, height: 800 })
      await loginAs(page, server.url, 'heping-secretary')
      await page.goto(`${server.url}/cases/${escalatedId}`)
      await expect.poll(() => page.getByTestId('case-title').textContent()).toBe(title)
      const last = page.getByTestId('case-step').last()
      expect(await last.getAttribute('data-action')).toBe('street_resolve')
      expect(await last.textContent()).toMatch(/街道办结.*街道网格办.*街道协调城管拆除，已恢复通行/)
    } finally {
      await office.close()
    }
  })
})

describe('the street office adds a community', () => {
  it('on a phone: a wrong key is said in words, then the community joins the table and its admin logs in to it', async () => {
    const browser = await launchBrowser()
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage())
      await page.setViewportSize({ width: 390, height: 844 })
      await loginStreet(page)
      const form = page.getByTestId('new-community')
      await form.locator('input[name=name]').fill('东风里社区')
      await form.locator('input[name=key]').fill('Dong Feng')
      await form.locator('input[name=admin-username]').fill('dongfeng-admin')
      await form.locator('input[name=admin-name]').fill('刘主任')
      await form.locator('input[name=admin-password]').fill('kaishi2026')
      await form.locator('[data-action=add-community]').click()
      await expect.poll(() => page.getByTestId('new-community-error').textContent()).toMatch(/^社区代号：代号只能用小写字母/)
      // Nothing was sent: the form kept what was typed.
      expect(await form.locator('input[name=name]').inputValue()).toBe('东风里社区')
      await form.locator('input[name=key]').fill('dongfeng')
      await form.locator('[data-action=add-community]').click()
      await expect.poll(() => page.getByTestId('new-community-made').textContent()).toContain('dongfeng-admin')
      await expect.poll(() => page.locator('[data-testid=street-table] tbody th').allTextContents()).toEqual(['幸福里社区', '和平里社区', '东风里社区'])
      const row = page.locator('[data-testid=street-table] tbody tr[data-community=dongfeng] td')
      expect(await row.nth(1).textContent()).toBe('0')
      // The same key again is refused by the server, in words.
      for (const [name, value] of [['name', '东风里二社区'], ['key', 'dongfeng'], ['admin-username', 'dongfeng-admin2'], ['admin-name', '王'], ['admin-password', 'kaishi2026']] as const)
        await form.locator(`input[name=${name}]`).fill(value)
      await form.locator('[data-action=add-community]').click()
      await expect.poll(() => page.getByTestId('new-community-error').textContent()).toContain('代号“dongfeng”已被使用')
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    } finally {
      await browser.close()
    }
    // Its admin, on a laptop: logs in with the first password, to their own community.
    const admin = await launchBrowser()
    try {
      const page = admin.context.pages()[0] ?? (await admin.context.newPage())
      await page.setViewportSize({ width: 1280, height: 800 })
      await page.goto(server.url)
      await page.waitForURL(/\/login/)
      await page.fill('input[name=username]', 'dongfeng-admin')
      await page.fill('input[name=password]', 'kaishi2026')
      await page.click('button[type=submit]')
      await page.locator('[data-testid=sync-bar][data-synced=yes]').waitFor()
      await page.goto(`${server.url}/admin/users`)
      await expect.poll(() => page.locator('table tbody').textContent()).toContain('dongfeng-admin')
      expect(await page.locator('table tbody tr').count()).toBe(1)
    } finally {
      await admin.close()
    }
  })
})

describe('the street office’s accounts', () => {
  it('on a laptop: its admin adds a staff member, who sees the figures but adds nothing; deactivated, they are logged out', async () => {
    const admin = await launchBrowser()
    const staff = await launchBrowser()
    try {
      const page = admin.context.pages()[0] ?? (await admin.context.newPage())
      await page.setViewportSize({ width: 1280, height: 800 })
      await loginStreet(page)
      await expect.poll(() => page.locator('[data-testid=street-staff] tbody th').allTextContents()).toEqual(['街道网格办', '王干事'])
      const form = page.getByTestId('new-street-staff')
      await form.locator('input[name=staff-name]').fill('陈干事')
      await form.locator('input[name=staff-username]').fill('street-chen')
      await form.locator('input[name=staff-password]').fill('short')
      await form.locator('[data-action=add-staff]').click()
      await expect.poll(() => page.getByTestId('street-staff-error').textContent()).toBe('初始密码：密码至少 8 位')
      await form.locator('input[name=staff-password]').fill('kaishi2026')
      await form.locator('[data-action=add-staff]').click()
      await expect.poll(() => page.getByTestId('street-staff-said').textContent()).toContain('已添加陈干事')
      // The new account, on another laptop: the street's page, without 新增社区 or the accounts.
      const other = staff.context.pages()[0] ?? (await staff.context.newPage())
      await other.setViewportSize({ width: 1280, height: 800 })
      await loginStreet(other, 'street-chen', 'kaishi2026')
      expect(await other.getByTestId('new-community').count()).toBe(0)
      expect(await other.getByTestId('street-staff').count()).toBe(0)
      // Deactivated by the admin: the next thing they ask is refused, and they are back at the login.
      const row = page.locator('[data-testid=street-staff] tbody tr[data-username=street-chen]')
      await row.locator('[data-action=toggle]').click()
      await expect.poll(() => row.locator('[data-col=state]').textContent()).toBe('已停用')
      await other.reload()
      await other.waitForURL(/\/login/)
    } finally {
      await admin.close()
      await staff.close()
    }
  })
})

describe('a worker of the second community', () => {
  it('logs in with the printed name and holds that community’s households only', async () => {
    const browser = await launchBrowser()
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage())
      await page.setViewportSize({ width: 390, height: 844 })
      await loginAs(page, server.url, 'heping-grid01')
      const onDevice = await page.evaluate(
        () =>
          new Promise<string[]>((resolve, reject) => {
            const open = indexedDB.open('zoufang')
            open.onerror = () => reject(open.error)
            open.onsuccess = () => {
              const req = open.result.transaction('households').objectStore('households').getAllKeys()
              req.onsuccess = () => resolve(req.result as string[])
            }
          }),
      )
      expect(onDevice.length).toBeGreaterThan(0)
      // The first community's households, as its secretary's pull gives them: none of them here.
      const first = (await (await api('/api/sync/pull?limit=2000', await loginApi('secretary'))).json()) as { changes: Array<{ entity: string; id: string }> }
      const main = new Set(first.changes.filter((c) => c.entity === 'household').map((c) => c.id))
      expect(main.size).toBeGreaterThan(100)
      expect(onDevice.filter((id) => main.has(id))).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
