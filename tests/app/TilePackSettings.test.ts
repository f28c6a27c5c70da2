import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import BasemapSettings from '../../src/app/components/settings/BasemapSettings.vue'
import TilePackPanel from '../../src/app/components/settings/TilePackPanel.vue'
import { db } from '../../src/app/db/instance'
import { countTiles, polygonBboxes } from '../../src/app/map/tileMath'
import { PACK_RECORD_KEY, TILE_CACHE } from '../../src/app/map/tilePack'
import { validGridCell } from '../support/fixtures'

// The two cards of Settings together, as the page shows them.
const MapSettings = defineComponent({ render: () => h('div', [h(BasemapSettings), h(TilePackPanel)]) })

// A demo-sized grid cell (about 200 m across): 42 tiles at zoom 14–18 (see tileMath.test.ts).
const polygon = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [117.119, 36.1905],
      [117.1212, 36.1906],
      [117.1213, 36.1888],
      [117.1191, 36.1887],
      [117.119, 36.1905],
    ] as [number, number][],
  ],
}
const TILES = countTiles(polygonBboxes([polygon]), 14, 18)

// Cache Storage in memory (happy-dom has none).
class FakeCache {
  entries = new Map<string, Response>()
  async match(req: RequestInfo | URL) {
    return this.entries.get(String(req))?.clone()
  }
  async put(req: RequestInfo | URL, res: Response) {
    this.entries.set(String(req), res)
  }
  async keys() {
    return [...this.entries.keys()].map((u) => new Request(u))
  }
}
class FakeCacheStorage {
  named = new Map<string, FakeCache>()
  async open(name: string) {
    let c = this.named.get(name)
    if (!c) this.named.set(name, (c = new FakeCache()))
    return c
  }
  async has(name: string) {
    return this.named.has(name)
  }
  async delete(name: string) {
    return this.named.delete(name)
  }
}

let pinia: Pinia
let cacheStorage: FakeCacheStorage
let fetchMock: ReturnType<typeof vi.fn>

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  cacheStorage = new FakeCacheStorage()
  vi.stubGlobal('caches', cacheStorage)
  fetchMock = vi.fn(async () => new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]), { headers: { 'content-type': 'image/png' } }))
  vi.stubGlobal('fetch', fetchMock)
  await db.gridCells.put(validGridCell({ polygon }))
})

afterEach(() => {
  vi.unstubAllGlobals()
})

async function mountSettings() {
  const w = mount(MapSettings, { global: { plugins: [pinia] } })
  await flushPromises()
  return w
}
type W = Awaited<ReturnType<typeof mountSettings>>

async function choose(w: W, id: string) {
  await w.get(`input[name=basemap][value="${id}"]`).setValue(true)
  await flushPromises()
}
const problem = (w: W) => w.find('[data-testid="tile-pack-problem"]')
const downloadButton = (w: W) => w.get('[data-action="download-tile-pack"]')

