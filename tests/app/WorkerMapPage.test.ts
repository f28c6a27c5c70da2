/* eslint-disable vue/one-component-per-file -- small stubs standing in for Leaflet and its layers */
// The worker's map around the map (Leaflet itself is a stub here, see MapPage.test.ts): which
// households are highlighted, where a tap goes, and what happens when the position is refused.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, type PropType } from 'vue'
import { db } from '../../src/app/db/instance'
import { DUE_COLOR, packColor } from '../../src/app/map/colors'
import WorkerMapPage from '../../src/app/pages/WorkerMapPage.vue'
import { ids, validBuilding, validGridCell, validHousehold, validUser, validVisit } from '../support/fixtures'
import { testRouter } from './helpers'
import { putVisits } from '../../src/app/db/visits'

const NEVER = '0190a000-0000-7000-8000-000000000201'
const RECENT = '0190a000-0000-7000-8000-000000000202'

interface Shown {
  ids: string[]
  colors: Uint32Array
  sizes?: Uint8Array
}
let shown: Shown | null = null
let position: unknown = 'unset'
const stubs = {
  MapView: defineComponent({
    props: { bounds: { type: Array as PropType<{ lat: number; lng: number }[]>, default: () => [] } },
    setup: (p, { slots }) => () => h('div', { 'data-testid': 'map', 'data-bounds': JSON.stringify(p.bounds) }, slots.default?.()),
  }),
  MapGridLayer: true,
  MapPointsLayer: defineComponent({
    props: { points: { type: Object as PropType<Shown>, required: true } },
    emits: ['pick'],
    setup(p, { emit }) {
      return () => {
        shown = p.points
        return h('i', { 'data-testid': 'map-points', 'data-count': p.points.ids.length, onClick: () => emit('pick', NEVER) })
      }
    },
  }),
  MapPositionLayer: defineComponent({
    props: { position: { type: Object, default: null } },
    setup(p) {
      return () => {
        position = p.position
        return null
      }
    },
  }),
}

function fakeGeolocation(answer: 'denied' | { lat: number; lng: number }) {
  const geo = {
    watchPosition: vi.fn((ok: PositionCallback, fail: PositionErrorCallback) => {
      setTimeout(() => {
        if (answer === 'denied') fail({ code: 1, PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3, message: 'denied' } as GeolocationPositionError)
        else ok({ coords: { latitude: answer.lat, longitude: answer.lng, accuracy: 12.4 }, timestamp: Date.now() } as GeolocationPosition)
      }, 0)
      return 7
    }),
    clearWatch: vi.fn(),
  }
  Object.defineProperty(navigator, 'geolocation', { value: geo, configurable: true })
  return geo
}

let pinia: Pinia
beforeEach(async () => {
  shown = null
  position = 'unset'
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.put(validGridCell())
  await db.buildings.put(validBuilding())
  await db.households.bulkPut([validHousehold({ id: NEVER, room: '501' }), validHousehold({ id: RECENT, room: '502' }), validHousehold({ id: ids.household, buildingId: null })])
  // Visited yesterday: not due for a month (低保, 重点).
  await putVisits(db, [validVisit({ householdId: RECENT, startedAt: new Date(Date.now() - 86_400_000).toISOString() })])
})
afterEach(() => {
  Reflect.deleteProperty(navigator, 'geolocation')
})

async function mountPage() {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser() }))
  const router = testRouter()
  await router.push('/worker-map')
  const w = mount(WorkerMapPage, { global: { plugins: [pinia, router], stubs } })
  await flushPromises()
  return { w, router }
}

describe('WorkerMapPage', () => {
  it('highlights the overdue household (red, bigger, drawn last) and counts the one without a place', async () => {
    fakeGeolocation('denied')
    const { w } = await mountPage()
    await vi.waitFor(() => expect(shown?.ids).toHaveLength(2))
    await vi.waitFor(() => expect(shown!.ids.at(-1)).toBe(NEVER))
    const never = shown!.ids.indexOf(NEVER)
    const recent = shown!.ids.indexOf(RECENT)
    expect(shown!.colors[never]).toBe(packColor(DUE_COLOR.overdue))
    expect(shown!.sizes![never]).toBe(1)
    expect(shown!.colors[recent]).toBe(packColor(DUE_COLOR.other))
    expect(shown!.sizes![recent]).toBe(0)
    expect(w.get('[data-testid=map-missing]').text()).toBe('1 户没有位置，未显示在地图上')
    expect(w.get('[data-key=overdue] [data-testid=legend-count]').text()).toBe('1')
  })

  it('opens the household page when a dot is tapped', async () => {
    fakeGeolocation('denied')
    const { w, router } = await mountPage()
    await w.get('[data-testid=map-points]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe(`/households/${NEVER}`)
  })

  it('says the position is not shown when permission is refused, and keeps working', async () => {
    fakeGeolocation('denied')
    const { w } = await mountPage()
    await vi.waitFor(() => expect(w.find('[data-testid=position-problem]').exists()).toBe(true))
    expect(w.get('[data-testid=position-problem]').text()).toBe('没有定位权限，地图上不显示你的位置')
    expect(position).toBeNull()
    expect(w.find('[data-testid=map-points]').exists()).toBe(true)
  })

  it('draws the phone\'s position when it is given, and stops watching when the page closes', async () => {
    const geo = fakeGeolocation({ lat: 36.15, lng: 117.15 })
    const { w } = await mountPage()
    await vi.waitFor(() => expect(position).toEqual({ lat: 36.15, lng: 117.15, accuracy: 12 }))
    expect(w.get('[data-testid=position-shown]').text()).toContain('12 米')
    w.unmount()
    expect(geo.clearWatch).toHaveBeenCalledWith(7)
  })

  it('works on a device that cannot locate itself', async () => {
    Object.defineProperty(navigator, 'geolocation', { value: undefined, configurable: true })
    const { w } = await mountPage()
    expect(w.get('[data-testid=position-problem]').text()).toBe('这台设备不能定位')
  })
})

describe('a worker whose cell has no boundary drawn yet', () => {
  it('the map fits to the households of the cell, not to the whole country', async () => {
    fakeGeolocation('denied')
    await db.gridCells.put(validGridCell({ polygon: null }))
    const { w } = await mountPage()
    await vi.waitFor(() => expect(shown?.ids).toHaveLength(2))
    const bounds = JSON.parse(w.get('[data-testid=map]').attributes('data-bounds')!) as { lat: number; lng: number }[]
    const b = validBuilding().location!
    expect(bounds.length).toBeGreaterThan(0)
    for (const p of bounds) expect(Math.abs(p.lat - b.lat) + Math.abs(p.lng - b.lng)).toBeLessThan(0.01)
  })

  it('with a boundary, the map fits to the cell', async () => {
    fakeGeolocation('denied')
    const { w } = await mountPage()
    await vi.waitFor(() => expect(shown?.ids).toHaveLength(2))
    const bounds = JSON.parse(w.get('[data-testid=map]').attributes('data-bounds')!) as { lat: number; lng: number }[]
    expect(bounds).toEqual(validGridCell().polygon!.coordinates[0]!.map(([lng, lat]) => ({ lat, lng })))
  })
})
