/* eslint-disable vue/one-component-per-file -- small stubs standing in for Leaflet and its layers */
// The secretary's map page around the map: Leaflet needs a real layout (the bench and the
// screenshots drive it in Chromium), so here the map and its layers are stubs that show what the
// page hands them, and the page's own wiring is what is tested: statistics fetched for the
// filters, coverage per grid, households placed or counted as missing, and the offline fallback.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, type PropType } from 'vue'
import { db } from '../../src/app/db/instance'
import { COVERAGE_BANDS, NO_COVERAGE_COLOR } from '../../src/app/map/colors'
import MapPage from '../../src/app/pages/MapPage.vue'
import type { CoverageResponse, GridCoverage, Household, HouseholdStat, HouseholdStatsResponse, User } from '../../src/domain'
import { ids, validBuilding, validGridCell, validHousehold, validUser } from '../support/fixtures'
import { testRouter } from './helpers'

const G2 = '0190a000-0000-7000-8000-0000000000e2'
const B2 = '0190a000-0000-7000-8000-0000000000b2'
const B3 = '0190a000-0000-7000-8000-0000000000b3'
const hid = (k: number) => `0190a000-0000-7000-8000-0000000001${String(k).padStart(2, '0')}`
const secretary = validUser({ id: '0190a000-0000-7000-8000-0000000000d1', username: 'secretary', name: '张书记', role: 'secretary', gridIds: [] })

const households = [
  validHousehold({ id: hid(1), room: '501' }),
  validHousehold({ id: hid(2), room: '502' }),
  validHousehold({ id: hid(3), gridId: G2, buildingId: B2, address: '幸福里小区5号楼1单元101', tags: [], attention: 'normal' }),
  validHousehold({ id: hid(4), gridId: G2, buildingId: B3, address: '幸福里小区6号楼1单元101' }), // building without a location
  validHousehold({ id: hid(5), gridId: G2, buildingId: null, unit: null, floor: null, room: null, address: '后街平房12号' }), // no building
]

function coverage(gridId: string, c: number | null): GridCoverage {
  return { gridId, households: 10, needed: c === null ? 0 : 4, neededVisited: c === null ? 0 : Math.round(c * 4), coverage: c, visitsInPeriod: 3, overdue: 1, never: 0 }
}

let requests: string[] = []
let online = true
function stubFetch() {
  requests = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      requests.push(`${url} ${(init?.headers as Record<string, string> | undefined)?.authorization ?? ''}`)
      if (!online) throw new TypeError('Failed to fetch')
      const u = new URL(url, 'http://x')
      const from = u.searchParams.get('from')!
      const to = u.searchParams.get('to')!
      const gridId = u.searchParams.get('gridId')
      let body: unknown
      if (u.pathname === '/api/stats/households') {
        const list = households.filter((x) => !gridId || x.gridId === gridId)
        // The first household missed a promised follow-up; the rest were visited and are fine.
        const stat = (x: Household, i: number): HouseholdStat =>
          i === 0
            ? { id: x.id, gridId: x.gridId, state: 'followup_missed', dueDay: '2026-11-10', followUp: true, visited: false, lastCompletedAt: null, visitsInPeriod: 1, needed: true }
            : { id: x.id, gridId: x.gridId, state: 'ok', dueDay: '2027-01-10', followUp: false, visited: true, lastCompletedAt: null, visitsInPeriod: 1, needed: true }
        body = { from, to, households: list.map(stat) } satisfies HouseholdStatsResponse
      } else if (u.pathname === '/api/stats/coverage') {
        body = { from, to, grids: [coverage(ids.grid, 0.75), coverage(G2, null)].filter((g) => !gridId || g.gridId === gridId) } satisfies CoverageResponse
      } else return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no' } }), { status: 404 })
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
    }),
  )
}