describe('basemap settings and the offline map', () => {
  it('starts with no basemap: nothing to download, and says so', async () => {
    const w = await mountSettings()
    expect((w.get('input[name=basemap][value="none"]').element as HTMLInputElement).checked).toBe(true)
    expect(problem(w).attributes('data-problem')).toBe('no_basemap')
    expect(downloadButton(w).attributes('disabled')).toBeDefined()
    expect(w.find('[data-testid="tile-pack-estimate"]').exists()).toBe(false)
  })

  it('天地图 without a key: the missing-key notice; with a key, the estimate counts map and labels', async () => {
    const w = await mountSettings()
    await choose(w, 'tianditu-vec')
    expect(w.get('[data-testid="basemap-problem"]').attributes('data-problem')).toBe('missing_key')
    expect(w.get('[data-testid="basemap-problem"]').text()).toContain('还没有填天地图密钥')
    expect(problem(w).attributes('data-problem')).toBe('missing_key')
    expect(downloadButton(w).attributes('disabled')).toBeDefined()

    await w.get('input[name=tiandituKey]').setValue('0123abcd')
    await w.get('input[name=tiandituKey]').trigger('change')
    await flushPromises()
    expect(w.find('[data-testid="basemap-problem"]').exists()).toBe(false)
    expect(JSON.parse(localStorage.getItem('zoufang.map')!)).toMatchObject({ basemap: 'tianditu-vec', tiandituKey: '0123abcd' })
    await vi.waitFor(() => expect(w.find('[data-testid="tile-pack-estimate"]').exists()).toBe(true))
    expect(Number(w.get('[data-testid="tile-pack-estimate"]').attributes('data-tiles'))).toBe(TILES * 2)
    expect(downloadButton(w).attributes('disabled')).toBeUndefined()
  })

  it('OSM and AMap: a terms note beside them, offline download shown as disabled', async () => {
    const w = await mountSettings()
    const notes = w.findAll('[data-testid="terms-note"]')
    expect(notes.map((n) => n.element.closest('[data-basemap]')!.getAttribute('data-basemap'))).toEqual(['amap', 'osm'])
    expect(notes[0]!.text()).toContain('不允许批量下载')

    await choose(w, 'osm')
    expect(w.get('[data-testid="offline-forbidden"]').text()).toBe('OpenStreetMap 的服务条款不允许批量下载瓦片，离线地图下载已关闭')
    expect(w.find('[data-testid="offline-disable"]').exists()).toBe(false)
    expect(problem(w).attributes('data-problem')).toBe('not_allowed')
    expect(downloadButton(w).attributes('disabled')).toBeDefined()

    await choose(w, 'amap')
    expect(w.get('[data-testid="offline-forbidden"]').text()).toContain('高德')
    expect(w.text()).toContain('GCJ-02')
    expect(problem(w).attributes('data-problem')).toBe('not_allowed')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('own tile server: the estimate is shown before anything is fetched, then the download fills the cache and the record', async () => {
    const w = await mountSettings()
    await choose(w, 'custom')
    expect(w.get('[data-testid="basemap-problem"]').attributes('data-problem')).toBe('missing_url')

    await w.get('input[name=customUrl]').setValue('tiles.example/{z}/{x}/{y}.png')
    await w.get('input[name=customUrl]').trigger('change')
    expect(w.find('[data-testid="custom-url-invalid"]').exists()).toBe(true)
    expect(JSON.parse(localStorage.getItem('zoufang.map')!).customUrl).toBe('')

    await w.get('input[name=customUrl]').setValue('http://127.0.0.1:9/{z}/{x}/{y}.png')
    await w.get('input[name=customUrl]').trigger('change')
    await flushPromises()
    expect(w.find('[data-testid="custom-url-invalid"]').exists()).toBe(false)
    await vi.waitFor(() => expect(w.find('[data-testid="tile-pack-estimate"]').exists()).toBe(true))
    const estimate = w.get('[data-testid="tile-pack-estimate"]')
    expect(estimate.text()).toBe(`将下载 ${TILES} 张瓦片，约 0.6 MB（估算）`)
    expect((w.get('select[name=minZoom]').element as HTMLSelectElement).value).toBe('14')
    expect((w.get('select[name=maxZoom]').element as HTMLSelectElement).value).toBe('18')
    expect(fetchMock).not.toHaveBeenCalled()
    expect(w.find('[data-testid="tile-pack-progress"]').exists()).toBe(false)

    await downloadButton(w).trigger('click')
    await vi.waitFor(() => expect(w.get('[data-testid="tile-pack-status"]').attributes('data-phase')).toBe('complete'))
    const progress = w.get('[data-testid="tile-pack-progress"]')
    expect([progress.attributes('data-done'), progress.attributes('data-total'), progress.attributes('data-failed')]).toEqual([String(TILES), String(TILES), '0'])
    expect(fetchMock).toHaveBeenCalledTimes(TILES)
    expect(cacheStorage.named.get(TILE_CACHE)!.entries.size).toBe(TILES)
    expect(w.get('[data-testid="tile-pack-record"]').text()).toMatch(new RegExp(`^已下载：${TILES} 张瓦片，约 0\\.1 MB，\\d{4}/`))
    expect(JSON.parse(localStorage.getItem(PACK_RECORD_KEY)!)).toMatchObject({ basemap: 'custom', minZoom: 14, maxZoom: 18, tiles: TILES, complete: true })

    vi.stubGlobal('confirm', () => true)
    await w.get('[data-action="delete-tile-pack"]').trigger('click')
    await flushPromises()
    expect(cacheStorage.named.has(TILE_CACHE)).toBe(false)
    expect(localStorage.getItem(PACK_RECORD_KEY)).toBeNull()
    expect(w.find('[data-testid="tile-pack-record"]').exists()).toBe(false)
    expect(w.get('[data-testid="tile-pack-status"]').text()).toBe('已删除离线地图')
  })

  async function chooseOwnServer(w: W) {
    await choose(w, 'custom')
    await w.get('input[name=customUrl]').setValue('http://127.0.0.1:9/{z}/{x}/{y}.png')
    await w.get('input[name=customUrl]').trigger('change')
    await vi.waitFor(() => expect(w.find('[data-testid="tile-pack-estimate"]').exists()).toBe(true))
  }

  it('a failing tile server: a clear message, and what was stored is kept and recorded', async () => {
    let calls = 0
    fetchMock.mockImplementation(async () =>
      ++calls <= 4 ? new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), { headers: { 'content-type': 'image/png' } }) : new Response('down', { status: 500 }),
    )
    const w = await mountSettings()
    await chooseOwnServer(w)
    await downloadButton(w).trigger('click')
    // 30 failures in a row: the server is taken to be down and the download stops.
    await vi.waitFor(() => expect(w.get('[data-testid="tile-pack-status"]').attributes('data-phase')).toBe('server_down'))
    expect(w.get('[data-testid="tile-pack-status"]').text()).toBe('瓦片服务器连不上（HTTP 500），已停止；已保存的 4 张保留')
    expect(fetchMock.mock.calls.length).toBeLessThan(4 + 30 + 6)
    expect(w.get('[data-testid="tile-pack-progress"]').attributes('data-failed')).toBe(String(TILES - 4))
    expect(cacheStorage.named.get(TILE_CACHE)!.entries.size).toBe(4)
    expect(JSON.parse(localStorage.getItem(PACK_RECORD_KEY)!)).toMatchObject({ tiles: 4, requested: TILES, complete: false })
  })

  it('can be cancelled: the tiles stored so far stay, and the button comes back', async () => {
    let calls = 0
    fetchMock.mockImplementation(async (_url: string, init?: RequestInit) => {
      if (++calls <= 5) return new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), { headers: { 'content-type': 'image/png' } })
      // The rest hang until the download is cancelled.
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
    })
    const w = await mountSettings()
    await chooseOwnServer(w)
    await downloadButton(w).trigger('click')
    await vi.waitFor(() => expect(w.get('[data-testid="tile-pack-progress"]').attributes('data-done')).toBe('5'))
    expect(w.get('[data-testid="tile-pack-status"]').attributes('data-phase')).toBe('running')
    expect(w.find('[data-action="download-tile-pack"]').exists()).toBe(false)
    await w.get('[data-action="cancel-tile-pack"]').trigger('click')
    await vi.waitFor(() => expect(w.get('[data-testid="tile-pack-status"]').attributes('data-phase')).toBe('cancelled'))
    expect(w.get('[data-testid="tile-pack-status"]').text()).toBe('已取消；已保存的 5 张保留')
    expect(cacheStorage.named.get(TILE_CACHE)!.entries.size).toBe(5)
    expect(w.get('[data-testid="tile-pack-record"]').attributes('data-tiles')).toBe('5')
    expect(w.find('[data-action="download-tile-pack"]').exists()).toBe(true)
  })

  it('the per-provider switch forbids offline download for that provider only', async () => {
    const w = await mountSettings()
    await choose(w, 'custom')
    await w.get('input[name=customUrl]').setValue('http://127.0.0.1:9/{z}/{x}/{y}.png')
    await w.get('input[name=customUrl]').trigger('change')
    await vi.waitFor(() => expect(w.find('[data-testid="tile-pack-estimate"]').exists()).toBe(true))
    await w.get('[data-testid="offline-disable"]').setValue(true)
    await flushPromises()
    expect(JSON.parse(localStorage.getItem('zoufang.map')!).offlinePackDisabled).toEqual({ custom: true })
    expect(problem(w).attributes('data-problem')).toBe('disabled')
    expect(downloadButton(w).attributes('disabled')).toBeDefined()

    await choose(w, 'tianditu-img')
    expect((w.get('[data-testid="offline-disable"]').element as HTMLInputElement).checked).toBe(false)
  })

  it('refuses a pack over 20,000 tiles with the count, and a lower zoom brings it back', async () => {
    await db.gridCells.put(
      validGridCell({
        polygon: {
          type: 'Polygon',
          coordinates: [
            [
              [117.0, 36.3],
              [117.3, 36.3],
              [117.3, 36.0],
              [117.0, 36.3],
            ],
          ],
        },
      }),
    )
    const w = await mountSettings()
    await choose(w, 'custom')
    await w.get('input[name=customUrl]').setValue('http://127.0.0.1:9/{z}/{x}/{y}.png')
    await w.get('input[name=customUrl]').trigger('change')
    await vi.waitFor(() => expect(problem(w).attributes('data-problem')).toBe('too_many'))
    expect(problem(w).text()).toMatch(/共要下载 \d+ 张瓦片，超过上限 20000 张/)
    expect(downloadButton(w).attributes('disabled')).toBeDefined()
    await w.get('select[name=maxZoom]').setValue('15')
    await flushPromises()
    expect(problem(w).exists()).toBe(false)
    expect(downloadButton(w).attributes('disabled')).toBeUndefined()
  })
})
