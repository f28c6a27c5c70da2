// The register page around its map (Leaflet is a stub here; tests/e2e/register-import.test.ts
// taps the real one): what it lists, what a tap on the map sends, what it refuses in words.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, onMounted } from 'vue'
import AdminRegisterPage from '../../src/app/pages/AdminRegisterPage.vue'
import { useSyncStore } from '../../src/app/stores/sync'
import { ids, validBuilding, validGridCell, validUser } from '../support/fixtures'
import { apiError, type Call, json, logIn, stubFetch } from './adminTestKit'
import { testRouter } from './helpers'

const ctx = { map: {}, datum: 'wgs84', toMap: (p: unknown) => p, fromMap: (p: unknown) => p }
const stubs = {
  MapView: defineComponent({
    emits: ['ready', 'click'],
    setup(_, { slots, emit }) {
      onMounted(() => emit('ready', ctx))
      return () => h('div', { 'data-testid': 'map', onClick: () => emit('click', { lat: 36.123456789, lng: 117.1 }) }, slots.default?.())
    },
  }),
  MapGridLayer: true,
  RegisterBuildingsLayer: true,
}

const G2 = '0190a000-0000-7000-8000-000000000502'
const located = { ...validBuilding(), households: 12 }
const unlocated = { ...validBuilding({ id: '0190a000-0000-7000-8000-000000000601', number: '2号楼', location: null }), households: 0 }
const emptyCompound = { ...validBuilding({ id: '0190a000-0000-7000-8000-000000000602', gridId: G2, compound: '新建小区', number: '1号楼', location: null }), households: 0 }

function server(over: Partial<Record<string, (c: Call) => Response>> = {}) {
  let buildings = [located, unlocated, emptyCompound]
  return stubFetch((call) => {
    const { pathname } = call.url
    const key = `${call.method} ${pathname.replace(/[0-9a-f-]{36}$/, ':id')}`
    if (over[key]) return over[key]!(call)
    if (key === 'GET /api/admin/register/structure')
      return json({ grids: [{ ...validGridCell(), households: 12 }, { ...validGridCell({ id: G2, code: '014', name: '第十四网格', polygon: null }), households: 0 }], buildings })
    if (key === 'PATCH /api/admin/buildings/:id') {
      const b = buildings.find((x) => pathname.endsWith(x.id))!
      const next = { ...b, ...(call.body as object), location: { ...(call.body as { location: object }).location, accuracy: null, source: 'manual' } }
      const { households, ...record } = next
      void households
      return json(record)
    }
    if (key === 'DELETE /api/admin/buildings/:id') {
      buildings = buildings.filter((x) => !pathname.endsWith(x.id))
      return new Response(null, { status: 204 })
    }
    return apiError(404, 'NOT_FOUND', 'no')
  })
}

let pinia: Pinia
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

async function mountPage(online = true) {
  logIn()
  if (!online) useSyncStore().online = false
  const router = testRouter()
  await router.push('/admin/register')
  const w = mount(AdminRegisterPage, { global: { plugins: [pinia, router], stubs } })
  await flushPromises()
  return w
}

describe('AdminRegisterPage', () => {
  it('lists the buildings without a place, the cells with and without a boundary, and the compounds', async () => {
    server()
    const w = await mountPage()
    const waiting = w.findAll('[data-testid="unlocated-building"]')
    expect(waiting.map((x) => x.attributes('data-id'))).toEqual([unlocated.id, emptyCompound.id])
    expect(w.get('[data-testid="unlocated"] h3').text()).toBe('未定位的楼栋（2）')
    expect(w.get('[data-testid="grid-row"][data-code="014"] [data-testid="no-boundary"]').text()).toBe('未画范围')
    expect(w.get('[data-testid="unbounded-note"]').text()).toBe('1 个网格还没画范围：照常可用，只是地图上不显示覆盖率颜色')
    expect(w.findAll('[data-testid="compound"]').map((c) => c.attributes('data-name'))).toEqual([located.compound, '新建小区'])
  })

  it('「在地图上定位」 then a tap on the map sends that place (WGS-84, six decimals) and takes it off the list', async () => {
    const calls = server()
    const w = await mountPage()
    await w.get(`[data-testid="unlocated-building"][data-id="${unlocated.id}"] [data-action="place"]`).trigger('click')
    expect(w.get('[data-testid="map-hint"]').text()).toContain(`在地图上点一下「${unlocated.compound}2号楼」的位置`)
    await w.get('[data-testid="map"]').trigger('click')
    await flushPromises()
    const patch = calls.find((c) => c.method === 'PATCH')!
    expect(patch.url.pathname).toBe(`/api/admin/buildings/${unlocated.id}`)
    expect(patch.body).toEqual({ location: { lat: 36.123457, lng: 117.1 } })
    expect(w.get('[data-testid="register-flash"]').text()).toBe(`「${unlocated.compound}2号楼」已定位`)
    expect(w.findAll('[data-testid="unlocated-building"]').map((x) => x.attributes('data-id'))).toEqual([emptyCompound.id])
    expect(w.find('[data-testid="map-hint"]').exists()).toBe(false)
  })

  it('a tap on the map does nothing when no building is waiting for a place', async () => {
    const calls = server()
    const w = await mountPage()
    await w.get('[data-testid="map"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([])
  })

  it('only a compound nobody lives in can be retired, with its buildings', async () => {
    const calls = server()
    vi.stubGlobal('confirm', () => true)
    const w = await mountPage()
    const lived = w.get(`[data-testid="compound"][data-name="${located.compound}"]`)
    expect(lived.find('[data-action="retire-compound"]').exists()).toBe(false)
    await w.get('[data-testid="compound"][data-name="新建小区"] [data-action="retire-compound"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url.pathname)).toEqual([`/api/admin/buildings/${emptyCompound.id}`])
    expect(w.get('[data-testid="register-flash"]').text()).toBe('小区「新建小区」已撤销')
    expect(w.find('[data-testid="compound"][data-name="新建小区"]').exists()).toBe(false)
  })

  it('a refusal is shown in the server’s words, and the list is left as it was', async () => {
    server({ 'DELETE /api/admin/buildings/:id': () => apiError(409, 'IN_USE', '楼里还有3户，不能撤销') })
    vi.stubGlobal('confirm', () => true)
    const w = await mountPage()
    await w.get(`[data-testid="building"][data-id="${unlocated.id}"] [data-action="retire-building"]`).trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(w.get('[data-testid="register-error"]').text()).toBe('楼里还有3户，不能撤销'))
    expect(w.find(`[data-testid="building"][data-id="${unlocated.id}"]`).exists()).toBe(true)
  })

  it('offline it says so and asks nothing; a worker is told the page is the admin’s', async () => {
    const calls = server()
    const w = await mountPage(false)
    expect(w.find('[data-testid="admin-offline"]').exists()).toBe(true)
    expect(w.get('[data-testid="register-error"]').text()).toBe('离线时看不到台账，请连上网络再试')
    expect(calls).toEqual([])
    w.unmount()
    logIn(validUser({ id: ids.worker }))
    const router = testRouter()
    await router.push('/admin/register')
    const worker = mount(AdminRegisterPage, { global: { plugins: [createPinia(), router], stubs } })
    await flushPromises()
    expect(worker.find('[data-testid="admin-only"]').exists()).toBe(true)
  })
})