// Stubs standing in for Leaflet: each shows what the page gave it.
const stubs = {
  MapView: defineComponent({ props: { fitKey: { type: String, default: '' } }, setup: (p, { slots }) => () => h('div', { 'data-testid': 'map', 'data-fit-key': p.fitKey }, slots.default?.()) }),
  MapPointsLayer: defineComponent({
    props: { points: { type: Object as PropType<{ ids: string[] }>, required: true } },
    emits: ['pick'],
    setup: (p, { emit }) => () => h('i', { 'data-testid': 'map-points', 'data-count': p.points.ids.length, 'data-ids': p.points.ids.join(','), onClick: () => emit('pick', p.points.ids[0]) }),
  }),
  MapGridLayer: defineComponent({
    props: { grids: { type: Array as PropType<{ id: string; fill: string }[]>, required: true } },
    setup: (p) => () => h('i', { 'data-testid': 'grid-layer', 'data-fills': p.grids.map((g) => `${g.id}=${g.fill}`).join(',') }),
  }),
  MapCaseLayer: defineComponent({ props: { cases: { type: Array, required: true } }, setup: (p) => () => h('i', { 'data-testid': 'case-layer', 'data-count': p.cases.length }) }),
  MapTrailLayer: true,
}

let pinia: Pinia
beforeEach(async () => {
  online = true
  stubFetch()
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.bulkPut([validGridCell(), validGridCell({ id: G2, code: 'G02', name: '幸福里第二网格' })])
  await db.buildings.bulkPut([
    validBuilding(),
    validBuilding({ id: B2, gridId: G2, number: '5号楼', location: { lat: 36.16, lng: 117.16, accuracy: null, source: 'register' } }),
    validBuilding({ id: B3, gridId: G2, number: '6号楼', location: null }),
  ])
  await db.households.bulkPut(households)
})
// Not after each: a request the page starts as a test ends (worker names) must not reach the network.
afterAll(() => vi.unstubAllGlobals())

async function mountAs(user: User = secretary) {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 'tok', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  const router = testRouter()
  await router.push('/map')
  const w = mount(MapPage, { global: { plugins: [pinia, router], stubs } })
  await flushPromises()
  return { w, router }
}
type W = Awaited<ReturnType<typeof mountAs>>['w']
const row = (w: W, gridId: string) => w.get(`[data-testid=grid-coverage][data-grid="${gridId}"]`)
const drawnCount = (w: W) => Number(w.get('[data-testid=map-points]').attributes('data-count'))

