// The worker's today list (domain.md, "Visit frequency"): "overdue, then due today, then due this
// week", grouped by building and unit so it can be walked. Where each household stands is decided
// by householdState.ts, the rule the office's map and dashboard use too.
// Pure: runs on the phone for a whole grid cell on every change.
import { CHINA_OFFSET_MINUTES, dayOfInstant, intervalDays, isLate, stateFor, type VisitHistory } from './householdState'
import type { Building, Household } from './schemas/register'
import type { VisitRule } from './schemas/settings'
import type { HouseholdState } from './schemas/stats'

const WEEK_DAYS = 7

export type DueHousehold = Pick<Household, 'id' | 'gridId' | 'tags' | 'attention' | 'hiddenInterval' | 'buildingId' | 'unit' | 'floor' | 'room' | 'address'>

export interface DueItem<H extends DueHousehold = Household> {
  household: H
  /** never, overdue or followup_missed in the overdue section; due today; ok this week. */
  state: HouseholdState
  /** The calendar day (YYYY-MM-DD, local time) the visit is due; null = never visited. */
  dueDay: string | null
  /** dueDay is the follow-up date promised on the last visit, not the rule's. */
  followUp: boolean
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

const collator = new Intl.Collator('zh-CN', { numeric: true })
const byAddress = (a: DueItem<DueHousehold>, b: DueItem<DueHousehold>) => collator.compare(a.household.address, b.household.address)

/** Sorts every household of the device into overdue / due today / due this week. Days are
 *  calendar days at `timeZoneOffsetMinutes` east of UTC (China time by default). */
export function buildTodayList<H extends DueHousehold>(
  households: Iterable<H>,
  histories: ReadonlyMap<string, VisitHistory>,
  rules: readonly VisitRule[],
  now: number,
  timeZoneOffsetMinutes = CHINA_OFFSET_MINUTES,
): TodayList<H> {
  const today = dayOfInstant(now, timeZoneOffsetMinutes)
  const list: TodayList<H> = { overdue: [], today: [], week: [] }
  // Households sharing tags and attention share an interval: a grid cell has few combinations.
  const intervals = new Map<string, number | null>()

  for (const household of households) {
    const key =
      household.hiddenInterval !== undefined
        ? `hidden|${household.hiddenInterval}`
        : household.tags.length === 0
          ? household.attention
          : `${household.attention}|${household.tags.join(',')}`
    let interval = intervals.get(key)
    if (interval === undefined) intervals.set(key, (interval = intervalDays(household, rules)))
    if (interval === null) continue

    const history = histories.get(household.id)
    const s = stateFor(interval, history, today, timeZoneOffsetMinutes)
    const late = isLate(s.state)
    if (!late && s.state !== 'due' && s.daysOverdue < -WEEK_DAYS) continue
    const item: DueItem<H> = { household, state: s.state, dueDay: s.dueDay, followUp: s.followUp, daysOverdue: s.daysOverdue, intervalDays: interval, lastCompletedAt: history?.lastCompletedAt ?? null }
    if (late) list.overdue.push(item)
    else if (s.state === 'due') list.today.push(item)
    else list.week.push(item)
  }

  list.overdue.sort((a, b) => (a.daysOverdue === b.daysOverdue ? byAddress(a, b) : a.daysOverdue === Infinity ? -1 : b.daysOverdue === Infinity ? 1 : b.daysOverdue - a.daysOverdue))
  list.today.sort(byAddress)
  list.week.sort((a, b) => b.daysOverdue - a.daysOverdue || byAddress(a, b))
  return list
}

/** Per grid cell: the late households of the list (never visited included) and, of them, the
 *  never visited — what the dashboard's 逾期未访 and the map's 逾期 + 从未走访 count for that cell. */
export function lateByGrid(list: Pick<TodayList<DueHousehold>, 'overdue'>): Map<string, { overdue: number; never: number }> {
  const out = new Map<string, { overdue: number; never: number }>()
  for (const item of list.overdue) {
    let g = out.get(item.household.gridId)
    if (!g) out.set(item.household.gridId, (g = { overdue: 0, never: 0 }))
    g.overdue++
    if (item.state === 'never') g.never++
  }
  return out
}

/** What walking order needs of a household: where it is. */
export type WalkHousehold = Pick<Household, 'buildingId' | 'unit' | 'floor' | 'room' | 'address'>

export interface WalkUnitGroup<I> {
  unit: string | null
  items: I[]
}

export interface WalkBuildingGroup<I> {
  /** The building's id, or 'none' for households with no building (平房 by address). */
  key: string
  building: Building | null
  /** Compound and number, e.g. 幸福里小区3号楼; '' for households with no building. */
  title: string
  units: WalkUnitGroup<I>[]
}

export type DueUnitGroup<H extends DueHousehold = Household> = WalkUnitGroup<DueItem<H>>
export type DueBuildingGroup<H extends DueHousehold = Household> = WalkBuildingGroup<DueItem<H>>

/** Orders rooms as people walk them: floor, then door ("1202" after "902"). */
function byRoom(a: { household: WalkHousehold }, b: { household: WalkHousehold }): number {
  const x = a.household
  const y = b.household
  return (x.floor ?? 0) - (y.floor ?? 0) || collator.compare(x.room ?? x.address, y.room ?? y.address)
}

/** Groups households (or anything carrying one) building → unit → room, buildings in
 *  compound/number order (households with no building first, as on the households page), so the
 *  list can be walked: the today list and a campaign's households both. */
export function groupForWalking<I extends { household: WalkHousehold }>(items: readonly I[], buildings: ReadonlyMap<string, Building>): WalkBuildingGroup<I>[] {
  const groups = new Map<string, WalkBuildingGroup<I>>()
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

/** The today list's sections, grouped for walking. */
export function groupDueItems<H extends DueHousehold>(items: readonly DueItem<H>[], buildings: ReadonlyMap<string, Building>): DueBuildingGroup<H>[] {
  return groupForWalking(items, buildings)
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
