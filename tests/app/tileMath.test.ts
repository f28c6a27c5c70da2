import { describe, expect, it } from 'vitest'
import {
  BYTES_PER_TILE,
  bboxTileRange,
  countTiles,
  coverTiles,
  estimateBytes,
  lngLatToTile,
  MAX_LATITUDE,
  padBbox,
  polygonBboxes,
  ringsBbox,
  tileBbox,
  tileToLngLat,
  type Bbox,
} from '../../src/app/map/tileMath'

const inside = (b: Bbox, lng: number, lat: number) => b.west <= lng && lng <= b.east && b.south <= lat && lat <= b.north

describe('lng/lat ↔ XYZ tile (Web Mercator)', () => {
  it('puts lng 0 lat 0 on the corner shared by the four z1 tiles: x1 y1', () => {
    expect(lngLatToTile(0, 0, 1)).toEqual({ z: 1, x: 1, y: 1 })
    expect(lngLatToTile(0, 0, 0)).toEqual({ z: 0, x: 0, y: 0 })
    expect(lngLatToTile(-0.0001, 0.0001, 1)).toEqual({ z: 1, x: 0, y: 0 })
  })

  it('finds Beijing (116.4074, 39.9042) in tile 10/843/388, and Tiananmen at z18 in 215830/99328', () => {
    expect(lngLatToTile(116.4074, 39.9042, 10)).toEqual({ z: 10, x: 843, y: 388 })
    expect(lngLatToTile(116.3975, 39.9087, 18)).toEqual({ z: 18, x: 215830, y: 99328 })
    // Tile 10/843/388 spans lng 116.367–116.719, lat 39.639–39.910.
    const b = tileBbox({ z: 10, x: 843, y: 388 })
    expect(b.west).toBeCloseTo(116.3671875, 6)
    expect(b.east).toBeCloseTo(116.71875, 6)
    expect(b.north).toBeCloseTo(39.9097, 3)
    expect(b.south).toBeCloseTo(39.6395, 3)
    expect(inside(b, 116.4074, 39.9042)).toBe(true)
  })

  it('gives the world corners for tile 0/0/0 and the tile corner back for each tile', () => {
    const [lng, lat] = tileToLngLat(0, 0, 0)
    expect(lng).toBe(-180)
    expect(lat).toBeCloseTo(MAX_LATITUDE, 6)
    expect(tileToLngLat(1, 1, 1)).toEqual([0, 0])
    for (const [x, y, z] of [
      [843, 388, 10],
      [27044, 12846, 15],
      [5, 9, 4],
    ] as const) {
      const [w, n] = tileToLngLat(x, y, z)
      // A point just inside the north-west corner belongs to that tile.
      expect(lngLatToTile(w + 1e-9, n - 1e-9, z)).toEqual({ z, x, y })
    }
  })

  it('round-trips: every point lies in the box of its own tile', () => {
    for (let i = 0; i < 200; i++) {
      const lng = -179.9 + ((i * 37.7) % 359.8)
      const lat = -80 + ((i * 13.3) % 160)
      const z = i % 19
      expect(inside(tileBbox(lngLatToTile(lng, lat, z)), lng, lat)).toBe(true)
    }
  })

  it('keeps the map edges on the map: lng 180, the poles', () => {
    expect(lngLatToTile(180, 0, 3)).toEqual({ z: 3, x: 7, y: 4 })
    expect(lngLatToTile(-180, 90, 3)).toEqual({ z: 3, x: 0, y: 0 })
    expect(lngLatToTile(0, -90, 3)).toEqual({ z: 3, x: 4, y: 7 })
  })
})

