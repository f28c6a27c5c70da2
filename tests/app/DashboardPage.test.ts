import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setMeta } from '../../src/app/db/database'
import { db } from '../../src/app/db/instance'
import DashboardPage from '../../src/app/pages/DashboardPage.vue'
import type { CachedDashboard } from '../../src/app/stores/stats'
import { useSyncStore } from '../../src/app/stores/sync'
import type { DashboardResponse, DashboardRow, User } from '../../src/domain'
import { chinaDay, dayNumber, dayString } from '../../src/domain/coverage'
import { ids, validUser } from '../support/fixtures'
import { testRouter } from './helpers'

const secretary = validUser({ id: '0190a000-0000-7000-8000-0000000000d1', username: 'secretary', name: '张书记', role: 'secretary', gridIds: [] })
const grid2 = '0190a000-0000-7000-8000-0000000000e2'
const worker2 = '0190a000-0000-7000-8000-0000000000e3'

const row = (key: string, label: string, over: Partial<DashboardRow> = {}): DashboardRow => ({
  key,
  label,
  visits: 40,
  vulnerableNeeded: 4,
  vulnerableVisited: 3,
  vulnerableCoverage: 0.75,
  overdue: 2,
  openCases: 3,
  overdueCases: 1,
  weekly: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  ...over,
})
function response(from: string, to: string, visits = 40): DashboardResponse {
  const weeks = Array.from({ length: 12 }, (_, i) => dayString(dayNumber('2026-11-16') - (11 - i) * 7))
  return {
    from,
    to,
    weeks,
    byGrid: [row(ids.grid, '幸福里第一网格', { visits }), row(grid2, '幸福里第二网格', { visits: 7, vulnerableCoverage: null, vulnerableNeeded: 0, vulnerableVisited: 0 })],
    byWorker: [row(ids.worker, '高欣妍', { visits }), row(worker2, '田俊杰', { visits: 7 })],
  }
}

