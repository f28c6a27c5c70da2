import { periodBounds } from './coverage'
import { dayNumber, dayOfInstant, dayString } from './householdState'
import { maskName, maskPhone } from './mask'
import { NEED_CATEGORIES, needCategoryZh, type NeedCategory } from './needCategories'
import { isUnresolved } from './needFlow'
import type { Building, GridCell, Household } from './schemas/register'
import type {
  ListsFiguresResponse,
  Need,
  NeedCategoryGroup,
  NeedSummaryResponse,
  Offer,
  OfferPeriod,
  PointRule,
  PointsResponse,
  Project,
  Resource,
  ServiceAction,
  ServiceRecord,
} from './schemas/lists'
import { UNNAMED_VOLUNTEER } from './schemas/lists'
import type { Settings } from './schemas/settings'
import { DEFAULT_POINT_RULES } from './settingsDefaults'

// The three lists' counting, pure, so the server's routes and a test's independent count can
// be held to the same rules: a service offer's capacity per period, points from the rule table,
// what of a volunteer a worker may see, the needs summary ("23 户在教师新村2–4号楼需要助餐") and the
// dashboard's figures.

const DAY = 86_400_000

// ---- capacity (你点我来) ----

/** The period an instant's order counts against: the China-time week (Monday on) or calendar
 *  month that holds it, as UTC instants [start, end). */
export function offerPeriodOf(at: string | number, period: OfferPeriod): { start: string; end: string } {
  const day = dayOfInstant(typeof at === 'number' ? at : Date.parse(at))
  if (period === 'week') {
    // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
    const monday = day - ((day + 3) % 7)
    return periodBounds(dayString(monday), dayString(monday + 6))
  }
  const d = new Date(day * DAY)
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY
  const last = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY - 1
  return periodBounds(dayString(first), dayString(last))
}

/** Orders still possible in the period, given how many it holds; null: no limit. */
export function capacityLeft(offer: Pick<Offer, 'capacity'>, used: number): number | null {
  return offer.capacity === null ? null : Math.max(0, offer.capacity - used)
}

/** The period in words, for a refusal: "11月" or "11月16日起的一周". */
export function offerPeriodZh(period: OfferPeriod, start: string): string {
  const d = new Date(Date.parse(start) + 8 * 3_600_000)
  return period === 'month' ? `${d.getUTCMonth() + 1}月` : `${d.getUTCMonth() + 1}月${d.getUTCDate()}日起的一周`
}

// ---- points ----

export function pointRulesOf(settings: Pick<Settings, 'pointRules'>): PointRule[] {
  return settings.pointRules ?? DEFAULT_POINT_RULES
}

/** The rule of the category, else the default one. */
export function pointRuleFor(rules: readonly PointRule[], category: NeedCategory | null): PointRule {
  return (category !== null ? rules.find((r) => r.category === category) : undefined) ?? rules.find((r) => r.category === null) ?? { category: null, pointsPerHour: 0 }
}

/** Points for confirmed hours, by the rule table; a tenth at most, so half hours never round away. */
export function pointsFor(rules: readonly PointRule[], category: NeedCategory | null, hours: number): { points: number; pointsPerHour: number } {
  const { pointsPerHour } = pointRuleFor(rules, category)
  return { points: Math.round(hours * pointsPerHour * 10) / 10, pointsPerHour }
}

/** A service record after an allowed action (checkServiceTransition first): confirmed, with its
 *  points by the rule table now in force fixed on it; or not confirmed, with the reason. The
 *  server's record of a serviceRecord:transition, and the office device's copy until it arrives. */
export function applyServiceAction(r: ServiceRecord, action: ServiceAction, input: { note: string }, rules: readonly PointRule[], by: string, now: string): ServiceRecord {
  return action === 'confirm'
    ? { ...r, status: 'confirmed', confirmedBy: by, confirmedAt: now, ...pointsFor(rules, r.category, r.hours) }
    : { ...r, status: 'rejected', rejectReason: input.note.trim() }
}

