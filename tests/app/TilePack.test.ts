import { describe, expect, it } from 'vitest'
import { BASEMAPS, DEFAULT_MAP_PREFS, type MapPrefs } from '../../src/app/map/basemaps'
import {
  deletePack,
  downloadPack,
  isTileTemplate,
  loadPackRecord,
  MAX_PACK_TILES,
  megabytes,
  PACK_RECORD_KEY,
  packUrls,
  planPack,
  savePackRecord,
  STOP_AFTER_FAILURES,
  storedTileCount,
  TILE_CACHE,
  type DownloadProgress,
} from '../../src/app/map/tilePack'
import { countTiles, polygonBboxes } from '../../src/app/map/tileMath'

// Cache Storage as the browser has it, in memory (happy-dom has none).
class FakeCache {
  entries = new Map<string, Response>()
  putError: Error | null = null
  async match(req: RequestInfo | URL) {
    return this.entries.get(String(req instanceof Request ? req.url : req))?.clone()
  }
  async put(req: RequestInfo | URL, res: Response) {
    if (this.putError) throw this.putError
    this.entries.set(String(req instanceof Request ? req.url : req), res)
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
  async keys() {
    return [...this.named.keys()]
  }
  async match() {
    return undefined
  }
}
const fakeCaches = () => new FakeCacheStorage()
const asCaches = (c: FakeCacheStorage) => c as unknown as CacheStorage

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])
const tile = (init: ResponseInit = {}) => new Response(PNG, { status: 200, headers: { 'content-type': 'image/png', vary: 'Origin' }, ...init })

// One demo-sized grid cell, and a district far too big for a phone at z18.
const cell = {
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
const district = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [117.0, 36.3],
      [117.3, 36.3],
      [117.3, 36.0],
      [117.0, 36.0],
      [117.0, 36.3],
    ] as [number, number][],
  ],
}
const prefs = (p: Partial<MapPrefs>): MapPrefs => ({ ...DEFAULT_MAP_PREFS, ...p })
const CUSTOM = 'http://127.0.0.1:9/{z}/{x}/{y}.png'

describe('planPack: what a download would be, or why there is none', () => {
  it('refuses with a reason: no basemap, missing key or URL, terms, switched off, no cells, zooms', () => {
    const reason = (p: Partial<MapPrefs>, polys = [cell], min = 14, max = 18) => planPack(prefs(p), polys, min, max).problem
    expect(reason({ basemap: 'none' })).toBe('no_basemap')
    expect(reason({ basemap: 'tianditu-vec' })).toBe('missing_key')
    expect(reason({ basemap: 'custom' })).toBe('missing_url')
    expect(reason({ basemap: 'osm' })).toBe('not_allowed')
    expect(reason({ basemap: 'amap' })).toBe('not_allowed')
    expect(reason({ basemap: 'custom', customUrl: CUSTOM, offlinePackDisabled: { custom: true } })).toBe('disabled')
    expect(reason({ basemap: 'tianditu-img', tiandituKey: 'k', offlinePackDisabled: { 'tianditu-img': true } })).toBe('disabled')
    expect(reason({ basemap: 'custom', customUrl: CUSTOM }, [])).toBe('no_cells')
    expect(reason({ basemap: 'tianditu-vec', tiandituKey: 'k' }, [cell], 14, 19)).toBe('bad_zoom') // Tianditu stops at 18
    expect(reason({ basemap: 'custom', customUrl: CUSTOM }, [cell], 16, 15)).toBe('bad_zoom')
    expect(reason({ basemap: 'custom', customUrl: CUSTOM })).toBeNull()
    expect(reason({ basemap: 'tianditu-vec', tiandituKey: 'k' })).toBeNull()
  })

  it('refuses more than 20,000 tiles but still says how many', () => {
    const r = planPack(prefs({ basemap: 'custom', customUrl: CUSTOM }), [district], 14, 18)
    expect(r.problem).toBe('too_many')
    expect(r.plan!.requests).toBeGreaterThan(MAX_PACK_TILES)
    expect(planPack(prefs({ basemap: 'custom', customUrl: CUSTOM }), [district], 14, 15).problem).toBeNull()
  })

  it('counts Tianditu twice (map and labels) and estimates its size from the layer kinds', () => {
    const tiles = countTiles(polygonBboxes([cell]), 14, 18)
    const vec = planPack(prefs({ basemap: 'tianditu-vec', tiandituKey: 'abc' }), [cell], 14, 18).plan!
    expect(vec.tiles).toBe(tiles)
    expect(vec.requests).toBe(tiles * 2)
    expect(vec.bytes).toBe(tiles * (15_000 + 8_000))
    const img = planPack(prefs({ basemap: 'tianditu-img', tiandituKey: 'abc' }), [cell], 14, 18).plan!
    expect(img.bytes).toBe(tiles * (40_000 + 8_000))
    const own = planPack(prefs({ basemap: 'custom', customUrl: CUSTOM }), [cell], 14, 18).plan!
    expect(own.requests).toBe(tiles)
    expect(own.bytes).toBe(tiles * 15_000)
  })

  it('lists the URLs Leaflet will ask for: subdomain from (x + y), the key in place', () => {
    const plan = planPack(prefs({ basemap: 'tianditu-vec', tiandituKey: ' abc123 ' }), [cell], 15, 15).plan!
    const urls = packUrls(plan)
    expect(urls).toHaveLength(plan.requests)
    expect(new Set(urls).size).toBe(urls.length)
    // 15/27044/12845 and 12846 (see tileMath.test.ts): Leaflet picks subdomains[|x + y| % 8].
    const sub = (27044 + 12846) % 8
    expect(urls).toContain(
      `https://t${sub}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX=15&TILEROW=12846&TILECOL=27044&tk=abc123`,
    )
    expect(urls.filter((u) => u.includes('/cva_w/'))).toHaveLength(plan.tiles)
    const own = packUrls(planPack(prefs({ basemap: 'custom', customUrl: CUSTOM }), [cell], 15, 15).plan!)
    expect(own.sort()).toEqual(['http://127.0.0.1:9/15/27044/12845.png', 'http://127.0.0.1:9/15/27044/12846.png'])
    expect(BASEMAPS.osm.offlinePackAllowed).toBe(false)
  })
})

