// Web Mercator tile arithmetic (the XYZ scheme Leaflet, OSM, Tianditu's "w" matrix set and AMap
// all use), pure: no Leaflet, no DOM. Coordinates are [lng, lat] as GeoJSON has them.
//
// The coordinates are taken as they are stored (WGS-84). That is right for Tianditu (CGCS2000,
// within a metre or so of WGS-84), OSM and a community's own WGS-84 tile server. AMap draws in
// GCJ-02 (shifted by a few hundred metres); tiles computed from WGS-84 would be off by a tile at
// high zoom there — but offline packs are not allowed for AMap anyway (its terms), so no shift
// is done here.

export interface Tile {
  z: number
  x: number
  y: number
}

/** Degrees, west/south/east/north. */
export interface Bbox {
  west: number
  south: number
  east: number
  north: number
}

/** Web Mercator cannot show the poles; Leaflet clamps to this latitude too. */
export const MAX_LATITUDE = 85.0511287798

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

/** The tile holding a point at zoom z (x grows eastwards, y southwards, both from 0). */
export function lngLatToTile(lng: number, lat: number, z: number): Tile {
  const n = 2 ** z
  const phi = (clamp(lat, -MAX_LATITUDE, MAX_LATITUDE) * Math.PI) / 180
  const x = Math.floor(((lng + 180) / 360) * n)
  const y = Math.floor(((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n)
  // lng 180 or the clamped south edge land exactly on n: that point belongs to the last tile.
  return { z, x: clamp(x, 0, n - 1), y: clamp(y, 0, n - 1) }
}

/** The north-west corner of a tile, [lng, lat]. */
export function tileToLngLat(x: number, y: number, z: number): [number, number] {
  const n = 2 ** z
  const lng = (x / n) * 360 - 180
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI
  return [lng, lat]
}

export function tileBbox(t: Tile): Bbox {
  const [west, north] = tileToLngLat(t.x, t.y, t.z)
  const [east, south] = tileToLngLat(t.x + 1, t.y + 1, t.z)
  return { west, south, east, north }
}

/** The bounding box of a GeoJSON polygon's rings ([lng, lat] pairs). */
export function ringsBbox(rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): Bbox | null {
  let west = Infinity
  let south = Infinity
  let east = -Infinity
  let north = -Infinity
  for (const ring of rings)
    for (const [lng, lat] of ring) {
      if (!Number.isFinite(lng) || !Number.isFinite(lat)) continue
      west = Math.min(west, lng)
      east = Math.max(east, lng)
      south = Math.min(south, lat)
      north = Math.max(north, lat)
    }
  return west <= east && south <= north ? { west, south, east, north } : null
}

const M_PER_DEG_LAT = 111_320

/** Grows a box by `meters` on every side (so the streets just outside a grid cell come along). */
export function padBbox(b: Bbox, meters: number): Bbox {
  const midLat = (b.south + b.north) / 2
  const dLat = meters / M_PER_DEG_LAT
  const dLng = meters / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((midLat * Math.PI) / 180)))
  return {
    west: clamp(b.west - dLng, -180, 180),
    east: clamp(b.east + dLng, -180, 180),
    south: clamp(b.south - dLat, -MAX_LATITUDE, MAX_LATITUDE),
    north: clamp(b.north + dLat, -MAX_LATITUDE, MAX_LATITUDE),
  }
}

/** Tiles from (minX, minY) to (maxX, maxY), inclusive, at one zoom. */
export interface TileRange {
  z: number
  minX: number
  maxX: number
  minY: number
  maxY: number
}

export function bboxTileRange(b: Bbox, z: number): TileRange {
  const nw = lngLatToTile(b.west, b.north, z)
  const se = lngLatToTile(b.east, b.south, z)
  return { z, minX: nw.x, maxX: se.x, minY: nw.y, maxY: se.y }
}

export function zoomList(minZoom: number, maxZoom: number): number[] {
  const out: number[] = []
  for (let z = Math.max(0, Math.floor(minZoom)); z <= Math.floor(maxZoom); z++) out.push(z)
  return out
}

/** The x intervals covered on row y at one zoom, merged: neighbouring grid cells share tiles,
 *  and a tile is downloaded (and counted) once. */
function rowIntervals(ranges: TileRange[], y: number): Array<[number, number]> {
  const iv = ranges.filter((r) => r.minY <= y && y <= r.maxY).map((r): [number, number] => [r.minX, r.maxX])
  iv.sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const [a, b] of iv) {
    const last = merged[merged.length - 1]
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b)
    else merged.push([a, b])
  }
  return merged
}

function rangesAt(bboxes: Bbox[], z: number): TileRange[] {
  return bboxes.map((b) => bboxTileRange(b, z))
}

/** How many distinct tiles cover the boxes at every zoom of [minZoom, maxZoom]. Counts row by
 *  row without listing tiles, so asking about a huge area is cheap (and then refused). */
export function countTiles(bboxes: Bbox[], minZoom: number, maxZoom: number): number {
  let n = 0
  for (const z of zoomList(minZoom, maxZoom)) {
    const ranges = rangesAt(bboxes, z)
    if (ranges.length === 0) continue
    const minY = Math.min(...ranges.map((r) => r.minY))
    const maxY = Math.max(...ranges.map((r) => r.maxY))
    for (let y = minY; y <= maxY; y++) for (const [a, b] of rowIntervals(ranges, y)) n += b - a + 1
  }
  return n
}

/** Every distinct tile covering the boxes, zoom by zoom, row by row. */
export function* coverTiles(bboxes: Bbox[], minZoom: number, maxZoom: number): Generator<Tile> {
  for (const z of zoomList(minZoom, maxZoom)) {
    const ranges = rangesAt(bboxes, z)
    if (ranges.length === 0) continue
    const minY = Math.min(...ranges.map((r) => r.minY))
    const maxY = Math.max(...ranges.map((r) => r.maxY))
    for (let y = minY; y <= maxY; y++) for (const [a, b] of rowIntervals(ranges, y)) for (let x = a; x <= b; x++) yield { z, x, y }
  }
}

/** The pad around each grid cell, in metres: about one z18 tile, so the map does not end at the
 *  cell's edge when the worker stands on the boundary street. */
export const DEFAULT_PAD_METERS = 120

/** Boxes to download for a set of GeoJSON polygons: each polygon's bounding box, padded. */
export function polygonBboxes(polygons: ReadonlyArray<{ coordinates: ReadonlyArray<ReadonlyArray<readonly [number, number]>> }>, padMeters = DEFAULT_PAD_METERS): Bbox[] {
  const out: Bbox[] = []
  for (const p of polygons) {
    const b = ringsBbox(p.coordinates)
    if (b) out.push(padBbox(b, padMeters))
  }
  return out
}

/** Assumed average size of one tile, used only for the estimate shown before a download:
 *  - 'vector': a drawn street map tile (PNG; Tianditu 矢量, OSM, most own servers) ≈ 15 KB —
 *    city tiles run 5–30 KB, nearly empty ones under 1 KB;
 *  - 'image': an aerial photo tile (JPEG; Tianditu 影像) ≈ 40 KB;
 *  - 'labels': a transparent label overlay (Tianditu cva / cia) ≈ 8 KB.
 *  The real size is measured while downloading and recorded with the pack. */
export const BYTES_PER_TILE = { vector: 15_000, image: 40_000, labels: 8_000 } as const
export type TileKind = keyof typeof BYTES_PER_TILE

export function estimateBytes(tiles: number, kinds: TileKind[]): number {
  return kinds.reduce((sum, k) => sum + tiles * BYTES_PER_TILE[k], 0)
}
