import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import AdminAuditPage from '../../src/app/pages/AdminAuditPage.vue'
import type { AuditEntry } from '../../src/domain/schemas/admin'
import { adminUser, ids } from '../support/fixtures'
import { type Call, json, logIn, stubFetch } from './adminTestKit'
import { testRouter } from './helpers'

const entry = (id: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: '2026-11-20T02:30:00.000Z',
  userId: adminUser.id,
  userName: '李管理',
  action: 'login',
  subjectType: null,
  subjectId: null,
  details: {},
  ...over,
})
const users = [{ id: ids.worker, username: 'gaoxy', name: '高欣妍', role: 'worker', gridIds: [], sensitiveTags: false, active: true, createdAt: '2026-01-01T00:00:00.000Z' }]

let pinia: Pinia
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

function server(total = 2, entries?: AuditEntry[]): Call[] {
  return stubFetch(({ url }) => {
    if (url.pathname === '/api/admin/users') return json({ users })
    if (url.pathname === '/api/admin/audit')
      return json({
        entries: entries ?? [
          entry(2, { action: 'reveal_id_number', userName: '高欣妍', subjectType: 'resident', subjectId: ids.resident }),
          entry(1, { at: '2026-11-19T01:00:00.000Z' }),
        ],
        total,
      })
    if (url.pathname === '/api/admin/audit.csv') return new Response('时间,用户\n', { headers: { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('审计日志.csv')}` } })
    return json({ error: { code: 'NOT_FOUND', message: 'no' } }, 404)
  })
}
const auditCalls = (calls: Call[]) => calls.filter((c) => c.url.pathname === '/api/admin/audit').map((c) => c.url.searchParams)

async function mountPage() {
  logIn()
  const router = testRouter()
  await router.push('/admin/audit')
  const w = mount(AdminAuditPage, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return w
}

describe('AdminAuditPage', () => {
  it('says what was done to what, and by whom, in words: no ids, no JSON', async () => {
    server(3, [
      entry(3, { action: 'assign_grid', subjectType: 'grid', subjectId: ids.grid, details: { workerId: ids.worker, from: [] } }),
      entry(2, { action: 'user_update', subjectType: 'user', subjectId: ids.worker, details: { username: 'gaoxy', changed: { name: '高欣妍', active: false } } }),
      entry(1, { action: 'export', subjectType: 'export', subjectId: 'visits', details: { kind: 'visits', format: 'xlsx', filters: { from: '2026-11-01' }, rows: 120 } }),
    ])
    const w = await mountPage()
    const rows = w.findAll('[data-testid="audit-row"]')
    expect(rows[0]!.get('[data-col="details"]').text()).toContain('网格员 高欣妍 (gaoxy)')
    expect(rows[1]!.get('[data-col="subject"]').text()).toBe('用户 高欣妍 (gaoxy)')
    expect(rows[1]!.get('[data-col="details"]').text()).toContain('改了 name、active')
    expect(rows[2]!.get('[data-col="subject"]').text()).toBe('导出 走访记录')
    expect(rows[2]!.get('[data-col="details"]').text()).toContain('行数 120')
    const text = w.get('table').text()
    expect(text).not.toContain(ids.worker)
    expect(text).not.toMatch(/[{}"]/)
  })

  it('renders the entries as the server orders them (newest first), first page of 50', async () => {
    const calls = server()
    const w = await mountPage()
    const rows = w.findAll('[data-testid="audit-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.get('[data-col="action"]').text()).toBe('查看身份证号')
    expect(rows[0]!.get('[data-col="user"]').text()).toBe('高欣妍')
    // What was touched, in words: not the raw entity name and id.
    expect(rows[0]!.get('[data-col="subject"]').text()).toBe('居民')
    expect(rows[0]!.text()).not.toContain(ids.resident)
    expect(rows[1]!.get('[data-col="action"]').text()).toBe('登录')
    expect(rows[0]!.get('[data-col="at"]').text()).toContain('2026')
    const [first] = auditCalls(calls)
    expect(first!.get('limit')).toBe('50')
    expect(first!.get('offset')).toBe('0')
    expect(w.get('[data-testid="audit-page"]').text()).toBe('第 1–2 条，共 2 条')
  })

  it('passes the filters in the query, dates as China days, and pages on', async () => {
    const calls = server(120)
    const w = await mountPage()
    await w.get('input[name="from"]').setValue('2026-11-01')
    await w.get('input[name="to"]').setValue('2026-11-20')
    await w.get('select[name="action"]').setValue('reveal_id_number')
    await w.get('select[name="user"]').setValue(ids.worker)
    await w.get('[data-testid="audit-filters"]').trigger('submit')
    await flushPromises()
    const q = auditCalls(calls).at(-1)!
    expect(q.get('from')).toBe('2026-11-01T00:00:00+08:00')
    expect(q.get('to')).toBe('2026-11-20T23:59:59.999+08:00')
    expect(q.get('action')).toBe('reveal_id_number')
    expect(q.get('userId')).toBe(ids.worker)
    expect(q.get('offset')).toBe('0')

    await w.get('[data-action="next"]').trigger('click')
    await flushPromises()
    const next = auditCalls(calls).at(-1)!
    expect(next.get('offset')).toBe('50')
    expect(next.get('action')).toBe('reveal_id_number')
  })

  it('exports CSV with the same filters', async () => {
    const calls = server()
    const saved: string[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:x')
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download)
    })
    const w = await mountPage()
    await w.get('select[name="action"]').setValue('export')
    await w.get('[data-action="export-csv"]').trigger('click')
    await flushPromises()
    const csv = calls.find((c) => c.url.pathname === '/api/admin/audit.csv')!
    expect(csv.url.searchParams.get('action')).toBe('export')
    expect(csv.url.searchParams.has('limit')).toBe(false)
    expect(saved).toEqual(['审计日志.csv'])
  })
})
