import L from 'leaflet'
import { describe, expect, it } from 'vitest'
import { packColor } from '../../src/app/map/colors'
import { buildBuckets, drawDots, hitTest, makeStamp, ProjectionCache, projectAll, projectPoint, type Projected } from '../../src/app/map/pointsIndex'

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function randomPoints(n: number, seed = 1) {
  const r = rng(seed)
  const lat = new Float64Array(n)
  const lng = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    lat[i] = 36.18 + r() * 0.02
    lng[i] = 117.11 + r() * 0.02
  }
  return { lat, lng }
}

describe('projection', () => {
  it('gives the world pixels Leaflet gives (EPSG:3857), at whole and fractional zooms', () => {
    const { lat, lng } = randomPoints(50)
    for (const zoom of [0, 3, 12.5, 16, 18.25]) {
      const p = projectAll(lat, lng, zoom)
      for (let i = 0; i < lat.length; i++) {
        const q = L.CRS.EPSG3857.latLngToPoint(L.latLng(lat[i]!, lng[i]!), zoom)
        expect(Math.abs(p.x[i]! - q.x)).toBeLessThan(1e-6)
        expect(Math.abs(p.y[i]! - q.y)).toBeLessThan(1e-6)
        expect(projectPoint(lat[i]!, lng[i]!, zoom).x).toBeCloseTo(p.x[i]!, 9)
      }
    }
    expect(projectPoint(0, 0, 0)).toEqual({ x: 128, y: 128 })
  })

  it('computes each zoom once, keeps the last few, and drops the least recently used', () => {
    const { lat, lng } = randomPoints(10)
    const cache = new ProjectionCache(lat, lng, 2)
    const a = cache.get(16)
    expect(cache.get(16)).toBe(a)
    expect(cache.computed).toBe(1)
    cache.get(17)
    cache.get(16) // 16 is now the most recent
    cache.get(18) // evicts 17
    expect(cache.size).toBe(2)
    expect(cache.get(16)).toBe(a)
    expect(cache.computed).toBe(3)
    cache.get(17)
    expect(cache.computed).toBe(4)
  })
})

describe('drawDots', () => {
  const red = packColor('#ff0000')
  const blue = packColor('#0000ff')
  const white = packColor('#ffffff')
  const proj = (xs: number[], ys: number[]): Projected => ({ zoom: 0, x: Float64Array.from(xs), y: Float64Array.from(ys) })

  it('stamps a filled dot with an outline at each point in the buffer and counts only those inside', () => {
    const pixels = new Uint32Array(40 * 30)
    const p = proj([110, 130, 500, 99], [110, 120, 500, 109]) // the last lies just left of the buffer, at (-1, 9)
    const drawn = drawDots({ pixels, width: 40, height: 30, offX: 100, offY: 100, scale: 1 }, p, Uint32Array.from([red, blue, red, red]), [makeStamp(3)], white)
    expect(drawn).toBe(2)
    expect(pixels[10 * 40 + 10]).toBe(red)
    expect(pixels[20 * 40 + 30]).toBe(blue)
    expect(pixels[10 * 40 + 14]).toBe(white) // the outline, one pixel beyond the radius
    expect(pixels[10 * 40 + 16]).toBe(0)
    // The dot just outside the corner still shows its edge: no dot is cut off at the border.
    expect(pixels[9 * 40 + 0]).toBe(red)
    expect(pixels[9 * 40 + 3]).toBe(white)
  })

  it('draws later points on top of earlier ones', () => {
    const pixels = new Uint32Array(20 * 20)
    drawDots({ pixels, width: 20, height: 20, offX: 0, offY: 0, scale: 1 }, proj([10, 10], [10, 10]), Uint32Array.from([red, blue]), [makeStamp(2)], white)
    expect(pixels[10 * 20 + 10]).toBe(blue)
  })

  it('scales positions for a high-density screen and picks the stamp per point', () => {
    const pixels = new Uint32Array(40 * 40)
    const big = makeStamp(5)
    drawDots({ pixels, width: 40, height: 40, offX: 0, offY: 0, scale: 2 }, proj([5, 15], [5, 15]), Uint32Array.from([red, blue]), [makeStamp(1), big], white, Uint8Array.from([0, 1]))
    expect(pixels[10 * 40 + 10]).toBe(red)
    expect(pixels[10 * 40 + 13]).toBe(0) // small stamp: radius 1 (+1 outline)
    expect(pixels[30 * 40 + 35]).toBe(blue) // big stamp reaches 5 px
  })
})

describe('buckets and hit test', () => {
  function bruteForce(p: Projected, offX: number, offY: number, x: number, y: number, r: number): number {
    let best = -1
    let bestD = r * r
    for (let i = 0; i < p.x.length; i++) {
      const d = (p.x[i]! - offX - x) ** 2 + (p.y[i]! - offY - y) ** 2
      if (d < bestD || (d === bestD && i > best)) {
        best = i
        bestD = d
      }
    }
    return best
  }

  it('finds the same point as a search over every point, for random clicks (hits and misses)', () => {
    const { lat, lng } = randomPoints(5000, 7)
    const p = projectAll(lat, lng, 17)
    const offX = p.x.reduce((a, b) => Math.min(a, b), Infinity) + 50
    const offY = p.y.reduce((a, b) => Math.min(a, b), Infinity) + 50
    const b = buildBuckets(p, offX, offY, 800, 600)
    const r = rng(3)
    let hits = 0
    for (let k = 0; k < 2000; k++) {
      const x = r() * 800
      const y = r() * 600
      const got = hitTest(b, p, x, y, 8)
      expect(got).toBe(bruteForce(p, offX, offY, x, y, 8))
      if (got >= 0) hits++
    }
    // Both branches exercised: some clicks land on a dot, some on empty ground.
    expect(hits).toBeGreaterThan(100)
    expect(hits).toBeLessThan(2000)
  })

  it('misses beyond the radius, and prefers the dot drawn on top when two coincide', () => {
    const p: Projected = { zoom: 0, x: Float64Array.from([100, 100, 140]), y: Float64Array.from([100, 100, 100]) }
    const b = buildBuckets(p, 0, 0, 200, 200)
    expect(hitTest(b, p, 103, 104, 8)).toBe(1)
    expect(hitTest(b, p, 120, 100, 8)).toBe(-1)
    expect(hitTest(b, p, 133, 100, 8)).toBe(2)
  })

  it('buckets only the points in and just around the view', () => {
    const p: Projected = { zoom: 0, x: Float64Array.from([10, 500, -10, -40]), y: Float64Array.from([10, 10, 10, 10]) }
    const b = buildBuckets(p, 0, 0, 100, 100, 16, 16)
    expect([...b.items].sort()).toEqual([0, 2])
    expect(hitTest(b, p, -5, 10, 8)).toBe(2) // a dot half outside the edge can still be clicked
  })
})
