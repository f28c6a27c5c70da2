// One canvas for every household dot: the dots are written into an ImageData buffer (no path per
// point), positions come from projections cached per zoom, and clicks are answered from a grid of
// buckets. Leaflet objects per household would cost seconds at 100k; this costs milliseconds.
// See pointsIndex.ts for the arithmetic (tested without a browser).
import L from 'leaflet'
import { packColor } from './colors'
import { buildBuckets, drawDots, hitTest, makeStamp, ProjectionCache, type Buckets, type Projected, type Stamp } from './pointsIndex'

export interface PointsData {
  ids: readonly string[]
  /** In the basemap's datum (already shifted for a GCJ-02 basemap). */
  lat: Float64Array
  lng: Float64Array
  /** packColor() per point. Points are drawn in order: put the important ones last. */
  colors: Uint32Array
  /** Index into the layer's radii per point (0 = normal, 1 = highlighted). */
  sizes?: Uint8Array
}

export interface PointsLayerOptions {
  /** Dot radii in CSS pixels, by size index. */
  radii?: number[]
  /** How far from a dot a tap still picks it, in CSS pixels. */
  hitRadius?: number
  /** Extra canvas around the view, as a share of its size, so a short pan shows no blank edge. */
  padding?: number
  /** The map pane to draw in (default: Leaflet's overlay pane). */
  pane?: string
  onPick?: (id: string, index: number) => void
}

const EMPTY: PointsData = { ids: [], lat: new Float64Array(0), lng: new Float64Array(0), colors: new Uint32Array(0) }

export class PointsLayer extends L.Layer {
  private canvas: HTMLCanvasElement | null = null
  private ctx: CanvasRenderingContext2D | null = null
  private image: ImageData | null = null
  private data: PointsData = EMPTY
  private cache = new ProjectionCache(EMPTY.lat, EMPTY.lng)
  private stamps: Stamp[] = []
  private stampScale = 0
  private outline = packColor('#ffffff')
  private view: { proj: Projected; offX: number; offY: number; width: number; height: number } | null = null
  private buckets: Buckets | null = null
  private drawnAt: { center: L.LatLng; zoom: number } | null = null
  private readonly opts: Required<Omit<PointsLayerOptions, 'onPick' | 'pane'>> & Pick<PointsLayerOptions, 'onPick'>
  /** Last draw, for the bench and the data-drawn attribute. */
  lastDraw = { ms: 0, drawn: 0 }

  constructor(options: PointsLayerOptions = {}) {
    super()
    L.Util.setOptions(this, { pane: options.pane ?? 'overlayPane' })
    this.opts = { radii: options.radii ?? [3, 5], hitRadius: options.hitRadius ?? 8, padding: options.padding ?? 0.2, onPick: options.onPick }
  }

  setData(data: PointsData): this {
    this.data = data
    this.cache = new ProjectionCache(data.lat, data.lng)
    this.buckets = null
    this.canvas?.setAttribute('data-count', String(data.ids.length))
    if (this._map) this.redraw()
    return this
  }

  get count(): number {
    return this.data.ids.length
  }

  override onAdd(map: L.Map): this {
    const canvas = (this.canvas = L.DomUtil.create('canvas', 'zf-points-layer leaflet-zoom-animated'))
    canvas.setAttribute('data-testid', 'map-points')
    canvas.setAttribute('data-count', String(this.data.ids.length))
    canvas.style.pointerEvents = 'none'
    this.ctx = canvas.getContext('2d')
    this.getPane()!.appendChild(canvas)
    map.on('moveend resize', this.redraw, this)
    map.on('zoomanim', this.onZoomAnim, this)
    map.on('click', this.onClick, this)
    map.on('mousemove', this.onMouseMove, this)
    this.redraw()
    return this
  }

  override onRemove(map: L.Map): this {
    map.off('moveend resize', this.redraw, this)
    map.off('zoomanim', this.onZoomAnim, this)
    map.off('click', this.onClick, this)
    map.off('mousemove', this.onMouseMove, this)
    this.canvas?.remove()
    this.canvas = null
    this.ctx = null
    this.image = null
    this.view = null
    this.buckets = null
    return this
  }

