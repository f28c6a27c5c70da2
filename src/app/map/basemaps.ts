// Basemaps as data. Coordinates are stored in WGS-84; AMap draws in GCJ-02, so everything drawn
// on it is shifted first (map/gcj02.ts). Tianditu (CGCS2000 ≈ WGS-84) and OSM need no shift.
// No file here imports Leaflet: the worker's first screen must not pay for it.

export type BasemapId = 'none' | 'tianditu-vec' | 'tianditu-img' | 'amap' | 'osm' | 'custom'

export interface TileSource {
  /** Leaflet URL template ({s}, {x}, {y}, {z}; Tianditu's key as {tk}). */
  url: string
  subdomains?: string[]
}

export interface Basemap {
  id: BasemapId
  /** Which datum drawn coordinates must be in. */
  datum: 'wgs84' | 'gcj02'
  /** Image layers, bottom first (Tianditu draws labels as a second layer). */
  layers: TileSource[]
  needsKey: boolean
  maxZoom: number
  attribution: string
  /** May tiles be bulk-downloaded for offline use? OSM's tile policy forbids it and AMap's terms
   *  do not allow caching; the user (or admin) can still turn it off for any provider. */
  offlinePackAllowed: boolean
}

const T = ['0', '1', '2', '3', '4', '5', '6', '7']
const wmts = (layer: string) =>
  `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={tk}`

export const BASEMAPS: Record<Exclude<BasemapId, 'custom'>, Basemap> = {
  none: { id: 'none', datum: 'wgs84', layers: [], needsKey: false, maxZoom: 20, attribution: '', offlinePackAllowed: false },
  'tianditu-vec': {
    id: 'tianditu-vec',
    datum: 'wgs84',
    layers: [{ url: wmts('vec'), subdomains: T }, { url: wmts('cva'), subdomains: T }],
    needsKey: true,
    maxZoom: 18,
    attribution: '© 天地图',
    offlinePackAllowed: true,
  },
  'tianditu-img': {
    id: 'tianditu-img',
    datum: 'wgs84',
    layers: [{ url: wmts('img'), subdomains: T }, { url: wmts('cia'), subdomains: T }],
    needsKey: true,
    maxZoom: 18,
    attribution: '© 天地图',
    offlinePackAllowed: true,
  },
  amap: {
    id: 'amap',
    datum: 'gcj02',
    layers: [{ url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}', subdomains: ['1', '2', '3', '4'] }],
    needsKey: false,
    maxZoom: 18,
    attribution: '© 高德地图',
    offlinePackAllowed: false,
  },
  osm: {
    id: 'osm',
    datum: 'wgs84',
    layers: [{ url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' }],
    needsKey: false,
    maxZoom: 19,
    attribution: '© OpenStreetMap contributors',
    offlinePackAllowed: false,
  },
}

/** A tile server of the community's own (or a test server): WGS-84 XYZ tiles at `url`. */
export function customBasemap(url: string): Basemap {
  return { id: 'custom', datum: 'wgs84', layers: [{ url }], needsKey: false, maxZoom: 19, attribution: '', offlinePackAllowed: true }
}

export interface MapPrefs {
  basemap: BasemapId
  tiandituKey: string
  customUrl: string
  /** Per-provider switch to forbid offline packs even where the code would allow them. */
  offlinePackDisabled: Partial<Record<BasemapId, boolean>>
}

export const DEFAULT_MAP_PREFS: MapPrefs = { basemap: 'none', tiandituKey: '', customUrl: '', offlinePackDisabled: {} }

/** The basemap to draw, or why it cannot be: a missing key or URL falls back to no basemap,
 *  and the map says so instead of showing grey squares. */
export function resolveBasemap(p: MapPrefs): { basemap: Basemap; problem: 'missing_key' | 'missing_url' | null } {
  if (p.basemap === 'custom') return p.customUrl.trim() ? { basemap: customBasemap(p.customUrl.trim()), problem: null } : { basemap: BASEMAPS.none, problem: 'missing_url' }
  const b = BASEMAPS[p.basemap]
  if (b.needsKey && !p.tiandituKey.trim()) return { basemap: BASEMAPS.none, problem: 'missing_key' }
  return { basemap: b, problem: null }
}

/** The concrete URL of one tile, choosing the subdomain exactly as Leaflet does, so a tile
 *  downloaded for offline use has the same URL the map will ask for. */
export function tileUrl(source: TileSource, z: number, x: number, y: number, key = ''): string {
  const subs = source.subdomains ?? ['a', 'b', 'c']
  const s = subs[Math.abs(x + y) % subs.length] ?? ''
  return source.url.replace('{s}', s).replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)).replace('{tk}', encodeURIComponent(key))
}

export function offlinePackAllowed(b: Basemap, p: MapPrefs): boolean {
  return b.offlinePackAllowed && !p.offlinePackDisabled[b.id]
}
