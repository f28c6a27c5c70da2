// WGS-84 ↔ GCJ-02 (the datum AMap and other mainland basemaps draw in). Zoufang stores WGS-84
// everywhere; a point is shifted only when drawn on a GCJ-02 basemap, and a point picked on one
// is shifted back before it is stored. The forward formula is the published one (the same as
// the `gcoord` package's); there is no closed-form inverse, so it is iterated.
// Pure: no Leaflet, safe to import anywhere.

export interface LatLng {
  lat: number
  lng: number
}

export type Datum = 'wgs84' | 'gcj02'

/** GeoJSON position order: [lng, lat]. */
export type Position = readonly [number, number]

// Krasovsky 1940 ellipsoid, which the GCJ-02 formula is built on.
const A = 6378245
const EE = 0.006693421622965823
const M_PER_DEG = 111_320

/** The rough box GCJ-02 is applied in (gcoord's and eviltransform's): outside it, nothing moves. */
export function inChinaBox(lat: number, lng: number): boolean {
  return lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271
}

function shiftLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
  return r
}

function shiftLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
  return r
}

function forward(lat: number, lng: number): LatLng {
  const rad = (lat / 180) * Math.PI
  const s = Math.sin(rad)
  const magic = 1 - EE * s * s
  const sqrtMagic = Math.sqrt(magic)
  const dLat = (shiftLat(lng - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI)
  const dLng = (shiftLng(lng - 105, lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(rad) * Math.PI)
  return { lat: lat + dLat, lng: lng + dLng }
}

export function wgs84ToGcj02(p: LatLng): LatLng {
  return inChinaBox(p.lat, p.lng) ? forward(p.lat, p.lng) : { lat: p.lat, lng: p.lng }
}

/** Inverse by fixed-point iteration: the shift changes slowly, so each step gains about three
 *  orders of magnitude; it stops once the residual is under 1 cm. */
export function gcj02ToWgs84(p: LatLng): LatLng {
  if (!inChinaBox(p.lat, p.lng)) return { lat: p.lat, lng: p.lng }
  let lat = p.lat
  let lng = p.lng
  const cosLat = Math.cos((p.lat * Math.PI) / 180)
  for (let i = 0; i < 30; i++) {
    const g = forward(lat, lng)
    const dLat = g.lat - p.lat
    const dLng = g.lng - p.lng
    lat -= dLat
    lng -= dLng
    if (Math.hypot(dLat * M_PER_DEG, dLng * M_PER_DEG * cosLat) < 0.01) break
  }
  return { lat, lng }
}

/** A stored (WGS-84) point as the basemap wants it drawn. */
export function toDatum(p: LatLng, datum: Datum): LatLng {
  return datum === 'gcj02' ? wgs84ToGcj02(p) : { lat: p.lat, lng: p.lng }
}

/** A point picked on the basemap, as Zoufang stores it (WGS-84). */
export function fromDatum(p: LatLng, datum: Datum): LatLng {
  return datum === 'gcj02' ? gcj02ToWgs84(p) : { lat: p.lat, lng: p.lng }
}

/** A GeoJSON ring ([lng, lat] pairs) with every vertex shifted by `fn`. */
export function mapRing(ring: readonly Position[], fn: (p: LatLng) => LatLng): [number, number][] {
  return ring.map(([lng, lat]) => {
    const q = fn({ lat, lng })
    return [q.lng, q.lat]
  })
}

/** A GeoJSON polygon's rings as Leaflet wants them ({lat, lng}, outer ring first), in the
 *  basemap's datum. The closing vertex is kept: Leaflet ignores a repeated last point. */
export function polygonLatLngs(polygon: { coordinates: readonly (readonly Position[])[] }, datum: Datum): LatLng[][] {
  return polygon.coordinates.map((ring) => ring.map(([lng, lat]) => toDatum({ lat, lng }, datum)))
}

/** Distance in metres between two nearby points (equirectangular: fine at community scale). */
export function metresBetween(a: LatLng, b: LatLng): number {
  const cos = Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180)
  return Math.hypot((a.lat - b.lat) * M_PER_DEG, (a.lng - b.lng) * M_PER_DEG * cos)
}