type Handler = (url: URL) => Response | Promise<Response>
let fetchMock: ReturnType<typeof vi.fn>
function stubFetch(handler: Handler) {
  fetchMock = vi.fn(async (input: RequestInfo | URL) => handler(new URL(String(input), 'http://localhost')))
  vi.stubGlobal('fetch', fetchMock)
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
/** Answers every dashboard request with figures for the period asked; `visits` tells which answer it was. */
const answering = (visits = 40): Handler => (url) => json(response(url.searchParams.get('from')!, url.searchParams.get('to')!, visits))
const dashboardCalls = () => fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://localhost')).filter((u) => u.pathname === '/api/stats/dashboard')

let pinia: Pinia
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

async function mountAs(user: User = secretary, beforeMount?: () => void) {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 'tok-1', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  beforeMount?.()
  const router = testRouter()
  await router.push('/dashboard')
  const w = mount(DashboardPage, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return { w, router }
}
type W = Awaited<ReturnType<typeof mountAs>>['w']
const cell = (w: W, group: 'grid' | 'worker', key: string, col: string) =>
  w.get(`table[data-group="${group}"] [data-testid="dashboard-row"][data-key="${key}"] [data-col="${col}"]`).text()
const labels = (w: W, group: 'grid' | 'worker') => w.findAll(`table[data-group="${group}"] [data-col="label"]`).map((c) => c.text())

describe('DashboardPage', () => {
  it('shows per grid cell and per worker tables from the server, with the session token', async () => {
    stubFetch(answering())
    const { w } = await mountAs()
    await vi.waitFor(() => expect(labels(w, 'grid')).toEqual(['幸福里第一网格', '幸福里第二网格']))
    expect(labels(w, 'worker')).toEqual(['高欣妍', '田俊杰'])
    expect(cell(w, 'grid', ids.grid, 'visits')).toBe('40')
    expect(cell(w, 'grid', ids.grid, 'coverage')).toMatch(/^75%\s*3\/4户$/)
    expect(cell(w, 'grid', grid2, 'coverage')).toMatch(/^—\s*0\/0户$/)
    expect(cell(w, 'grid', ids.grid, 'overdue')).toBe('2')
    expect(cell(w, 'grid', ids.grid, 'openCases')).toBe('3')
    expect(cell(w, 'grid', ids.grid, 'overdueCases')).toBe('1')
    expect(cell(w, 'worker', worker2, 'visits')).toBe('7')
    // Twelve weekly bars per row, and the total chart.
    expect(w.findAll(`[data-key="${ids.grid}"] .dashboard-spark rect`)).toHaveLength(12)
    // The chart sums the grid cells' weeks (1…12 twice).
    expect(w.findAll('[data-testid="week-chart"] text.value').map((x) => Number(x.text()))).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24])
    // Last 30 days ending today, China time; the token goes in the header.
    const [call] = dashboardCalls()
    const today = chinaDay(Date.now())
    expect(call!.searchParams.get('to')).toBe(today)
    expect(call!.searchParams.get('from')).toBe(dayString(dayNumber(today) - 29))
    expect((fetchMock.mock.calls[0]![1] as RequestInit).headers).toMatchObject({ authorization: 'Bearer tok-1' })
    expect(w.find('[data-testid="dashboard-stale"]').exists()).toBe(false)
    // Kept for offline use.
    const cached = (await db.meta.get('stats:dashboard'))?.value as CachedDashboard
    expect(cached.data.byGrid[0]!.visits).toBe(40)
  })

  it('fetches again when the period changes, and shows the new figures', async () => {
    let answer = 40
    stubFetch((url) => answering(answer)(url))
    const { w } = await mountAs()
    await vi.waitFor(() => expect(cell(w, 'grid', ids.grid, 'visits')).toBe('40'))
    expect(dashboardCalls()).toHaveLength(1)

    answer = 12
    await w.get('[data-testid="preset-7"]').trigger('click')
    await flushPromises()
    expect(dashboardCalls()).toHaveLength(2)
    const today = chinaDay(Date.now())
    expect(dashboardCalls()[1]!.searchParams.get('from')).toBe(dayString(dayNumber(today) - 6))
    await vi.waitFor(() => expect(cell(w, 'grid', ids.grid, 'visits')).toBe('12'))

    answer = 99
    // setValue fires input, then change (what a date picker does when a day is picked).
    await w.get('input[name="from"]').setValue('2026-09-01')
    await flushPromises()
    expect(dashboardCalls()).toHaveLength(3)
    expect(dashboardCalls()[2]!.searchParams.get('from')).toBe('2026-09-01')
    await vi.waitFor(() => expect(cell(w, 'grid', ids.grid, 'visits')).toBe('99'))

    // A period the server would refuse is not sent: the reason is shown instead.
    await w.get('input[name="to"]').setValue('2026-08-01')
    await flushPromises()
    expect(dashboardCalls()).toHaveLength(3)
    expect(w.get('[data-testid="period-problem"]').text()).toBe('开始日期不能晚于结束日期')
  })

  it('offline: shows the cached figures with their date, fetches nothing, and disables exports with the reason', async () => {
    stubFetch(answering())
    const fetchedAt = '2026-11-20T06:30:00.000Z'
    await setMeta(db, 'stats:dashboard', { query: { from: '2026-10-22', to: '2026-11-20' }, data: response('2026-10-22', '2026-11-20', 55), fetchedAt } satisfies CachedDashboard)
    const { w } = await mountAs(secretary, () => (useSyncStore(pinia).online = false))
    await vi.waitFor(() => expect(cell(w, 'grid', ids.grid, 'visits')).toBe('55'))
    expect(fetchMock).not.toHaveBeenCalled()
    const stale = w.get('[data-testid="dashboard-stale"]').text()
    expect(stale).toContain('数据截至')
    expect(stale).toContain('2026-10-22 至 2026-11-20')
    expect(stale).toContain('离线')
    const buttons = w.findAll('[data-testid^="export-"]').filter((b) => b.element.tagName === 'BUTTON')
    expect(buttons).toHaveLength(6)
    expect(buttons.every((b) => (b.element as HTMLButtonElement).disabled)).toBe(true)
    expect(w.get('[data-testid="export-disabled"]').text()).toContain('离线时不能导出')

    // Back online: fresh figures replace the cached ones.
    useSyncStore(pinia).online = true
    await flushPromises()
    await vi.waitFor(() => expect(cell(w, 'grid', ids.grid, 'visits')).toBe('40'))
    expect(w.find('[data-testid="dashboard-stale"]').exists()).toBe(false)
  })

  it('when the server cannot be reached, keeps showing the last figures and says why', async () => {
    await setMeta(db, 'stats:dashboard', { query: { from: '2026-10-22', to: '2026-11-20' }, data: response('2026-10-22', '2026-11-20', 55), fetchedAt: '2026-11-20T06:30:00.000Z' } satisfies CachedDashboard)
    stubFetch(() => {
      throw new TypeError('Failed to fetch')
    })
    const { w } = await mountAs()
    await vi.waitFor(() => expect(w.find('[data-testid="dashboard-error"]').exists()).toBe(true))
    expect(w.get('[data-testid="dashboard-error"]').text()).toContain('网络不通')
    expect(cell(w, 'grid', ids.grid, 'visits')).toBe('55')
    expect(w.get('[data-testid="dashboard-stale"]').text()).toContain('数据截至')
  })

  it('exports: downloads the file under the name the server gave', async () => {
    const filename = '走访-2026-10-22至2026-11-20.xlsx'
    stubFetch((url) =>
      url.pathname.startsWith('/api/exports/')
        ? new Response(new Blob(['PK']), { status: 200, headers: { 'content-disposition': `attachment; filename="zoufang-visits.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}` } })
        : answering()(url),
    )
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:zoufang/1')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const clicked: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download)
    })
    const { w } = await mountAs()
    await vi.waitFor(() => expect(labels(w, 'grid')).toHaveLength(2))
    await w.get('[data-testid="export-visits-xlsx"]').trigger('click')
    await flushPromises()
    const call = fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://localhost')).find((u) => u.pathname === '/api/exports/visits.xlsx')!
    expect(call.searchParams.get('to')).toBe(chinaDay(Date.now()))
    expect(clicked).toEqual([filename])
    expect(createObjectURL).toHaveBeenCalledTimes(1)
    expect(w.find('[data-testid="export-error"]').exists()).toBe(false)
  })

  it('sends a worker away', async () => {
    stubFetch(answering())
    const { w, router } = await mountAs(validUser())
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/'))
    expect(w.find('table').exists()).toBe(false)
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
