import L from 'leaflet'
import type {} from '@geoman-io/leaflet-geoman-free'
import type { Polygon } from '../../../domain'
import type { LatLng } from '../../../domain/gcj02'
import type { MapContext } from '../map/mapContext'

// Drawing and editing one grid cell's boundary with Leaflet-Geoman, on the register page only.
// Geoman is a classic script that patches the global `L`: it is loaded on first use, after
// Leaflet, and given to a map made before it arrived. No Geoman toolbar: the page has its own
// buttons (保存范围 / 取消), in the workers' words.

let loading: Promise<void> | null = null

/** Loads Geoman once (its script and styles), into this page's chunk only. */
export function loadGeoman(): Promise<void> {
  loading ??= (async () => {
    ;(globalThis as { L?: typeof L }).L = L
    await import('@geoman-io/leaflet-geoman-free')
    await import('@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css')
  })()
  return loading
}

/** The ring as drawn (basemap datum) → a closed GeoJSON polygon in WGS-84, as stored. */
export function ringToPolygon(latlngs: LatLng[], fromMap: (p: LatLng) => LatLng): Polygon | null {
  if (latlngs.length < 3) return null
  const ring = latlngs.map((p) => {
    const q = fromMap({ lat: p.lat, lng: p.lng })
    return [q.lng, q.lat] as [number, number]
  })
  ring.push([...ring[0]!] as [number, number])
  return { type: 'Polygon', coordinates: [ring] }
}

export interface BoundaryEditor {
  /** The boundary as it stands now, or null when nothing has been drawn yet. */
  current(): Polygon | null
  stop(): void
}

/** Starts editing `polygon` on the map, or drawing a new one when there is none. */
export async function editBoundary(ctx: MapContext, polygon: Polygon | null): Promise<BoundaryEditor> {
  await loadGeoman()
  const map = ctx.map
  const PM = (L as unknown as { PM: { Map: new (m: L.Map) => L.PM.PMMap } }).PM
  if (!map.pm) map.pm = new PM.Map(map)
  map.pm.setLang('zh')
  let layer: L.Polygon | null = null
  const style = { color: '#b42318', weight: 3, fillOpacity: 0.1 }
  const start = (l: L.Polygon) => {
    layer = l
    layer.pm.enable({ allowSelfIntersection: false })
  }
  const onCreate = (e: { layer: L.Layer }) => {
    map.pm.disableDraw()
    start(e.layer as L.Polygon)
  }
  if (polygon) {
    const ring = polygon.coordinates[0]!.slice(0, -1).map(([lng, lat]) => ctx.toMap({ lat, lng }))
    start(L.polygon(ring.map((p) => [p.lat, p.lng] as [number, number]), style).addTo(map))
  } else {
    map.on('pm:create', onCreate)
    map.pm.enableDraw('Polygon', { allowSelfIntersection: false, pathOptions: style, templineStyle: style, hintlineStyle: { ...style, dashArray: '5,5' } })
  }
  return {
    current() {
      if (!layer) return null
      const rings = layer.getLatLngs() as L.LatLng[][]
      return ringToPolygon(rings[0] ?? [], ctx.fromMap)
    },
    stop() {
      map.off('pm:create', onCreate)
      map.pm.disableDraw()
      layer?.pm.disable()
      layer?.remove()
      layer = null
    },
  }
}