// ---- what a worker may see of a volunteer ----

/** A volunteer is a person, often a resident of another cell: a worker's copy has their name
 *  masked, no phone (masked beside it), no link to the register. Units and teams are
 *  organisations: their contact is a work contact and stays. */
export function volunteerCopy(r: Resource): Resource {
  if (r.kind !== 'volunteer') return r
  const copy: Resource = {
    ...r,
    name: maskName(r.name),
    contactName: maskName(r.contactName),
    contactPhone: null,
    volunteer: r.volunteer && { ...r.volunteer, residentId: null },
  }
  if (r.contactPhone) copy.contactPhoneMasked = maskPhone(r.contactPhone)
  return copy
}

// ---- where needs are: the summary ----

type HouseholdPlace = Pick<Household, 'id' | 'gridId' | 'buildingId'>
type BuildingPlace = Pick<Building, 'id' | 'gridId' | 'compound' | 'number'>
type GridName = Pick<GridCell, 'id' | 'code' | 'name'>

const numeric = (a: string, b: string) => a.localeCompare(b, 'zh-CN', { numeric: true })
/** Categories in the list's order, after the counts: ties read as the menu does. */
const CATEGORY_ORDER = new Map<string, number>(NEED_CATEGORIES.map((c, i) => [c.id, i]))
const order = (c: string) => CATEGORY_ORDER.get(c) ?? NEED_CATEGORIES.length

/** The buildings of each compound as one phrase ("教师新村2–4、7号楼": runs of consecutive numbers
 *  joined), the compound with the most households first; '' is the compound of households with no
 *  building (其他地址), always last. */
export function compoundSpans(buildings: readonly { compound: string; number: string; households?: number }[]): { compound: string; span: string; households: number }[] {
  const byCompound = new Map<string, { numbers: string[]; households: number }>()
  for (const b of buildings) {
    const c = byCompound.get(b.compound) ?? { numbers: [], households: 0 }
    if (!c.numbers.includes(b.number)) c.numbers.push(b.number)
    c.households += b.households ?? 1
    byCompound.set(b.compound, c)
  }
  return [...byCompound]
    .sort((a, b) => Number(a[0] === '') - Number(b[0] === '') || b[1].households - a[1].households || numeric(a[0], b[0]))
    .map(([compound, c]) => ({ compound, span: compound ? `${compound}${numberRuns(c.numbers)}` : '其他地址', households: c.households }))
}

/** "教师新村2–4、7号楼、机床厂宿舍1号楼": at most `compounds` compounds named, then 等N处 (N: all of them). */
export function buildingSpan(buildings: readonly { compound: string; number: string; households?: number }[], compounds = 3): string {
  const parts = compoundSpans(buildings).map((c) => c.span)
  if (parts.length <= compounds) return parts.join('、')
  return `${parts.slice(0, compounds).join('、')}等${parts.length}处`
}

