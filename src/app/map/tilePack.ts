// 离线地图包: the basemap tiles over the worker's own grid cells, downloaded while online into
// Cache Storage under the exact URLs Leaflet will ask for, so the service worker (vite.config.ts,
// runtimeCaching 'zoufang-tiles', cache first) answers the map's tile requests with no network.
// No Leaflet here, and no Dexie: the caller hands in the grid polygons.

import { isQuotaError } from '../i18n/saveError'
import { type Basemap, type BasemapId, type MapPrefs, offlinePackAllowed, resolveBasemap, tileUrl } from './basemaps'
import { type Bbox, countTiles, coverTiles, estimateBytes, polygonBboxes, type TileKind } from './tileMath'

/** The Cache Storage cache the service worker reads tiles from (same name in vite.config.ts). */
export const TILE_CACHE = 'zoufang-tiles'
/** Where the record of the downloaded pack lives (device-level, like the map settings). */
export const PACK_RECORD_KEY = 'zoufang.tilePack'
/** More requests than this is not "my grid" any more; a phone should not spend an hour on it. */
export const MAX_PACK_TILES = 20_000
export const DEFAULT_MIN_ZOOM = 14
export const DEFAULT_MAX_ZOOM = 18
export const DOWNLOAD_CONCURRENCY = 6
/** Consecutive failures (after which the server is taken to be down and the download stops). */
export const STOP_AFTER_FAILURES = 30

export type PlanProblem = 'no_basemap' | 'missing_key' | 'missing_url' | 'not_allowed' | 'disabled' | 'no_cells' | 'bad_zoom' | 'too_many'

export interface PackPlan {
  basemap: Basemap
  key: string
  minZoom: number
  maxZoom: number
  bboxes: Bbox[]
  /** Distinct tile positions covering the cells at every zoom. */
  tiles: number
  /** Requests to make: positions × layers (Tianditu draws labels as a second layer). */
  requests: number
  /** Rough size, from BYTES_PER_TILE. */
  bytes: number
}

export interface PackPlanResult {
  /** Present whenever counting made sense (also with 'too_many', to say how many). */
  plan: PackPlan | null
  problem: PlanProblem | null
}

export interface PackRecord {
  basemap: BasemapId
  minZoom: number
  maxZoom: number
  /** Tiles (requests) stored by the last download. */
  tiles: number
  /** Tiles the pack should have held; more than `tiles` when some failed or it was cancelled. */
  requested: number
  bytes: number
  /** ISO time the download ended. */
  at: string
  complete: boolean
}

/** What each layer of a basemap is, for the size estimate. */
export function layerKinds(b: Basemap): TileKind[] {
  if (b.id === 'tianditu-img') return ['image', 'labels']
  if (b.id === 'tianditu-vec') return ['vector', 'labels']
  return b.layers.map(() => 'vector')
}

type PolygonLike = { coordinates: ReadonlyArray<ReadonlyArray<readonly [number, number]>> }

/** What a download of the grid cells would be, or why there can be none. */
export function planPack(prefs: MapPrefs, polygons: readonly PolygonLike[], minZoom: number, maxZoom: number): PackPlanResult {
  const { basemap, problem } = resolveBasemap(prefs)
  if (problem) return { plan: null, problem }
  if (basemap.id === 'none' || basemap.layers.length === 0) return { plan: null, problem: 'no_basemap' }
  if (!basemap.offlinePackAllowed) return { plan: null, problem: 'not_allowed' }
  if (!offlinePackAllowed(basemap, prefs)) return { plan: null, problem: 'disabled' }
  if (!Number.isInteger(minZoom) || !Number.isInteger(maxZoom) || minZoom < 0 || maxZoom > basemap.maxZoom || minZoom > maxZoom)
    return { plan: null, problem: 'bad_zoom' }
  const bboxes = polygonBboxes(polygons)
  if (bboxes.length === 0) return { plan: null, problem: 'no_cells' }
  const tiles = countTiles(bboxes, minZoom, maxZoom)
  const requests = tiles * basemap.layers.length
  const plan: PackPlan = { basemap, key: prefs.tiandituKey.trim(), minZoom, maxZoom, bboxes, tiles, requests, bytes: estimateBytes(tiles, layerKinds(basemap)) }
  return { plan, problem: requests > MAX_PACK_TILES ? 'too_many' : null }
}

/** Every URL of the pack, exactly as Leaflet will request it (same subdomain rule, same key). */
export function packUrls(plan: PackPlan): string[] {
  const urls: string[] = []
  for (const t of coverTiles(plan.bboxes, plan.minZoom, plan.maxZoom)) for (const layer of plan.basemap.layers) urls.push(tileUrl(layer, t.z, t.x, t.y, plan.key))
  return urls
}

export interface DownloadProgress {
  total: number
  /** Stored now or found already stored. */
  done: number
  /** Failed twice (first try and one retry). */
  failed: number
  bytes: number
}

export type DownloadEnd = 'complete' | 'partial' | 'cancelled' | 'server_down' | 'quota'

export interface DownloadResult extends DownloadProgress {
  end: DownloadEnd
  /** The last failure, as the worker can read it ("HTTP 403", "网络错误"). */
  lastError: string | null
}

export interface DownloadOptions {
  signal?: AbortSignal
  concurrency?: number
  onProgress?: (p: DownloadProgress) => void
  fetchFn?: typeof fetch
  cacheStorage?: CacheStorage
}