  /** Draws every point in (and just around) the view. Synchronous: the bench times it. */
  redraw(): void {
    const map = this._map
    const canvas = this.canvas
    const ctx = this.ctx
    if (!map || !canvas || !ctx) return
    const t0 = performance.now()
    const size = map.getSize()
    const pad = size.multiplyBy(this.opts.padding).round()
    const cssW = size.x + 2 * pad.x
    const cssH = size.y + 2 * pad.y
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1)
    const w = Math.max(1, Math.round(cssW * dpr))
    const h = Math.max(1, Math.round(cssH * dpr))
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w
      canvas.height = h
      canvas.style.width = `${cssW}px`
      canvas.style.height = `${cssH}px`
      this.image = null
    }
    if (!this.image) this.image = ctx.createImageData(w, h)
    // The canvas's top-left corner, in layer pixels and in world pixels at this zoom.
    const topLeft = map.containerPointToLayerPoint([-pad.x, -pad.y])
    L.DomUtil.setPosition(canvas, topLeft)
    const zoom = map.getZoom()
    const origin = map.getPixelOrigin()
    const proj = this.cache.get(zoom)
    const offX = origin.x + topLeft.x
    const offY = origin.y + topLeft.y
    if (this.stampScale !== dpr) {
      this.stamps = this.opts.radii.map((r) => makeStamp(r * dpr))
      this.stampScale = dpr
    }
    const pixels = new Uint32Array(this.image.data.buffer)
    pixels.fill(0)
    const drawn = drawDots({ pixels, width: w, height: h, offX, offY, scale: dpr }, proj, this.data.colors, this.stamps, this.outline, this.data.sizes)
    ctx.putImageData(this.image, 0, 0)
    this.view = { proj, offX: origin.x + map.containerPointToLayerPoint([0, 0]).x, offY: origin.y + map.containerPointToLayerPoint([0, 0]).y, width: size.x, height: size.y }
    this.buckets = null
    this.drawnAt = { center: map.getCenter(), zoom }
    this.lastDraw = { ms: performance.now() - t0, drawn }
    canvas.setAttribute('data-drawn', String(drawn))
  }

  /** The id of the point under a container position (CSS px), or null. */
  pick(x: number, y: number): { id: string; index: number } | null {
    const v = this.view
    if (!v || !this._map) return null
    // The view may have moved since the last draw (a drag in progress): measure from now.
    const layer0 = this._map.containerPointToLayerPoint([0, 0])
    const origin = this._map.getPixelOrigin()
    const offX = origin.x + layer0.x
    const offY = origin.y + layer0.y
    if (this._map.getZoom() !== v.proj.zoom) return null
    if (!this.buckets || this.buckets.offX !== v.offX || this.buckets.offY !== v.offY) this.buckets = buildBuckets(v.proj, v.offX, v.offY, v.width, v.height)
    const i = hitTest(this.buckets, v.proj, x + (offX - v.offX), y + (offY - v.offY), this.opts.hitRadius)
    return i < 0 ? null : { id: this.data.ids[i]!, index: i }
  }

  private onClick(e: L.LeafletMouseEvent): void {
    const hit = this.pick(e.containerPoint.x, e.containerPoint.y)
    if (hit) this.opts.onPick?.(hit.id, hit.index)
  }

  private onMouseMove(e: L.LeafletMouseEvent): void {
    if (!this.opts.onPick || !this._map) return
    const hit = this.pick(e.containerPoint.x, e.containerPoint.y)
    this._map.getContainer().classList.toggle('zf-points-hover', hit !== null)
  }

  /** During the zoom animation, scale the last drawing as Leaflet's own renderers do. */
  private onZoomAnim(e: L.ZoomAnimEvent): void {
    const map = this._map
    if (!map || !this.canvas || !this.drawnAt) return
    const scale = map.getZoomScale(e.zoom, this.drawnAt.zoom)
    const size = map.getSize()
    const pad = size.multiplyBy(this.opts.padding).round()
    const half = size.divideBy(2).add(pad)
    const mapPanePos = map.containerPointToLayerPoint([0, 0]).multiplyBy(-1)
    const newOrigin = map.project(e.center, e.zoom).subtract(size.divideBy(2)).add(mapPanePos).round()
    const offset = half.multiplyBy(-scale).add(map.project(this.drawnAt.center, e.zoom)).subtract(newOrigin)
    L.DomUtil.setTransform(this.canvas, offset, scale)
  }
}
