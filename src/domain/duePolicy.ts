// Visit-due policy (domain.md, "Visit frequency"): due date = last completed visit + interval,
// the interval being the shortest of the admin's rules a household matches. The worker's list is
// "overdue, then due today, then due this week", grouped by building and unit so it can be walked.
// Pure: runs on the phone for a whole grid cell on every change, so it avoids Date parsing per visit.
import type { Building, Household } from './schemas/register'
import type { VisitRule } from './schemas/settings'
import type { Visit, VisitOutcome } from './schemas/visit'

const DAY = 86_400_000
/** China Standard Time (UTC+8, no daylight saving), in minutes east of UTC. */
export const CHINA_OFFSET_MINUTES = 480
const WEEK_DAYS = 7

/** Outcomes that reset the clock: somebody was actually reached. 不在家 and 拒访 do not. */
const COMPLETES: Readonly<Record<VisitOutcome, boolean>> = { met: true, phone: true, not_home: false, refused: false }

export type DueHousehold = Pick<Household, 'id' | 'tags' | 'attention' | 'buildingId' | 'unit' | 'floor' | 'room' | 'address'>

/** Days between visits for this household, or null when no rule matches (no visit is due). */
export function intervalDays(household: Pick<Household, 'tags' | 'attention'>, rules: readonly VisitRule[]): number | null {
  let best: number | null = null
  const tagged = household.tags.length > 0
  for (const r of rules) {
    if (best !== null && r.days >= best) continue
    if (r.attention !== 'any' && r.attention !== household.attention) continue
    const tagOk = r.tag === 'any' ? true : r.tag === 'tagged' ? tagged : r.tag === 'none' ? !tagged : household.tags.includes(r.tag)
    if (tagOk) best = r.days
  }
  return best
}

export interface LastVisits {
  /** Most recent visit that reached somebody (met or by phone), as a UTC ISO string; null if none. */
  lastCompletedAt: string | null
  /** Most recent visit of any outcome, as a UTC ISO string. */
  lastAttemptAt: string
  /** The follow-up date (YYYY-MM-DD) the most recent visit promised, if any. */
  followUpDate: string | null
}

type VisitFacts = Pick<Visit, 'householdId' | 'startedAt' | 'outcome' | 'followUpDate'>

/** Instants compare as strings only in one format: `toISOString()`'s, which is what devices and
 *  the demo write. Anything else (an offset like +08:00) is converted, once, here. */
function utcIso(s: string): string {
  return s.length === 24 && s.charCodeAt(23) === 90 /* Z */ ? s : new Date(s).toISOString()
}

/** One pass over every visit on the device: householdId → last completed visit, last attempt,
 *  and the follow-up date of the most recent visit. */
export function lastCompletedVisits(visits: Iterable<VisitFacts>): Map<string, LastVisits> {
  const out = new Map<string, LastVisits>()
  for (const v of visits) {
    const at = utcIso(v.startedAt)
    const done = COMPLETES[v.outcome]
    const cur = out.get(v.householdId)
    if (!cur) {
      out.set(v.householdId, { lastCompletedAt: done ? at : null, lastAttemptAt: at, followUpDate: v.followUpDate })
      continue
    }
    if (at > cur.lastAttemptAt) {
      cur.lastAttemptAt = at
      cur.followUpDate = v.followUpDate
    }
    if (done && (cur.lastCompletedAt === null || at > cur.lastCompletedAt)) cur.lastCompletedAt = at
  }
  return out
}

export interface DueItem<H extends DueHousehold = Household> {
  household: H
  /** The calendar day (YYYY-MM-DD, local time) the visit is due; null = never visited. */
  dueDay: string | null
  /** Today minus the due day, in days: positive when late, 0 today, negative when still ahead.
   *  Infinity for a household never visited: overdue since forever. */
  daysOverdue: number
  intervalDays: number
  lastCompletedAt: string | null
}

export interface TodayList<H extends DueHousehold = Household> {
  /** Due before today: never-visited first, then the longest overdue. */
  overdue: DueItem<H>[]
  /** Due today. */
  today: DueItem<H>[]
  /** Due within the 7 days after today, soonest first. */
  week: DueItem<H>[]
}

/** Day number (days since 1970-01-01) of the local calendar day an instant falls on. */
function localDayOf(ms: number, offsetMs: number): number {
  return Math.floor((ms + offsetMs) / DAY)
}

/** 'YYYY-MM-DD' → day number. A date-only ISO string parses as UTC midnight. */
function dayNumber(day: string): number {
  return Math.floor(Date.parse(day) / DAY)
}

/** Day number → 'YYYY-MM-DD'. */
function dayString(n: number): string {
  return new Date(n * DAY).toISOString().slice(0, 10)
}

const collator = new Intl.Collator('zh-CN', { numeric: true })
const byAddress = (a: DueItem<DueHousehold>, b: DueItem<DueHousehold>) => collator.compare(a.household.address, b.household.address)

/** Sorts every household of the device into overdue / due today / due this week. Days are
 *  calendar days at `timeZoneOffsetMinutes` east of UTC (China time by default). */
