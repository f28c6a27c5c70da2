// Households have no coordinates of their own: the register places buildings. On the map each
// household sits at its building's point, fanned out by unit (west → east), door (within the
// unit) and floor (south → north), a few metres each, so the households of one building can be
// told apart and clicked at street zoom. Deterministic: a household's place depends only on its
// own address and id, never on which other households are loaded. Pure: no Leaflet.
import type { Building, Household } from '../../domain'

export type PlaceableHousehold = Pick<Household, 'id' | 'buildingId' | 'unit' | 'floor' | 'room'>
export type PlaceableBuilding = Pick<Building, 'location' | 'units' | 'floors'>

export interface PlacedHouseholds {
  /** Household ids in input order, for those that could be placed. */
  ids: string[]
  lat: Float64Array
  lng: Float64Array
  /** Ids of households with no building, or whose building has no location. */
  missing: string[]
}

const M_PER_DEG = 111_320
const UNIT_M = 10
const DOOR_M = 2
/** A tall tower's floors share at most this many metres, so no household lands on the next building. */
const FLOOR_SPAN_M = 24
const JITTER_M = 0.4

/** FNV-1a, 32 bit: a stable small hash for stable offsets. */
export function hash32(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

function leadingInt(s: string | null): number | null {
  const m = s === null ? null : /\d+/.exec(s)
  return m ? Number(m[0]) : null
}

/** The door number within its floor: "502" on floor 5 is door 2, "1203" on floor 12 door 3. */
function doorOf(room: string | null, floor: number | null): number {
  if (room === null || room === '') return 1
  const digits = /^\d+/.exec(room)?.[0]
  if (!digits) return (hash32(room) % 4) + 1
  const f = floor !== null && floor > 0 ? String(floor) : ''
  if (f && digits.length > f.length && digits.startsWith(f)) return Number(digits.slice(f.length)) || 1
  return Number(digits.slice(-2)) || 1
}

/** East and north offset in metres of one household from its building's point. */
export function householdOffset(h: PlaceableHousehold, b: Pick<Building, 'units' | 'floors'>): { east: number; north: number } {
  const r = hash32(h.id)
  // Small stable jitter: two households with the same unit/floor/room never share a pixel.
  const jx = ((r & 0xffff) / 0xffff - 0.5) * 2 * JITTER_M
  const jy = ((r >>> 16) / 0xffff - 0.5) * 2 * JITTER_M
  if (h.unit === null && h.floor === null && h.room === null) {
    // A 平房 or a free-text address: a small ring around the point, placed by id.
    const angle = ((r % 3600) / 3600) * 2 * Math.PI
    const radius = 1 + ((r >>> 12) % 3)
    return { east: Math.cos(angle) * radius, north: Math.sin(angle) * radius }
  }
  const unitN = leadingInt(h.unit) ?? (h.unit === null ? 1 : (hash32(h.unit) % Math.max(1, b.units)) + 1)
  const units = Math.max(1, b.units, unitN)
  const floor = h.floor ?? 1
  const floors = Math.max(1, b.floors, floor)
  const floorM = Math.min(DOOR_M, FLOOR_SPAN_M / floors)
  const door = doorOf(h.room, h.floor)
  return {
    east: (unitN - (units + 1) / 2) * UNIT_M + (door - 2.5) * DOOR_M + jx,
    north: (floor - (floors + 1) / 2) * floorM + jy,
  }
}

/** Places every household it can; the rest are listed in `missing` (never thrown). */
export function placeHouseholds(households: readonly PlaceableHousehold[], buildings: ReadonlyMap<string, PlaceableBuilding>): PlacedHouseholds {
  const ids: string[] = []
  const lat = new Float64Array(households.length)
  const lng = new Float64Array(households.length)
  const missing: string[] = []
  let n = 0
  for (const h of households) {
    const b = h.buildingId ? buildings.get(h.buildingId) : undefined
    const at = b?.location
    if (!b || !at) {
      missing.push(h.id)
      continue
    }
    const o = householdOffset(h, b)
    lat[n] = at.lat + o.north / M_PER_DEG
    lng[n] = at.lng + o.east / (M_PER_DEG * Math.cos((at.lat * Math.PI) / 180))
    ids.push(h.id)
    n++
  }
  return { ids, lat: lat.slice(0, n), lng: lng.slice(0, n), missing }
}
