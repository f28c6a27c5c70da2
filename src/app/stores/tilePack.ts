import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import {
  DEFAULT_MAX_ZOOM,
  DEFAULT_MIN_ZOOM,
  deletePack,
  downloadPack,
  type DownloadEnd,
  type DownloadProgress,
  loadPackRecord,
  packUrls,
  type PackRecord,
  planPack,
  savePackRecord,
  storedTileCount,
} from '../map/tilePack'
import { useDeviceStore } from './device'
import { useMapPrefsStore } from './mapPrefs'
import { useRegisterStore } from './register'

export type PackPhase = 'idle' | 'running' | DownloadEnd | 'deleted' | 'error'

/** 下载我的网格离线地图: plan (count and size before anything is fetched), download with
 *  progress, cancel, record, delete. The grid cells are the ones on this device — a worker's
 *  phone holds only theirs, so "my grid" needs no filter here. */
export const useTilePackStore = defineStore('tilePack', () => {
  const mapPrefs = useMapPrefsStore()
  const register = useRegisterStore()
  const device = useDeviceStore()

  const minZoom = ref(DEFAULT_MIN_ZOOM)
  const maxZoom = ref(DEFAULT_MAX_ZOOM)
  const phase = ref<PackPhase>('idle')
  const progress = ref<DownloadProgress>({ total: 0, done: 0, failed: 0, bytes: 0 })
  const lastError = ref<string | null>(null)
  const record = ref<PackRecord | null>(loadPackRecord())
  /** Tiles in Cache Storage now; null when the browser has no Cache Storage (plain http on a LAN). */
  const stored = ref<number | null>(null)
  const cacheAvailable = typeof globalThis.caches !== 'undefined'
  const controller = shallowRef<AbortController | null>(null)

  /** The basemap's own top zoom bounds the range; a lower one keeps what the user chose. */
  const zoomLimit = computed(() => Math.max(0, mapPrefs.resolved.basemap.maxZoom))
  watch(
    zoomLimit,
    (limit) => {
      if (limit <= 0) return
      if (maxZoom.value > limit) maxZoom.value = limit
      if (minZoom.value > maxZoom.value) minZoom.value = maxZoom.value
    },
    { immediate: true },
  )

  const result = computed(() =>
    planPack(
      mapPrefs.prefs,
      register.gridCells.flatMap((c) => (c.polygon ? [c.polygon] : [])),
      minZoom.value,
      maxZoom.value,
    ),
  )
  const plan = computed(() => result.value.plan)
  const problem = computed(() => (cacheAvailable ? result.value.problem : (result.value.problem ?? 'no_cache')))
  const running = computed(() => phase.value === 'running')

  async function refresh(): Promise<void> {
    stored.value = await storedTileCount(cacheAvailable ? globalThis.caches : undefined).catch(() => null)
    await device.refreshStorage()
  }

  let current: Promise<void> | null = null

  function download(): Promise<void> {
    if (!current) current = run().finally(() => (current = null))
    return current
  }

  async function run(): Promise<void> {
    const p = plan.value
    if (!p || problem.value) return
    const ctl = new AbortController()
    controller.value = ctl
    phase.value = 'running'
    lastError.value = null
    const urls = packUrls(p)
    progress.value = { total: urls.length, done: 0, failed: 0, bytes: 0 }
    try {
      const r = await downloadPack(urls, { signal: ctl.signal, onProgress: (x) => (progress.value = x) })
      progress.value = { total: r.total, done: r.done, failed: r.failed, bytes: r.bytes }
      lastError.value = r.lastError
      phase.value = r.end
      if (r.done > 0) {
        record.value = {
          basemap: p.basemap.id,
          minZoom: p.minZoom,
          maxZoom: p.maxZoom,
          tiles: r.done,
          requested: r.total,
          bytes: r.bytes,
          at: new Date().toISOString(),
          complete: r.end === 'complete',
        }
        savePackRecord(record.value)
      }
    } catch (e) {
      // Cache Storage refused to open (private mode, storage disabled): nothing was stored.
      lastError.value = e instanceof Error ? e.message : String(e)
      phase.value = 'error'
    } finally {
      controller.value = null
      await refresh()
    }
  }

  function cancel(): void {
    controller.value?.abort()
  }

  async function remove(): Promise<void> {
    // A running download is stopped and allowed to finish first, or it would record a pack
    // after the tiles are gone.
    cancel()
    if (current) await current
    await deletePack(cacheAvailable ? globalThis.caches : undefined)
    record.value = null
    progress.value = { total: 0, done: 0, failed: 0, bytes: 0 }
    phase.value = 'deleted'
    await refresh()
  }

  /** The origin's use of the phone's storage (IndexedDB, the app, the tiles), when the browser says. */
  const storage = computed(() => (device.storage.usage !== null && device.storage.quota ? { usage: device.storage.usage, quota: device.storage.quota } : null))

  return { minZoom, maxZoom, zoomLimit, phase, progress, lastError, record, stored, storage, cacheAvailable, plan, problem, running, refresh, download, cancel, remove }
})