describe('MapPage (secretary)', () => {
  it('fetches the statistics for the last 30 days with the session token, and lists coverage per grid cell', async () => {
    const { w } = await mountAs()
    await vi.waitFor(() => expect(row(w, ids.grid).attributes('data-coverage')).toBe('75'))
    expect(row(w, ids.grid).text()).toContain('幸福里第一网格 – 覆盖率 75%')
    expect(row(w, G2).attributes('data-coverage')).toBe('')
    expect(row(w, G2).text()).toContain('幸福里第二网格 – 覆盖率 —')
    const hh = requests.find((r) => r.startsWith('/api/stats/households'))!
    const q = new URL(hh.split(' ')[0]!, 'http://x').searchParams
    expect(Date.parse(q.get('to')!) - Date.parse(q.get('from')!)).toBe(29 * 86_400_000)
    expect(hh.endsWith('Bearer tok')).toBe(true)
    expect(requests.some((r) => r.startsWith('/api/stats/coverage'))).toBe(true)
  })

  it('colours each grid cell by its coverage band (grey when nothing was needed)', async () => {
    const { w } = await mountAs()
    const band75 = COVERAGE_BANDS.find((b) => 0.75 >= b.min && 0.75 < b.max)!.color
    await vi.waitFor(() => expect(w.get('[data-testid=grid-layer]').attributes('data-fills')).toBe(`${ids.grid}=${band75},${G2}=${NO_COVERAGE_COLOR}`))
  })

  it('a grid cell without a boundary is not drawn, still counted in the table, and the map says so', async () => {
    await db.gridCells.put(validGridCell({ id: G2, code: 'G02', name: '幸福里第二网格', polygon: null }))
    const { w } = await mountAs()
    await vi.waitFor(() => expect(row(w, ids.grid).attributes('data-coverage')).toBe('75'))
    expect(w.get('[data-testid=grid-layer]').attributes('data-fills')).not.toContain(G2)
    expect(row(w, G2).text()).toContain('幸福里第二网格')
    expect(w.get('[data-testid=map-unbounded]').text()).toBe('幸福里第二网格 还没画网格范围，地图上不显示覆盖率颜色（下面的表里照常统计）。管理员可在「台账」页画范围。')
  })

  it('no such notice when every cell has its boundary', async () => {
    const { w } = await mountAs()
    await vi.waitFor(() => expect(row(w, ids.grid).attributes('data-coverage')).toBe('75'))
    expect(w.find('[data-testid=map-unbounded]').exists()).toBe(false)
  })

  it('draws every household that has a place and says how many have none', async () => {
    const { w } = await mountAs()
    await vi.waitFor(() => expect(drawnCount(w)).toBe(3))
    expect(w.get('[data-testid=map-missing]').text()).toBe('2 户没有位置，未显示在地图上')
    // Overdue households (a missed follow-up is one) are drawn last, on top of the others, in red,
    // and counted with the overdue: the coverage list's 逾期 counts them too.
    expect(w.get('[data-testid=map-points]').attributes('data-ids')!.split(',').at(-1)).toBe(hid(1))
    expect(w.get('[data-key=overdue] [data-testid=legend-count]').text()).toBe('1')
    expect(w.get('[data-key=visited] [data-testid=legend-count]').text()).toBe('4')
  })

  it('asks again for the chosen grid cell and shows only its households', async () => {
    const { w } = await mountAs()
    await vi.waitFor(() => expect(drawnCount(w)).toBe(3))
    await w.get('select[name=gridId]').setValue(G2)
    await flushPromises()
    await vi.waitFor(() => expect(drawnCount(w)).toBe(1))
    expect(requests.some((r) => r.includes(`gridId=${G2}`))).toBe(true)
    expect(w.get('[data-testid=map]').attributes('data-fit-key')).toBe(`grid:${G2}`)
    expect(w.get('[data-testid=map-missing]').text()).toBe('2 户没有位置，未显示在地图上')
  })

  it('opens the household panel when a dot is tapped', async () => {
    const { w } = await mountAs()
    await vi.waitFor(() => expect(drawnCount(w)).toBe(3))
    await w.get('[data-testid=map-points]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(w.find('[data-testid=map-household-popup]').exists()).toBe(true))
    expect(w.get('[data-testid=map-household-popup]').attributes('data-household')).toBeTruthy()
  })

  it('offline with nothing fetched before: shows the device\'s households and cases and says coverage needs a connection', async () => {
    online = false
    const { w } = await mountAs()
    await vi.waitFor(() => expect(w.find('[data-testid=map-stats-note]').text()).toContain('覆盖率和住户走访状态需要联网获取'))
    expect(drawnCount(w)).toBe(3)
    expect(row(w, ids.grid).attributes('data-coverage')).toBe('')
  })

  it('offline after an earlier fetch: shows the last aggregates and says when they are from', async () => {
    const first = await mountAs()
    await vi.waitFor(() => expect(row(first.w, ids.grid).attributes('data-coverage')).toBe('75'))
    first.w.unmount()
    // A new session of the app: fresh stores, no connection.
    online = false
    pinia = createPinia()
    setActivePinia(pinia)
    const { w } = await mountAs()
    await vi.waitFor(() => expect(w.find('[data-testid=map-stats-note]').text()).toMatch(/^没有联网：覆盖率是 .* 获取的/))
    expect(row(w, ids.grid).attributes('data-coverage')).toBe('75')
  })

  it('sends a grid worker to the map of their own cells', async () => {
    const { router } = await mountAs(validUser())
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/worker-map')
  })
})
