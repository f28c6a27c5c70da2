// The arithmetic of the fast points layer, apart from Leaflet and the DOM so it can be tested
// in Node: Web-Mercator projection cached per zoom in typed arrays, dots stamped into a pixel
// buffer, and a grid of buckets for the click test. One object per household would cost 100k
// Leaflet layers; this costs two Float64Arrays per zoom level seen.

export const TILE_SIZE = 256
const MAX_LAT = 85.0511287798

/** World pixel coordinates at `zoom`, as Leaflet's EPSG:3857 gives them (map.project). */
export function projectPoint(lat: number, lng: number, zoom: number): { x: number; y: number } {
  const scale = TILE_SIZE * 2 ** zoom
  const s = Math.sin((Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180)
  return { x: scale * (lng / 360 + 0.5), y: scale * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) }
}

export interface Projected {
  zoom: number
  x: Float64Array
  y: Float64Array
}

export function projectAll(lat: Float64Array, lng: Float64Array, zoom: number): Projected {
  const n = lat.length
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  const scale = TILE_SIZE * 2 ** zoom
  const k = Math.PI / 180
  for (let i = 0; i < n; i++) {
    const la = lat[i]!
    const s = Math.sin((la > MAX_LAT ? MAX_LAT : la < -MAX_LAT ? -MAX_LAT : la) * k)
    x[i] = scale * (lng[i]! / 360 + 0.5)
    y[i] = scale * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI))
  }
  return { zoom, x, y }
}

/** Projections of one point set, kept for the last few zoom levels: zooming back and forth or
 *  panning costs no trigonometry. Reset when the points change. */
export class ProjectionCache {
  private byZoom = new Map<number, Projected>()
  /** How many projections were computed (not served from the cache): for tests and the bench. */
  computed = 0

  constructor(
    private lat: Float64Array,
    private lng: Float64Array,
    private keep = 4,
  ) {}

  get(zoom: number): Projected {
    const hit = this.byZoom.get(zoom)
    if (hit) {
      // Most recently used last.
      this.byZoom.delete(zoom)
      this.byZoom.set(zoom, hit)
      return hit
    }
    const p = projectAll(this.lat, this.lng, zoom)
    this.computed++
    this.byZoom.set(zoom, p)
    while (this.byZoom.size > this.keep) this.byZoom.delete(this.byZoom.keys().next().value!)
    return p
  }

  get size(): number {
    return this.byZoom.size
  }
}

/** A dot as pixel offsets from its centre: a ring (outline) and a disc (fill), as (dx, dy) pairs. */
export interface Stamp {
  radius: number
  ring: Int16Array
  fill: Int16Array
}

/** A filled disc of `radius` px with a 1 px outline around it. */
export function makeStamp(radius: number): Stamp {
  const ring: number[] = []
  const fill: number[] = []
  const outer = radius + 1
  for (let dy = -Math.ceil(outer); dy <= Math.ceil(outer); dy++)
    for (let dx = -Math.ceil(outer); dx <= Math.ceil(outer); dx++) {
      const d2 = dx * dx + dy * dy
      if (d2 <= radius * radius + 0.5) fill.push(dx, dy)
      else if (d2 <= outer * outer + 0.5) ring.push(dx, dy)
    }
  return { radius, ring: Int16Array.from(ring), fill: Int16Array.from(fill) }
}

export interface DrawTarget {
  /** The canvas's pixels, one Uint32 per pixel (an ImageData buffer viewed as Uint32Array). */
  pixels: Uint32Array
  width: number
  height: number
  /** World pixel coordinate (at the projection's zoom) of the buffer's top-left corner. */
  offX: number
  offY: number
  /** Buffer pixels per world pixel (devicePixelRatio). */
  scale: number
}

/** Stamps every point inside the buffer; later points on top of earlier ones. Returns how many
 *  points were drawn (inside the buffer). `sizes[i]` picks the stamp of point i (default 0). */
