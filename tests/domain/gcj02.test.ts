import { describe, expect, it } from 'vitest'
import { fromDatum, gcj02ToWgs84, mapRing, metresBetween, polygonLatLngs, toDatum, wgs84ToGcj02, type Position } from '../../src/domain/gcj02'

// Reference pairs, each checked against an independent implementation of the published formula
// (an eviltransform-style Python script written apart from this code):
//   Tiananmen, WGS (39.90872, 116.39750) → GCJ (39.91012350, 116.40374358)
//   Shanghai People's Square, WGS (31.2304, 121.4737) → GCJ (31.22845774, 121.47822306)
//   the demo community's centre, WGS (36.19, 117.12) → GCJ (36.19023993, 117.12607529)
// and gcoord's own unit test: GCJ (45, 123) → WGS (44.99804071, 122.99395597).
const PAIRS = [
  { name: 'Tiananmen', wgs: { lat: 39.90872, lng: 116.3975 }, gcj: { lat: 39.9101235, lng: 116.40374358 } },
  { name: 'Shanghai', wgs: { lat: 31.2304, lng: 121.4737 }, gcj: { lat: 31.22845774, lng: 121.47822306 } },
  { name: 'demo centre', wgs: { lat: 36.19, lng: 117.12 }, gcj: { lat: 36.19023993, lng: 117.12607529 } },
]

describe('WGS-84 → GCJ-02', () => {
  it.each(PAIRS)('matches the published shift at $name to a few centimetres', ({ wgs, gcj }) => {
    const got = wgs84ToGcj02(wgs)
    expect(metresBetween(got, gcj)).toBeLessThan(0.05)
  })

  it('shifts by a few hundred metres, as the datum does (not by nothing, not by kilometres)', () => {
    for (const { wgs } of PAIRS) {
      const d = metresBetween(wgs, wgs84ToGcj02(wgs))
      expect(d).toBeGreaterThan(100)
      expect(d).toBeLessThan(1000)
    }
  })

  it('agrees with gcoord on its own test point (inverse)', () => {
    const w = gcj02ToWgs84({ lat: 45, lng: 123 })
    expect(w.lat).toBeCloseTo(44.99804071, 5)
    expect(w.lng).toBeCloseTo(122.99395597, 5)
  })

  it('round-trips within 1 m (in fact within a few cm) over a grid of points across China', () => {
    let worst = 0
    for (let lat = 18.5; lat <= 53; lat += 2.3)
      for (let lng = 74; lng <= 134.5; lng += 3.1) {
        const p = { lat, lng }
        const back = gcj02ToWgs84(wgs84ToGcj02(p))
        worst = Math.max(worst, metresBetween(p, back))
      }
    expect(worst).toBeLessThan(0.05)
  })

  it('leaves points outside mainland China\'s box unchanged, both ways', () => {
    for (const p of [
      { lat: 51.5074, lng: -0.1278 }, // London
      { lat: 35.6762, lng: 139.6503 }, // Tokyo (east of the box)
      { lat: -33.8688, lng: 151.2093 }, // Sydney
      { lat: 0.5, lng: 100 }, // south of the box
    ]) {
      expect(wgs84ToGcj02(p)).toEqual(p)
      expect(gcj02ToWgs84(p)).toEqual(p)
    }
  })

  it('shifts a polygon\'s vertices exactly as it shifts each point, ring order and closure kept', () => {
    const ring: Position[] = [
      [117.11, 36.18],
      [117.13, 36.18],
      [117.13, 36.2],
      [117.11, 36.2],
      [117.11, 36.18],
    ]
    const shifted = mapRing(ring, wgs84ToGcj02)
    expect(shifted).toHaveLength(ring.length)
    shifted.forEach(([lng, lat], i) => {
      const p = wgs84ToGcj02({ lat: ring[i]![1], lng: ring[i]![0] })
      expect(lat).toBe(p.lat)
      expect(lng).toBe(p.lng)
    })
    expect(shifted[0]).toEqual(shifted[shifted.length - 1])
    const drawn = polygonLatLngs({ coordinates: [ring] }, 'gcj02')[0]!
    expect(drawn.map((p) => [p.lng, p.lat])).toEqual(shifted)
    // On a WGS-84 basemap nothing moves.
    expect(polygonLatLngs({ coordinates: [ring] }, 'wgs84')[0]!.map((p) => [p.lng, p.lat])).toEqual(ring)
  })

  it('toDatum / fromDatum are inverse for a GCJ-02 basemap and identity for a WGS-84 one', () => {
    const p = { lat: 36.1912, lng: 117.1234 }
    expect(metresBetween(fromDatum(toDatum(p, 'gcj02'), 'gcj02'), p)).toBeLessThan(0.05)
    expect(toDatum(p, 'wgs84')).toEqual(p)
    expect(fromDatum(p, 'wgs84')).toEqual(p)
  })
})
