import { defineStore } from 'pinia'
import { computed, type Ref } from 'vue'
import type { Building, Household } from '../../domain'
import { isPresent } from '../../domain/householdMembers'
import type { Local } from '../db/database'
import { db } from '../db/instance'
import { eachResident, residentsOfHousehold } from '../db/residents'
import { eachVisit, visitsOfHousehold } from '../db/visits'
import { useLiveQuery } from '../db/useLiveQuery'
import { tagSearchText } from '../i18n'

export interface HouseholdGroup {
  key: string
  building: Building | null
  title: string
  units: Array<{ unit: string | null; households: Household[] }>
}

/** Orders rooms as people walk them: floor, then door ("1202" after "902"). */
function byRoom(a: Household, b: Household): number {
  return (a.floor ?? 0) - (b.floor ?? 0) || (a.room ?? a.address).localeCompare(b.room ?? b.address, 'zh-CN', { numeric: true })
}

/** The register as the device holds it: grid cells, buildings, households, templates. */
export const useRegisterStore = defineStore('register', () => {
  const gridCells = useLiveQuery(() => db.gridCells.toArray(), [], undefined, { wholeTables: true })
  const buildings = useLiveQuery(() => db.buildings.toArray(), [], undefined, { wholeTables: true })
  const households = useLiveQuery(() => db.households.toArray(), [], undefined, { wholeTables: true })
  const templates = useLiveQuery(() => db.checklistTemplates.toArray(), [], undefined, { wholeTables: true })
  const buildingById = computed(() => new Map(buildings.value.map((b) => [b.id, b])))

  /** One lower-case string per household to search in: address, names, pinyin, tag labels. */
  const searchIndex = computed(() =>
    households.value.map((h) => ({
      h,
      text: `${h.address} ${h.searchKey} ${h.tags.map(tagSearchText).join(' ')}`.toLowerCase(),
    })),
  )

  function search(query: string): Household[] {
    const terms = query.trim().toLowerCase().split(/\s+/).filter(Boolean)
    if (terms.length === 0) return households.value
    return searchIndex.value.filter(({ text }) => terms.every((t) => text.includes(t))).map(({ h }) => h)
  }

  /** The members whose name (or its pinyin) a search term found, when the address and tags alone
   *  did not: the list says who matched ("匹配 王*芳"), not just the head's name. */
  function matchedMembers(h: Household, query: string): string[] {
    const terms = query.trim().toLowerCase().split(/\s+/).filter(Boolean)
    const plain = `${h.address} ${h.tags.map(tagSearchText).join(' ')}`.toLowerCase()
    const byName = terms.filter((t) => !plain.includes(t))
    if (byName.length === 0) return []
    return membersOfKey(h.searchKey).filter((m) => byName.some((t) => m.keys.some((k) => k.includes(t)))).map((m) => m.name)
  }

  /** Households grouped building → unit → room, buildings in compound/number order. */
  function group(list: Household[]): HouseholdGroup[] {
    const groups = new Map<string, HouseholdGroup>()
    for (const h of list) {
      const key = h.buildingId ?? 'none'
      let g = groups.get(key)
      if (!g) {
        const b = h.buildingId ? buildingById.value.get(h.buildingId) ?? null : null
        g = { key, building: b, title: b ? `${b.compound}${b.number}` : '', units: [] }
        groups.set(key, g)
      }
      let u = g.units.find((x) => x.unit === h.unit)
      if (!u) g.units.push((u = { unit: h.unit, households: [] }))
      u.households.push(h)
    }
    const out = [...groups.values()]
    for (const g of out) {
      g.units.sort((a, b) => (a.unit ?? '').localeCompare(b.unit ?? '', 'zh-CN', { numeric: true }))
      for (const u of g.units) u.households.sort(byRoom)
    }
    return out.sort((a, b) => a.title.localeCompare(b.title, 'zh-CN', { numeric: true }))
  }

  /** Residents living there and visits of the last 30 days per grid cell, one pass each. */
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString()
  const residentsByGrid = useLiveQuery(async () => {
    const m = new Map<string, number>()
    // Those who moved out or died stay on the register but are not people living here.
    await eachResident(db, (r) => {
      if (isPresent(r)) m.set(r.gridId, (m.get(r.gridId) ?? 0) + 1)
    })
    return m
  }, new Map<string, number>(), undefined, { wholeTables: true })
  const recentVisitsByGrid = useLiveQuery(async () => {
    const m = new Map<string, number>()
    await eachVisit(db, (v) => {
      if (v.startedAt >= since) m.set(v.gridId, (m.get(v.gridId) ?? 0) + 1)
    })
    return m
  }, new Map<string, number>(), undefined, { wholeTables: true })

  return { gridCells, buildings, households, templates, buildingById, residentsByGrid, recentVisitsByGrid, search, matchedMembers, group }
})

/** One household with its residents and visits, live. */
export function useHouseholdDetail(id: Ref<string>) {
  // null once read and not on this device, undefined while reading: a page can tell "still
  // loading" from "not here" (a household whose cell went to another worker) and not wait forever.
  const found = useLiveQuery(async () => (await db.households.get(id.value)) ?? null, undefined as Household | null | undefined, id)
  const household = computed(() => found.value ?? undefined)
  const missing = computed(() => found.value === null)
  const residents = useLiveQuery(() => residentsOfHousehold(db, id.value), [] as Local<'resident'>[], id)
  const visits = useLiveQuery(
    async () => [...(await visitsOfHousehold(db, id.value))].sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    [],
    id,
  )
  return { household, missing, residents, visits }
}

const HAN = /[\u3400-\u9fff]/
/** A searchKey is each member's name followed by its pinyin forms ("王芳 wangfang wf 李明 …"); a
 *  name added on this device comes without them. */
function membersOfKey(key: string): Array<{ name: string; keys: string[] }> {
  const out: Array<{ name: string; keys: string[] }> = []
  for (const token of key.toLowerCase().split(' ').filter(Boolean)) {
    if (HAN.test(token) || out.length === 0) out.push({ name: token, keys: [token] })
    else out[out.length - 1]!.keys.push(token)
  }
  return out
}
