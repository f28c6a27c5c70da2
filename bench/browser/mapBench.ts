// Runs inside Chromium: the secretary's map page as the app mounts it (stores over Dexie, the
// statistics answered by a stand-in fetch, no basemap), and the points layer on its own with
// 100,000 points. Timed with performance.now() up to the next frame. bench/map.ts drives it.
import 'leaflet/dist/leaflet.css'
import '../../src/app/styles.css'
import L from 'leaflet'
import { createPinia, type Pinia } from 'pinia'
import { createApp, type App } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { db } from '../../src/app/db/instance'
import { packColor, STATE_COLOR } from '../../src/app/map/colors'
import { PointsLayer } from '../../src/app/map/PointsLayer'
import MapPage from '../../src/app/pages/MapPage.vue'
import type { Building, Case, GridCell, Household, User } from '../../src/domain'

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()))

async function until(ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = performance.now() + timeoutMs
  while (!ok()) {
    if (performance.now() > end) throw new Error('timed out waiting for the map')
    await frame()
  }
}

export interface Community {
  gridCells: GridCell[]
  buildings: Building[]
  households: Household[]
  cases: Case[]
  /** Response bodies by path: /api/stats/households, /api/stats/coverage. */
  responses: Record<string, string>
  user: User
}

let responses: Record<string, string> = {}
const realFetch = window.fetch.bind(window)
window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input), location.href)
  const body = responses[url.pathname]
  if (body !== undefined) return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
  if (url.pathname.startsWith('/api/')) return new Response('{"error":{"code":"NOT_FOUND","message":"not in the bench"}}', { status: 404 })
  return realFetch(input, init)
}

/** The device's data, as after a first sync (not timed). */
async function seed(c: Community): Promise<void> {
  await db.delete({ disableAutoOpen: false })
  await db.open()
  await db.transaction('rw', [db.gridCells, db.buildings, db.households, db.cases], async () => {
    await db.gridCells.bulkPut(c.gridCells)
    await db.buildings.bulkPut(c.buildings)
    await db.households.bulkPut(c.households)
    await db.cases.bulkPut(c.cases)
  })
  responses = c.responses
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 'bench', expiresAt: '2099-01-01T00:00:00.000Z', user: c.user }))
}

function host(): HTMLElement {
  const el = document.createElement('div')
  el.style.cssText = 'position:fixed;inset:0;'
  document.body.appendChild(el)
  return el
}

/** Mount → grid cells with their coverage and every household dot drawn, and a frame painted. */
async function secretaryReady(expected: number): Promise<{ ms: number; drawn: number }> {
  const el = host()
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: MapPage }] })
  await router.push('/map')
  const pinia: Pinia = createPinia()
  const t0 = performance.now()
  const app: App = createApp(MapPage).use(pinia).use(router)
  app.mount(el)
  const points = () => el.querySelector<HTMLCanvasElement>('[data-testid=map-points]')
  await until(
    () =>
      points()?.getAttribute('data-count') === String(expected) &&
      el.querySelectorAll('[data-testid=grid-coverage]:not([data-coverage=""])').length > 0 &&
      el.querySelector('.leaflet-zfGrid-pane canvas') !== null,
  )
  await frame()
  const ms = performance.now() - t0
  const drawn = Number(points()!.getAttribute('data-drawn'))
  app.unmount()
  // Stop the stores' live queries: the next run starts as a fresh page would.
  ;(pinia as unknown as { _e: { stop(): void } })._e.stop()
  el.remove()
  return { ms, drawn }
}

/** A seeded spread of `n` points over the view, coloured like household states. */
function randomPoints(map: L.Map, n: number, seed: number) {
  const b = map.getBounds()
  let s = seed >>> 0
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const palette = Object.values(STATE_COLOR).map(packColor)
  const ids: string[] = new Array(n)
  const lat = new Float64Array(n)
  const lng = new Float64Array(n)
  const colors = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    ids[i] = `h${i}`
    lat[i] = b.getSouth() + rnd() * (b.getNorth() - b.getSouth())
    lng[i] = b.getWest() + rnd() * (b.getEast() - b.getWest())
    colors[i] = palette[i % palette.length]!
  }
  return { ids, lat, lng, colors }
}

let stage: { map: L.Map; el: HTMLElement; layer: PointsLayer | null } | null = null

function stageMap(): { map: L.Map; el: HTMLElement; layer: PointsLayer | null } {
  if (stage) return stage
  const el = host()
  const map = L.map(el, { preferCanvas: true, zoomControl: false, attributionControl: false, zoomSnap: 0.25 }).setView([36.19, 117.12], 15)
  return (stage = { map, el, layer: null })
}

/** A fresh layer with `n` fresh points (nothing cached): setData + first draw + a painted frame. */
async function pointsDraw(n: number, seed: number): Promise<{ ms: number; drawMs: number; drawn: number }> {
  const s = stageMap()
  s.layer?.remove()
  const data = randomPoints(s.map, n, seed)
  await frame()
  const t0 = performance.now()
  const layer = new PointsLayer()
  layer.setData(data)
  layer.addTo(s.map)
  await frame()
  const ms = performance.now() - t0
  s.layer = layer
  return { ms, drawMs: layer.lastDraw.ms, drawn: layer.lastDraw.drawn }
}

/** Pans by a third of the view and back, `times` times: the redraw (synchronous, on moveend),
 *  and the same up to the next painted frame. */
async function pans(times: number): Promise<{ redraw: number[]; frame: number[]; drawn: number }> {
  const s = stageMap()
  const redraw: number[] = []
  const painted: number[] = []
  for (let i = 0; i < times; i++) {
    const d: [number, number] = i % 2 === 0 ? [400, 250] : [-400, -250]
    await frame()
    const t0 = performance.now()
    s.map.panBy(d, { animate: false })
    redraw.push(performance.now() - t0)
    await frame()
    painted.push(performance.now() - t0)
  }
  return { redraw, frame: painted, drawn: s.layer?.lastDraw.drawn ?? 0 }
}

Object.assign(window, { mapBench: { seed, secretaryReady, pointsDraw, pans } })
document.title = 'ready'