/** ["2号楼","3号楼","4号楼","7号楼"] → "2–4、7号楼"; numbers with different words after them stay apart. */
function numberRuns(numbers: readonly string[]): string {
  const bySuffix = new Map<string, number[]>()
  const odd: string[] = []
  for (const n of numbers) {
    const m = /^(\d+)(.*)$/.exec(n)
    if (!m) {
      odd.push(n)
      continue
    }
    const list = bySuffix.get(m[2]!) ?? []
    list.push(Number(m[1]))
    bySuffix.set(m[2]!, list)
  }
  const out: string[] = []
  for (const [suffix, list] of bySuffix) {
    const sorted = [...new Set(list)].sort((a, b) => a - b)
    const runs: string[] = []
    for (let i = 0; i < sorted.length; ) {
      let j = i
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++
      runs.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`)
      i = j + 1
    }
    out.push(`${runs.join('、')}${suffix}`)
  }
  return [...out, ...odd.sort(numeric)].join('、')
}

/** One line for a category, saying where it is: "23 户在教师新村2–4号楼需要助餐"; when one
 *  compound holds at least half of several, "35 户需要助餐，其中 25 户在教师新村1–3号楼"; else the
 *  places with the most ("11 户在和平小区2、5号楼、幸福里小区2–3号楼等9处需要停车"). */
export function needLine(category: NeedCategory, households: number, buildings: readonly { compound: string; number: string; households?: number }[]): string {
  const label = needCategoryZh(category)
  const spans = compoundSpans(buildings)
  const top = spans[0]
  if (!top) return `${households} 户需要${label}`
  if (spans.length > 1 && top.compound && top.households * 2 >= households) return `${households} 户需要${label}，其中 ${top.households} 户在${top.span}`
  return `${households} 户在${buildingSpan(buildings)}需要${label}`
}

export interface SummaryInput {
  needs: readonly Need[]
  /** The register's households (those taken off it since count as 其他地址). */
  households: ReadonlyMap<string, HouseholdPlace>
  buildings: ReadonlyMap<string, BuildingPlace>
  grids: ReadonlyMap<string, GridName>
}

/** Needs grouped by category (most households first), by building and by grid cell. A household
 *  counts once per group however many of its needs fall in it; a need's grid cell is its own. */
export function summarizeNeeds(input: SummaryInput): Omit<NeedSummaryResponse, 'at' | 'status'> {
  const { needs, households, buildings, grids } = input
  const buildingOf = (hid: string) => {
    const h = households.get(hid)
    return h?.buildingId ? buildings.get(h.buildingId) : undefined
  }
  const gridName = (id: string) => grids.get(id) ?? { id, code: '', name: '' }
  const byCategory = new Map<NeedCategory, { needs: number; households: Set<string>; buildings: Map<string, Set<string>>; grids: Map<string, Set<string>> }>()
  const byBuilding = new Map<string, { needs: Set<string>; households: Set<string>; categories: Map<NeedCategory, Set<string>> }>()
  const byGrid = new Map<string, { needs: number; households: Set<string>; categories: Map<NeedCategory, Set<string>> }>()
  const all = new Set<string>()
  const add = <K>(m: Map<K, Set<string>>, k: K, v: string) => {
    const s = m.get(k) ?? new Set<string>()
    s.add(v)
    m.set(k, s)
  }
  for (const n of needs) {
    const c = byCategory.get(n.category) ?? { needs: 0, households: new Set(), buildings: new Map(), grids: new Map() }
    c.needs++
    const g = byGrid.get(n.gridId) ?? { needs: 0, households: new Set(), categories: new Map() }
    g.needs++
    for (const hid of n.householdIds) {
      all.add(hid)
      c.households.add(hid)
      add(c.grids, n.gridId, hid)
      g.households.add(hid)
      add(g.categories, n.category, hid)
      const bid = buildingOf(hid)?.id ?? ''
      add(c.buildings, bid, hid)
      const b = byBuilding.get(bid) ?? { needs: new Set(), households: new Set(), categories: new Map() }
      b.needs.add(n.id)
      b.households.add(hid)
      add(b.categories, n.category, hid)
      byBuilding.set(bid, b)
    }
    byCategory.set(n.category, c)
    byGrid.set(n.gridId, g)
  }
  const buildingCount = (bid: string, count: number) => {
    const b = bid ? buildings.get(bid) : undefined
    return { buildingId: b?.id ?? null, gridId: b?.gridId ?? null, compound: b?.compound ?? '', number: b?.number ?? '', households: count }
  }
  const categories = (m: Map<NeedCategory, Set<string>>) =>
    [...m].map(([category, s]) => ({ category, households: s.size })).sort((a, b) => b.households - a.households || order(a.category) - order(b.category))
  const groups: NeedCategoryGroup[] = [...byCategory].map(([category, c]) => {
    const inBuildings = [...c.buildings]
      .map(([bid, s]) => buildingCount(bid, s.size))
      .sort((a, b) => numeric(a.compound, b.compound) || numeric(a.number, b.number))
    return {
      category,
      label: needCategoryZh(category),
      needs: c.needs,
      households: c.households.size,
      buildings: inBuildings,
      grids: [...c.grids].map(([gid, s]) => ({ gridId: gid, code: gridName(gid).code, name: gridName(gid).name, households: s.size })).sort((a, b) => numeric(a.code, b.code)),
      line: needLine(category, c.households.size, inBuildings),
    }
  })
  groups.sort((a, b) => b.households - a.households || order(a.category) - order(b.category))
  return {
    needs: needs.length,
    households: all.size,
    byCategory: groups,
    byBuilding: [...byBuilding]
      .map(([bid, b]) => ({ ...buildingCount(bid, b.households.size), needs: b.needs.size, categories: categories(b.categories) }))
      .sort((a, b) => b.households - a.households || numeric(a.compound, b.compound) || numeric(a.number, b.number)),
    byGrid: [...byGrid]
      .map(([gid, g]) => ({ gridId: gid, code: gridName(gid).code, name: gridName(gid).name, households: g.households.size, needs: g.needs, categories: categories(g.categories) }))
      .sort((a, b) => numeric(a.code, b.code)),
  }
}

// ---- the dashboard's figures ----

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

const hoursBetween = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 3_600_000)
const round1 = (x: number) => Math.round(x * 10) / 10

export interface FiguresInput {
  from: string
  to: string
  at: string
  needs: readonly Need[]
  resources: readonly Resource[]
  projects: readonly Project[]
  serviceRecords: readonly ServiceRecord[]
  grids: ReadonlyMap<string, GridName>
}

/** The office's figures over a period of days (China time, `to` included): statuses as they stand
 *  at `at`, and what happened within the period. */
export function listFigures(i: FiguresInput): Omit<ListsFiguresResponse, 'from' | 'to' | 'at'> {
  const { start, end } = periodBounds(i.from, i.to)
  const within = (t: string | null) => t !== null && new Date(t).toISOString() >= start && new Date(t).toISOString() < end
  const count = { open: 0, matched: 0, met: 0, closed: 0, raised: 0, metInPeriod: 0 }
  const byCategory = new Map<NeedCategory, { open: number; matched: number; households: Set<string> }>()
  const byGrid = new Map<string, { open: number; matched: number; households: Set<string> }>()
  const toMatch: number[] = []
  const toMet: number[] = []
  const use = new Map<string, { matched: number; orders: number; met: number; households: Set<string>; hours: number }>()
  const useOf = (id: string) => {
    const u = use.get(id) ?? { matched: 0, orders: 0, met: 0, households: new Set<string>(), hours: 0 }
    use.set(id, u)
    return u
  }
  for (const n of i.needs) {
    count[n.status]++
    if (within(n.raisedAt)) count.raised++
    if (n.status === 'met' && within(n.metAt)) count.metInPeriod++
    if (isUnresolved(n.status)) {
      const c = byCategory.get(n.category) ?? { open: 0, matched: 0, households: new Set() }
      const g = byGrid.get(n.gridId) ?? { open: 0, matched: 0, households: new Set() }
      c[n.status === 'open' ? 'open' : 'matched']++
      g[n.status === 'open' ? 'open' : 'matched']++
      for (const h of n.householdIds) {
        c.households.add(h)
        g.households.add(h)
      }
      byCategory.set(n.category, c)
      byGrid.set(n.gridId, g)
    }
    const isOrder = n.source.kind === 'order'
    if (n.matchedAt !== null && within(n.matchedAt)) {
      if (!isOrder) toMatch.push(hoursBetween(n.raisedAt, n.matchedAt))
      if (n.resourceId) {
        const u = useOf(n.resourceId)
        u.matched++
        if (isOrder) u.orders++
      }
    }
    if (n.status === 'met' && within(n.metAt)) {
      if (n.matchedAt !== null) toMet.push(hoursBetween(n.matchedAt, n.metAt!))
      if (n.resourceId) {
        const u = useOf(n.resourceId)
        u.met++
        for (const h of n.householdIds) u.households.add(h)
      }
    }
  }
  const dayFrom = dayNumber(i.from)
  const dayTo = dayNumber(i.to)
  for (const r of i.serviceRecords) {
    const d = dayNumber(r.day)
    if (r.status === 'confirmed' && d >= dayFrom && d <= dayTo) useOf(r.resourceId).hours += r.hours
  }
  const resourceById = new Map(i.resources.map((r) => [r.id, r]))
  const projects = { planning: 0, doing: 0, done: 0, evaluated: 0, doneInPeriod: 0 }
  for (const p of i.projects) {
    projects[p.status]++
    if (p.doneAt !== null && within(p.doneAt)) projects.doneInPeriod++
  }
  const grid = (id: string) => i.grids.get(id) ?? { id, code: '', name: '' }
  const duration = (xs: number[]) => {
    const m = median(xs)
    return { count: xs.length, medianHours: m === null ? null : round1(m) }
  }
  return {
    needs: count,
    openByCategory: [...byCategory]
      .map(([category, c]) => ({ category, open: c.open, matched: c.matched, households: c.households.size }))
      .sort((a, b) => b.open + b.matched - (a.open + a.matched) || order(a.category) - order(b.category)),
    openByGrid: [...byGrid]
      .map(([gridId, g]) => ({ gridId, code: grid(gridId).code, name: grid(gridId).name, open: g.open, matched: g.matched, households: g.households.size }))
      .sort((a, b) => numeric(a.code, b.code)),
    toMatch: duration(toMatch),
    toMet: duration(toMet),
    resources: [...use]
      .filter(([id]) => resourceById.has(id))
      .map(([id, u]) => {
        const r = resourceById.get(id)!
        return { resourceId: id, kind: r.kind, name: r.name, matched: u.matched, orders: u.orders, met: u.met, households: u.households.size, hours: round1(u.hours) }
      })
      .sort((a, b) => b.matched - a.matched || b.met - a.met || b.hours - a.hours || numeric(a.name, b.name)),
    projects,
  }
}

// ---- points per volunteer ----

/** Confirmed hours and points per volunteer over the days `from`–`to` (by the day served),
 *  most points first; only those who agreed are named. Unconfirmed and rejected hours never count. */
export function pointsTable(i: { from: string; to: string; records: readonly ServiceRecord[]; resources: readonly Resource[] }): Omit<PointsResponse, 'from' | 'to'> {
  const dayFrom = dayNumber(i.from)
  const dayTo = dayNumber(i.to)
  const per = new Map<string, { records: number; hours: number; points: number }>()
  for (const r of i.records) {
    const d = dayNumber(r.day)
    if (r.status !== 'confirmed' || r.points === null || d < dayFrom || d > dayTo) continue
    const p = per.get(r.resourceId) ?? { records: 0, hours: 0, points: 0 }
    p.records++
    p.hours += r.hours
    p.points += r.points
    per.set(r.resourceId, p)
  }
  const byId = new Map(i.resources.map((r) => [r.id, r]))
  const volunteers = [...per].map(([id, p]) => {
    const r = byId.get(id)
    const named = r?.volunteer?.pointsConsent === true
    return {
      resourceId: named ? id : null,
      name: named ? r!.name : UNNAMED_VOLUNTEER,
      named,
      partyMember: named ? r!.volunteer!.partyMember : null,
      records: p.records,
      hours: round1(p.hours),
      points: round1(p.points),
    }
  })
  // Named ones by points then name; the unnamed after those with as many points, never sorted by a hidden name.
  volunteers.sort((a, b) => b.points - a.points || Number(b.named) - Number(a.named) || numeric(a.name, b.name) || b.hours - a.hours)
  const total = volunteers.reduce((t, v) => ({ volunteers: t.volunteers + 1, records: t.records + v.records, hours: t.hours + v.hours, points: t.points + v.points }), { volunteers: 0, records: 0, hours: 0, points: 0 })
  return { volunteers, total: { ...total, hours: round1(total.hours), points: round1(total.points) } }
}