export function buildTodayList<H extends DueHousehold>(
  households: Iterable<H>,
  lastVisits: ReadonlyMap<string, LastVisits>,
  rules: readonly VisitRule[],
  now: number,
  timeZoneOffsetMinutes = CHINA_OFFSET_MINUTES,
): TodayList<H> {
  const offset = timeZoneOffsetMinutes * 60_000
  const today = localDayOf(now, offset)
  const weekEnd = today + WEEK_DAYS
  const list: TodayList<H> = { overdue: [], today: [], week: [] }
  // Households sharing tags and attention share an interval: a grid cell has few combinations.
  const intervals = new Map<string, number | null>()

  for (const household of households) {
    const key = household.tags.length === 0 ? household.attention : `${household.attention}|${household.tags.join(',')}`
    let interval = intervals.get(key)
    if (interval === undefined) intervals.set(key, (interval = intervalDays(household, rules)))
    if (interval === null) continue

    const last = lastVisits.get(household.id)
    const lastCompletedAt = last?.lastCompletedAt ?? null
    if (lastCompletedAt === null) {
      list.overdue.push({ household, dueDay: null, daysOverdue: Infinity, intervalDays: interval, lastCompletedAt })
      continue
    }
    let due = localDayOf(Date.parse(lastCompletedAt), offset) + interval
    // A promised follow-up brings the visit forward, never back; only the latest visit's
    // promise counts, and only one for a day after that visit.
    if (last!.followUpDate !== null) {
      const promised = dayNumber(last!.followUpDate)
      if (promised < due && promised > localDayOf(Date.parse(last!.lastAttemptAt), offset)) due = promised
    }
    if (due > weekEnd) continue
    const item: DueItem<H> = { household, dueDay: dayString(due), daysOverdue: today - due, intervalDays: interval, lastCompletedAt }
    if (due < today) list.overdue.push(item)
    else if (due === today) list.today.push(item)
    else list.week.push(item)
  }

  list.overdue.sort((a, b) => (a.daysOverdue === b.daysOverdue ? byAddress(a, b) : a.daysOverdue === Infinity ? -1 : b.daysOverdue === Infinity ? 1 : b.daysOverdue - a.daysOverdue))
  list.today.sort(byAddress)
  list.week.sort((a, b) => b.daysOverdue - a.daysOverdue || byAddress(a, b))
  return list
}

export interface DueUnitGroup<H extends DueHousehold = Household> {
  unit: string | null
  items: DueItem<H>[]
}

export interface DueBuildingGroup<H extends DueHousehold = Household> {
  /** The building's id, or 'none' for households with no building (平房 by address). */
  key: string
  building: Building | null
  /** Compound and number, e.g. 幸福里小区3号楼; '' for households with no building. */
  title: string
  units: DueUnitGroup<H>[]
}

/** Orders rooms as people walk them: floor, then door ("1202" after "902"). */
function byRoom(a: DueItem<DueHousehold>, b: DueItem<DueHousehold>): number {
  const x = a.household
  const y = b.household
  return (x.floor ?? 0) - (y.floor ?? 0) || collator.compare(x.room ?? x.address, y.room ?? y.address)
}

/** Groups a due list building → unit → room, buildings in compound/number order (households
 *  with no building first, as on the households page), so the list can be walked. */
export function groupDueItems<H extends DueHousehold>(items: readonly DueItem<H>[], buildings: ReadonlyMap<string, Building>): DueBuildingGroup<H>[] {
  const groups = new Map<string, DueBuildingGroup<H>>()
  for (const item of items) {
    const h = item.household
    const key = h.buildingId ?? 'none'
    let g = groups.get(key)
    if (!g) {
      const b = h.buildingId ? (buildings.get(h.buildingId) ?? null) : null
      g = { key, building: b, title: b ? `${b.compound}${b.number}` : '', units: [] }
      groups.set(key, g)
    }
    let u = g.units.find((x) => x.unit === h.unit)
    if (!u) g.units.push((u = { unit: h.unit, items: [] }))
    u.items.push(item)
  }
  const out = [...groups.values()]
  for (const g of out) {
    g.units.sort((a, b) => collator.compare(a.unit ?? '', b.unit ?? ''))
    for (const u of g.units) u.items.sort(byRoom)
  }
  return out.sort((a, b) => collator.compare(a.title, b.title))
}

export interface TodayGroups<H extends DueHousehold = Household> {
  overdue: DueBuildingGroup<H>[]
  today: DueBuildingGroup<H>[]
  week: DueBuildingGroup<H>[]
  counts: { overdue: number; today: number; week: number }
}

/** The three sections of the today list, each grouped for walking, with their counts. */
export function groupTodayList<H extends DueHousehold>(list: TodayList<H>, buildings: ReadonlyMap<string, Building>): TodayGroups<H> {
  return {
    overdue: groupDueItems(list.overdue, buildings),
    today: groupDueItems(list.today, buildings),
    week: groupDueItems(list.week, buildings),
    counts: { overdue: list.overdue.length, today: list.today.length, week: list.week.length },
  }
}