describe('downloadPack', () => {
  const urls = Array.from({ length: 40 }, (_, i) => `http://tiles.test/18/${i}/7.png`)

  it('stores every tile under its URL, at most 6 at a time, with progress up to done = total', async () => {
    const cs = fakeCaches()
    let inFlight = 0
    let most = 0
    const calls: Array<{ url: string; init: RequestInit | undefined }> = []
    const fetchFn = (async (url: string, init?: RequestInit) => {
      calls.push({ url, init })
      most = Math.max(most, ++inFlight)
      await new Promise((r) => setTimeout(r, 2))
      inFlight--
      return tile()
    }) as typeof fetch
    const seen: DownloadProgress[] = []
    const r = await downloadPack(urls, { fetchFn, cacheStorage: asCaches(cs), onProgress: (p) => seen.push(p) })
    expect(r).toMatchObject({ end: 'complete', total: 40, done: 40, failed: 0, bytes: 40 * PNG.length, lastError: null })
    expect(most).toBe(6)
    expect(calls.every((c) => c.init?.mode === 'cors' && c.init?.credentials === 'omit')).toBe(true)
    const cache = cs.named.get(TILE_CACHE)!
    expect([...cache.entries.keys()].sort()).toEqual([...urls].sort())
    // Stored without Vary (the map's <img> request would not match it) and with its length.
    const stored = cache.entries.get(urls[0]!)!
    expect(stored.headers.get('vary')).toBeNull()
    expect(stored.headers.get('content-type')).toBe('image/png')
    expect(stored.headers.get('content-length')).toBe(String(PNG.length))
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(PNG)
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b))
    expect(seen.at(-1)).toMatchObject({ done: 40, total: 40 })
  })

  it('retries a failed tile once; a tile failing twice is counted, the rest are kept', async () => {
    const cs = fakeCaches()
    const tries = new Map<string, number>()
    const fetchFn = (async (url: string) => {
      const n = (tries.get(url) ?? 0) + 1
      tries.set(url, n)
      if (url === urls[3]) return new Response('busy', { status: 503 })
      if (url === urls[5] && n === 1) throw new TypeError('Failed to fetch')
      return tile()
    }) as typeof fetch
    const r = await downloadPack(urls, { fetchFn, cacheStorage: asCaches(cs) })
    expect(r).toMatchObject({ end: 'partial', done: 39, failed: 1, lastError: 'HTTP 503' })
    expect(tries.get(urls[3]!)).toBe(2)
    expect(tries.get(urls[5]!)).toBe(2)
    expect(tries.get(urls[0]!)).toBe(1)
    expect(cs.named.get(TILE_CACHE)!.entries.size).toBe(39)
  })

  it('takes an error page with status 200 for a failure, not a tile', async () => {
    const cs = fakeCaches()
    const fetchFn = (async () => new Response('<ServiceException>key</ServiceException>', { headers: { 'content-type': 'text/xml' } })) as typeof fetch
    const r = await downloadPack(urls.slice(0, 3), { fetchFn, cacheStorage: asCaches(cs) })
    expect(r).toMatchObject({ end: 'partial', done: 0, failed: 3, lastError: 'text/xml' })
    expect(cs.named.get(TILE_CACHE)!.entries.size).toBe(0)
  })

  it('stops when the server is down, says why, and keeps what it stored', async () => {
    const cs = fakeCaches()
    const many = Array.from({ length: 500 }, (_, i) => `http://tiles.test/18/${i}/9.png`)
    let calls = 0
    const fetchFn = (async () => (++calls <= 10 ? tile() : new Response('', { status: 500 }))) as typeof fetch
    const r = await downloadPack(many, { fetchFn, cacheStorage: asCaches(cs) })
    expect(r.end).toBe('server_down')
    expect(r.lastError).toBe('HTTP 500')
    expect(r.done).toBe(10)
    expect(r.done + r.failed).toBe(500)
    expect(calls).toBeLessThan(10 + STOP_AFTER_FAILURES + 6)
    expect(cs.named.get(TILE_CACHE)!.entries.size).toBe(10)
  })

  it('can be cancelled; the tiles stored so far stay', async () => {
    const cs = fakeCaches()
    const ctl = new AbortController()
    let calls = 0
    const fetchFn = (async (_url: string, init?: RequestInit) => {
      if (++calls === 12) ctl.abort()
      if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError')
      return tile()
    }) as typeof fetch
    const r = await downloadPack(urls, { fetchFn, cacheStorage: asCaches(cs), signal: ctl.signal })
    expect(r.end).toBe('cancelled')
    expect(r.done).toBeGreaterThan(0)
    expect(r.done).toBeLessThan(40)
    expect(cs.named.get(TILE_CACHE)!.entries.size).toBe(r.done)
  })

  it('does not fetch again what an earlier download stored', async () => {
    const cs = fakeCaches()
    const fetched: string[] = []
    const fetchFn = (async (url: string) => (fetched.push(url), tile())) as typeof fetch
    await downloadPack(urls.slice(0, 10), { fetchFn, cacheStorage: asCaches(cs) })
    fetched.length = 0
    const r = await downloadPack(urls.slice(0, 15), { fetchFn, cacheStorage: asCaches(cs) })
    expect(r).toMatchObject({ end: 'complete', done: 15, bytes: 15 * PNG.length })
    expect(fetched.sort()).toEqual(urls.slice(10, 15).sort())
  })

  it('stops on a full disk with its own reason', async () => {
    const cs = fakeCaches()
    ;(await cs.open(TILE_CACHE)).putError = new DOMException('full', 'QuotaExceededError')
    const r = await downloadPack(urls, { fetchFn: (async () => tile()) as typeof fetch, cacheStorage: asCaches(cs) })
    expect(r.end).toBe('quota')
    expect(r.done).toBe(0)
  })
})