class TileFailure extends Error {}

/** Downloads the URLs into the tile cache, `concurrency` at a time. A tile already stored (a
 *  readable 200 from an earlier pack) is not fetched again, so a second try after a failure
 *  only fetches what is missing. Failures are retried once at the end; after
 *  STOP_AFTER_FAILURES failures in a row the server is taken to be down and the download stops.
 *  Whatever was stored stays stored in every case. */
export async function downloadPack(urls: readonly string[], opts: DownloadOptions = {}): Promise<DownloadResult> {
  const fetchFn = opts.fetchFn ?? globalThis.fetch.bind(globalThis)
  const cache = await (opts.cacheStorage ?? globalThis.caches).open(TILE_CACHE)
  const signal = opts.signal
  const progress: DownloadProgress = { total: urls.length, done: 0, failed: 0, bytes: 0 }
  // Set from inside the workers: declared so TypeScript does not narrow them to their first value.
  let lastError = null as string | null
  let stop = null as DownloadEnd | null
  let inARow = 0
  const retry: string[] = []

  const report = () => opts.onProgress?.({ ...progress })

  async function one(url: string, lastTry: boolean): Promise<void> {
    if (!lastTry) {
      const have = await cache.match(url)
      if (have && have.type !== 'opaque' && have.ok) {
        progress.done++
        progress.bytes += Number(have.headers.get('content-length')) || 0
        return
      }
    }
    try {
      // Tiles need no cookies; 'omit' also lets a server answer with Access-Control-Allow-Origin: *.
      const res = await fetchFn(url, { mode: 'cors', credentials: 'omit', signal })
      if (!res.ok) throw new TileFailure(`HTTP ${res.status}`)
      const type = res.headers.get('content-type') ?? ''
      // A 200 carrying an error page (a wrong key often gets one) is not a tile.
      if (type && !type.startsWith('image/')) throw new TileFailure(type.split(';')[0] ?? type)
      const blob = await res.blob()
      if (blob.size === 0) throw new TileFailure('0 B')
      // A fresh response with only what the map needs: no Vary (a stored `Vary: Origin` would stop
      // the map's <img> request from matching) and a length to add up later.
      const headers = { 'content-type': type || blob.type || 'image/png', 'content-length': String(blob.size) }
      await cache.put(url, new Response(blob, { status: 200, headers }))
      progress.done++
      progress.bytes += blob.size
      inARow = 0
    } catch (e) {
      if (signal?.aborted) return
      if (isQuotaError(e)) {
        stop = 'quota'
        return
      }
      lastError = e instanceof TileFailure ? e.message : e instanceof TypeError ? 'network' : String(e)
      if (lastTry) progress.failed++
      else retry.push(url)
      if (++inARow >= STOP_AFTER_FAILURES) stop = 'server_down'
    }
  }

  async function pass(list: readonly string[], lastTry: boolean): Promise<void> {
    let next = 0
    const worker = async () => {
      while (next < list.length && !stop && !signal?.aborted) {
        const url = list[next++]!
        await one(url, lastTry)
        report()
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? DOWNLOAD_CONCURRENCY) }, worker))
  }

  report()
  await pass(urls, false)
  if (!stop && !signal?.aborted && retry.length) await pass(retry, true)
  // Tiles never tried (stopped early) count as failed, so done + failed = total on every end.
  const end: DownloadEnd = signal?.aborted ? 'cancelled' : (stop ?? (progress.done === progress.total ? 'complete' : 'partial'))
  if (end !== 'cancelled') progress.failed = progress.total - progress.done
  report()
  return { ...progress, end, lastError }
}

export function loadPackRecord(storage: Storage = localStorage): PackRecord | null {
  try {
    const r = JSON.parse(storage.getItem(PACK_RECORD_KEY) ?? 'null') as PackRecord | null
    return r && typeof r.tiles === 'number' && typeof r.at === 'string' ? r : null
  } catch {
    return null
  }
}

export function savePackRecord(r: PackRecord, storage: Storage = localStorage): void {
  storage.setItem(PACK_RECORD_KEY, JSON.stringify(r))
}

/** Deletes every stored tile (the pack and any the service worker kept) and the record. */
export async function deletePack(cacheStorage: CacheStorage | undefined = globalThis.caches, storage: Storage = localStorage): Promise<void> {
  if (cacheStorage) await cacheStorage.delete(TILE_CACHE)
  storage.removeItem(PACK_RECORD_KEY)
}

/** How many tiles the cache holds now (the browser may have evicted it), or null without Cache Storage. */
export async function storedTileCount(cacheStorage: CacheStorage | undefined = globalThis.caches): Promise<number | null> {
  if (!cacheStorage) return null
  if (!(await cacheStorage.has(TILE_CACHE))) return 0
  return (await (await cacheStorage.open(TILE_CACHE)).keys()).length
}

/** Tile templates a community server may use: http(s) or a path on this server, with {z}, {x}
 *  and {y}. */
export function isTileTemplate(url: string): boolean {
  const u = url.trim()
  return /^(https?:\/\/[^\s/]+|\/[^/])/.test(u) && ['{z}', '{x}', '{y}'].every((p) => u.includes(p))
}

/** "12.3" for bytes, in MB (2^20), for the worker to read. */
export function megabytes(bytes: number): string {
  const mb = bytes / 1_048_576
  return mb > 0 && mb < 0.1 ? '0.1' : mb.toFixed(mb >= 100 ? 0 : 1)
}