describe('tiles covering grid cells', () => {
  // One demo-sized grid cell (about 200 m × 190 m) near the demo community's centre.
  const cell = {
    type: 'Polygon' as const,
    coordinates: [
      [
        [117.119, 36.1905],
        [117.1212, 36.1906],
        [117.1213, 36.1888],
        [117.1191, 36.1887],
        [117.119, 36.1905],
      ] as [number, number][],
    ],
  }

  it('takes the bounding box of the rings and pads it by metres on every side', () => {
    const b = ringsBbox(cell.coordinates)!
    expect(b).toEqual({ west: 117.119, south: 36.1887, east: 117.1213, north: 36.1906 })
    const p = padBbox(b, 120)
    expect(b.north - b.south + 2 * (120 / 111_320)).toBeCloseTo(p.north - p.south, 9)
    // 120 m east-west at lat 36.19 is about 0.00134°.
    expect(b.west - p.west).toBeCloseTo(0.001337, 5)
    expect(ringsBbox([[]])).toBeNull()
  })

  it('turns a box into the inclusive tile range at a zoom', () => {
    const b = ringsBbox(cell.coordinates)!
    expect(bboxTileRange(b, 15)).toEqual({ z: 15, minX: 27044, maxX: 27044, minY: 12846, maxY: 12846 })
    expect(bboxTileRange(b, 18)).toEqual({ z: 18, minX: 216355, maxX: 216357, minY: 102768, maxY: 102770 })
  })

  it('counts exactly the tiles it lists, each once, zoom by zoom', () => {
    const boxes = polygonBboxes([cell])
    const tiles = [...coverTiles(boxes, 14, 18)]
    expect(countTiles(boxes, 14, 18)).toBe(tiles.length)
    expect(new Set(tiles.map((t) => `${t.z}/${t.x}/${t.y}`)).size).toBe(tiles.length)
    // Every tile touches the padded box, and the box's corners are covered at every zoom.
    const box = boxes[0]!
    for (const t of tiles) {
      const tb = tileBbox(t)
      expect(tb.west <= box.east && tb.east >= box.west && tb.south <= box.north && tb.north >= box.south).toBe(true)
    }
    const keys = new Set(tiles.map((t) => `${t.z}/${t.x}/${t.y}`))
    for (let z = 14; z <= 18; z++)
      for (const [lng, lat] of [
        [box.west, box.north],
        [box.east, box.south],
      ] as const) {
        const t = lngLatToTile(lng, lat, z)
        expect(keys.has(`${z}/${t.x}/${t.y}`)).toBe(true)
      }
    // Worked out separately (the slippy-map formulas in Python): 2 + 2 + 4 + 9 + 25 tiles.
    expect([14, 15, 16, 17, 18].map((z) => tiles.filter((t) => t.z === z).length)).toEqual([2, 2, 4, 9, 25])
    expect(tiles).toHaveLength(42)
  })

  it('counts a tile shared by neighbouring cells once', () => {
    const a: Bbox = { west: 117.1, south: 36.18, east: 117.11, north: 36.19 }
    const b: Bbox = { west: 117.105, south: 36.185, east: 117.115, north: 36.195 }
    const far: Bbox = { west: 118.1, south: 37.18, east: 118.11, north: 37.19 }
    const sum = countTiles([a], 12, 17) + countTiles([b], 12, 17)
    const union = countTiles([a, b], 12, 17)
    expect(union).toBeLessThan(sum)
    expect(union).toBe(new Set([...coverTiles([a, b], 12, 17)].map((t) => `${t.z}/${t.x}/${t.y}`)).size)
    expect(countTiles([a, a, a], 12, 17)).toBe(countTiles([a], 12, 17))
    // Disjoint boxes simply add up.
    expect(countTiles([a, far], 12, 17)).toBe(countTiles([a], 12, 17) + countTiles([far], 12, 17))
  })

  it('counts 4^z tiles for the whole world and nothing for an empty zoom range', () => {
    const world: Bbox = { west: -180, south: -MAX_LATITUDE, east: 180, north: MAX_LATITUDE }
    expect(countTiles([world], 0, 3)).toBe(1 + 4 + 16 + 64)
    expect(countTiles([world], 5, 4)).toBe(0)
    expect(countTiles([], 0, 18)).toBe(0)
  })
})

describe('size estimate', () => {
  it('multiplies the tiles by the assumed size of each layer', () => {
    expect(BYTES_PER_TILE).toEqual({ vector: 15_000, image: 40_000, labels: 8_000 })
    expect(estimateBytes(100, ['vector'])).toBe(1_500_000)
    expect(estimateBytes(100, ['image', 'labels'])).toBe(4_800_000)
    expect(estimateBytes(0, ['image'])).toBe(0)
  })
})