export function drawDots(t: DrawTarget, p: Projected, colors: Uint32Array, stamps: readonly Stamp[], outline: number, sizes?: Uint8Array): number {
  const { pixels, width: w, height: h, offX, offY, scale } = t
  const n = p.x.length
  const margin = Math.max(...stamps.map((s) => s.radius)) * 2 + 2
  let drawn = 0
  for (let i = 0; i < n; i++) {
    const cx = Math.round((p.x[i]! - offX) * scale)
    const cy = Math.round((p.y[i]! - offY) * scale)
    if (cx < -margin || cy < -margin || cx >= w + margin || cy >= h + margin) continue
    if (cx >= 0 && cy >= 0 && cx < w && cy < h) drawn++
    const st = stamps[sizes ? sizes[i]! : 0]!
    const inside = cx - st.radius - 1 >= 0 && cy - st.radius - 1 >= 0 && cx + st.radius + 1 < w && cy + st.radius + 1 < h
    const color = colors[i]!
    stamp(pixels, w, h, cx, cy, st.ring, outline, inside)
    stamp(pixels, w, h, cx, cy, st.fill, color, inside)
  }
  return drawn
}

function stamp(pixels: Uint32Array, w: number, h: number, cx: number, cy: number, offsets: Int16Array, color: number, inside: boolean): void {
  if (inside) {
    const base = cy * w + cx
    for (let k = 0; k < offsets.length; k += 2) pixels[base + offsets[k + 1]! * w + offsets[k]!] = color
    return
  }
  for (let k = 0; k < offsets.length; k += 2) {
    const x = cx + offsets[k]!
    const y = cy + offsets[k + 1]!
    if (x >= 0 && y >= 0 && x < w && y < h) pixels[y * w + x] = color
  }
}

/** Points of one view sorted into square cells (compressed rows: `starts` into `items`). */
export interface Buckets {
  cell: number
  cols: number
  rows: number
  /** World pixel of the view's top-left corner, and the margin added around the view. */
  offX: number
  offY: number
  margin: number
  starts: Int32Array
  items: Int32Array
}

/** Buckets the points that fall within the view (plus `margin` px) into `cell`-px squares. */
export function buildBuckets(p: Projected, offX: number, offY: number, width: number, height: number, cell = 16, margin = 16): Buckets {
  const cols = Math.max(1, Math.ceil((width + 2 * margin) / cell))
  const rows = Math.max(1, Math.ceil((height + 2 * margin) / cell))
  const n = p.x.length
  const cellOf = new Int32Array(n)
  const counts = new Int32Array(cols * rows + 1)
  for (let i = 0; i < n; i++) {
    const gx = Math.floor((p.x[i]! - offX + margin) / cell)
    const gy = Math.floor((p.y[i]! - offY + margin) / cell)
    if (gx < 0 || gy < 0 || gx >= cols || gy >= rows) {
      cellOf[i] = -1
      continue
    }
    const c = gy * cols + gx
    cellOf[i] = c
    counts[c + 1]!++
  }
  for (let c = 0; c < cols * rows; c++) counts[c + 1]! += counts[c]!
  const starts = counts.slice()
  const items = new Int32Array(counts[cols * rows]!)
  const fill = counts.slice(0, cols * rows)
  for (let i = 0; i < n; i++) {
    const c = cellOf[i]!
    if (c >= 0) items[fill[c]!++] = i
  }
  return { cell, cols, rows, offX, offY, margin, starts, items }
}

/** The point nearest to (x, y) — a position in the view, in CSS pixels — within `radius` px,
 *  or -1. On a tie the later point wins: it is the one drawn on top. */
export function hitTest(b: Buckets, p: Projected, x: number, y: number, radius = 8): number {
  const wx = x + b.offX
  const wy = y + b.offY
  const gx0 = Math.floor((x - radius + b.margin) / b.cell)
  const gx1 = Math.floor((x + radius + b.margin) / b.cell)
  const gy0 = Math.floor((y - radius + b.margin) / b.cell)
  const gy1 = Math.floor((y + radius + b.margin) / b.cell)
  let best = -1
  let bestD = radius * radius
  for (let gy = Math.max(0, gy0); gy <= Math.min(b.rows - 1, gy1); gy++)
    for (let gx = Math.max(0, gx0); gx <= Math.min(b.cols - 1, gx1); gx++) {
      const c = gy * b.cols + gx
      for (let k = b.starts[c]!; k < b.starts[c + 1]!; k++) {
        const i = b.items[k]!
        const dx = p.x[i]! - wx
        const dy = p.y[i]! - wy
        const d = dx * dx + dy * dy
        if (d < bestD || (d === bestD && i > best)) {
          best = i
          bestD = d
        }
      }
    }
  return best
}
