import { describe, expect, it } from 'vitest'
import { metresBetween } from '../../src/domain/gcj02'
import { placeHouseholds, type PlaceableBuilding, type PlaceableHousehold } from '../../src/app/map/householdPoints'
import { validBuilding } from '../support/fixtures'

const B1 = '0190a000-0000-7000-8000-0000000000b1'
const B2 = '0190a000-0000-7000-8000-0000000000b2'
const NOWHERE = '0190a000-0000-7000-8000-0000000000b3'
const building = validBuilding({ id: B1, units: 2, floors: 6, location: { lat: 36.15, lng: 117.15, accuracy: null, source: 'register' } })
const unplaced = validBuilding({ id: NOWHERE, location: null })
const buildings = new Map<string, PlaceableBuilding>([
  [B1, building],
  [B2, validBuilding({ id: B2, kind: 'bungalow', units: 0, floors: 1, location: { lat: 36.151, lng: 117.151, accuracy: null, source: 'register' } })],
  [NOWHERE, unplaced],
])

let n = 0
function hh(over: Partial<PlaceableHousehold>): PlaceableHousehold {
  return { id: `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`, buildingId: B1, unit: '1', floor: 1, room: '101', ...over }
}

/** Every room of building B1: 2 units × 6 floors × 2 doors. */
const rooms = Array.from({ length: 2 }, (_, u) =>
  Array.from({ length: 6 }, (_, f) => Array.from({ length: 2 }, (_, d) => hh({ unit: String(u + 1), floor: f + 1, room: `${f + 1}0${d + 1}` }))),
).flat(2)

const at = (p: ReturnType<typeof placeHouseholds>, id: string) => {
  const i = p.ids.indexOf(id)
  return { lat: p.lat[i]!, lng: p.lng[i]! }
}

describe('placeHouseholds', () => {
  it('fans a building\'s households out within a few tens of metres, no two on the same spot', () => {
    const p = placeHouseholds(rooms, buildings)
    expect(p.ids).toHaveLength(24)
    expect(p.missing).toEqual([])
    const centre = building.location!
    let closest = Infinity
    for (let i = 0; i < p.ids.length; i++) {
      const a = { lat: p.lat[i]!, lng: p.lng[i]! }
      expect(metresBetween(a, centre)).toBeLessThan(25)
      for (let j = i + 1; j < p.ids.length; j++) closest = Math.min(closest, metresBetween(a, { lat: p.lat[j]!, lng: p.lng[j]! }))
    }
    // About two metres apart: four pixels at zoom 18, enough to click one.
    expect(closest).toBeGreaterThan(1)
  })

  it('puts unit 2 east of unit 1 and upper floors north of lower ones', () => {
    const p = placeHouseholds(rooms, buildings)
    const u1 = rooms.find((h) => h.unit === '1' && h.floor === 3 && h.room === '301')!
    const u2 = rooms.find((h) => h.unit === '2' && h.floor === 3 && h.room === '301')!
    const top = rooms.find((h) => h.unit === '1' && h.floor === 6 && h.room === '601')!
    expect(at(p, u2.id).lng).toBeGreaterThan(at(p, u1.id).lng)
    expect(at(p, top.id).lat).toBeGreaterThan(at(p, u1.id).lat)
  })

  it('is deterministic and independent of which other households are loaded', () => {
    const all = placeHouseholds(rooms, buildings)
    const some = placeHouseholds([...rooms].reverse().slice(5, 9), buildings)
    for (const id of some.ids) expect(at(some, id)).toEqual(at(all, id))
    expect(placeHouseholds(rooms, buildings)).toEqual(all)
  })

  it('separates households whose address gives nothing to go on (平房, free text)', () => {
    const a = hh({ buildingId: B2, unit: null, floor: null, room: null })
    const b = hh({ buildingId: B2, unit: null, floor: null, room: null })
    const p = placeHouseholds([a, b], buildings)
    expect(metresBetween(at(p, a.id), at(p, b.id))).toBeGreaterThan(0.1)
    expect(metresBetween(at(p, a.id), buildings.get(B2)!.location!)).toBeLessThan(5)
  })

  it('counts households with no building, an unknown building or a building without a location, and places the rest', () => {
    const none = hh({ buildingId: null })
    const unknown = hh({ buildingId: '0190a000-0000-7000-8000-0000000000ff' })
    const noLocation = hh({ buildingId: NOWHERE })
    const fine = hh({})
    const p = placeHouseholds([none, fine, unknown, noLocation], buildings)
    expect(p.ids).toEqual([fine.id])
    expect(p.missing).toEqual([none.id, unknown.id, noLocation.id])
    expect(p.lat).toHaveLength(1)
  })

  it('tolerates odd addresses: non-numeric unit, room without digits, a floor taller than the building says', () => {
    const odd = [hh({ unit: '东', room: '东户' }), hh({ unit: null, floor: 30, room: '3001' }), hh({ unit: '1', floor: -1, room: 'B101' })]
    const p = placeHouseholds(odd, buildings)
    expect(p.ids).toHaveLength(3)
    for (let i = 0; i < 3; i++) {
      expect(Number.isFinite(p.lat[i])).toBe(true)
      expect(metresBetween({ lat: p.lat[i]!, lng: p.lng[i]! }, building.location!)).toBeLessThan(40)
    }
  })
})