describe('the pack record and deleting', () => {
  it('keeps the record in localStorage and deletes it with the cache', async () => {
    const cs = fakeCaches()
    await downloadPack(['http://tiles.test/1/0/0.png'], { fetchFn: (async () => tile()) as typeof fetch, cacheStorage: asCaches(cs) })
    savePackRecord({ basemap: 'custom', minZoom: 15, maxZoom: 16, tiles: 1, requested: 1, bytes: 12, at: '2025-01-02T03:04:05.000Z', complete: true })
    expect(loadPackRecord()).toMatchObject({ basemap: 'custom', tiles: 1 })
    expect(await storedTileCount(asCaches(cs))).toBe(1)
    await deletePack(asCaches(cs))
    expect(await storedTileCount(asCaches(cs))).toBe(0)
    expect(localStorage.getItem(PACK_RECORD_KEY)).toBeNull()
    expect(loadPackRecord()).toBeNull()
    localStorage.setItem(PACK_RECORD_KEY, '{broken')
    expect(loadPackRecord()).toBeNull()
  })

  it('checks a custom tile template and formats megabytes', () => {
    expect(isTileTemplate('https://tiles.example.cn/{z}/{x}/{y}.png')).toBe(true)
    expect(isTileTemplate('/tiles/{z}/{x}/{y}.png')).toBe(true)
    expect(isTileTemplate('tiles.example.cn/{z}/{x}/{y}.png')).toBe(false)
    expect(isTileTemplate('https://tiles.example.cn/{z}/{x}.png')).toBe(false)
    expect(megabytes(0)).toBe('0.0')
    expect(megabytes(2_000)).toBe('0.1')
    expect(megabytes(15 * 1_048_576)).toBe('15.0')
    expect(megabytes(300 * 1_048_576)).toBe('300')
  })
})
