// Where a household stands on a given day: the one rule every view asks (the worker's today list
// and map, the home counts, the secretary's map and dashboard, the exports), so that no two of
// them can count overdue households differently (issue 10, part 5).
//
// domain.md, "Visit frequency": due date = last completed visit (见面/电话) + the interval of the
// shortest rule the household matches; 不在家 and 拒访 do not reset it. A follow-up date the
// worker promised (约定回访) brings the visit forward, never back: it stands until a completed visit
// comes after the visit that made it. A later 不在家 or 拒访 does not keep it (nobody was reached),
// and a later promise replaces it (the worker agreed a new date). Once the promised day has passed
// the household is overdue, and says why: "约定回访已过期 (11-10)".
// Pure and cheap: the phone runs it for every household of a grid cell on every change.
import type { Household } from './schemas/register'
import type { VisitRule } from './schemas/settings'
import type { HouseholdState } from './schemas/stats'
import type { Visit, VisitOutcome } from './schemas/visit'

const DAY = 86_400_000
/** China Standard Time (UTC+8, no daylight saving), in minutes east of UTC. */
export const CHINA_OFFSET_MINUTES = 480

/** Outcomes that reset the clock: somebody was actually reached. 不在家 and 拒访 do not. */
export const COMPLETES: Readonly<Record<VisitOutcome, boolean>> = { met: true, phone: true, not_home: false, refused: false }

/** Days between visits for this household, or null when no rule matches (no visit is due).
 *  A copy whose 政法 tags were removed carries the server's answer for its full tags. */
export function intervalDays(household: Pick<Household, 'tags' | 'attention' | 'hiddenInterval'>, rules: readonly VisitRule[]): number | null {
  if (household.hiddenInterval !== undefined) return household.hiddenInterval
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

/** A follow-up date promised on a visit. */
export interface FollowUpPromise {
  /** The promised calendar day, 'YYYY-MM-DD'. */
  day: string
  /** When the visit that promised it started, as a UTC ISO string. */
  at: string
}

/** What a household's visits say, as far as its state is concerned. */
export interface VisitHistory {
  /** Most recent visit that reached somebody (met or by phone), UTC ISO string; null if none. */
  lastCompletedAt: string | null
  /** The most recent visit that promised a follow-up date, whatever its outcome. Whether the
   *  promise still stands is the state's business (a completed visit after it keeps it).
   *  Sources may leave out a promise older than the last completed visit: it changes nothing. */
  lastPromise: FollowUpPromise | null
}

export type VisitFacts = Pick<Visit, 'householdId' | 'startedAt' | 'outcome' | 'followUpDate'>

/** Instants compare as strings only in one format: `toISOString()`'s, which is what devices and
 *  the server write. Anything else (an offset like +08:00) is converted, once, here. */
export function utcIso(s: string): string {
  return s.length === 24 && s.charCodeAt(23) === 90 /* Z */ ? s : new Date(s).toISOString()
}

/** One pass over visits, in any order: householdId → its VisitHistory. */
export function visitHistories(visits: Iterable<VisitFacts>): Map<string, VisitHistory> {
  const out = new Map<string, VisitHistory>()
  for (const v of visits) {
    const at = utcIso(v.startedAt)
    let h = out.get(v.householdId)
    if (!h) out.set(v.householdId, (h = { lastCompletedAt: null, lastPromise: null }))
    if (COMPLETES[v.outcome] && (h.lastCompletedAt === null || at > h.lastCompletedAt)) h.lastCompletedAt = at
    if (v.followUpDate !== null && (h.lastPromise === null || at > h.lastPromise.at)) h.lastPromise = { day: v.followUpDate, at }
  }
  return out
}

/** A household's standing on one day. */
export interface HouseholdStatus {
  /** never: no completed visit ever; overdue: the rule's due day has passed; followup_missed:
   *  the promised follow-up day has passed (and came before the rule's); due: due on the day;
   *  ok: not yet due, or no rule asks for visits. */
  state: HouseholdState
  /** The day the next visit is due ('YYYY-MM-DD'): the rule's, or the promised day when that
   *  comes first. Null when never visited or when no rule applies. */
  dueDay: string | null
  /** True when dueDay is a promised follow-up date rather than the rule's. */
  followUp: boolean
  /** The day judged minus the due day: positive when late, 0 when due, negative when ahead.
   *  Infinity when never visited (late since forever); -Infinity when no rule applies. */
  daysOverdue: number
  /** The household's interval; null when no rule matches. */
  intervalDays: number | null
}

/** Day number (days since 1970-01-01) of the calendar day an instant falls on, at an offset. */
export function dayOfInstant(ms: number, offsetMinutes = CHINA_OFFSET_MINUTES): number {
  return Math.floor((ms + offsetMinutes * 60_000) / DAY)
}

/** 'YYYY-MM-DD' → day number. A date-only ISO string parses as UTC midnight. */
export function dayNumber(day: string): number {
  return Math.floor(Date.parse(day) / DAY)
}

/** Day number → 'YYYY-MM-DD'. */
export function dayString(n: number): string {
  return new Date(n * DAY).toISOString().slice(0, 10)
}

/**
 * The household's state on `day` (a calendar day: 'YYYY-MM-DD' or a day number), from its visits
 * up to that day. Instants become calendar days at `offsetMinutes` east of UTC (China time).
 * A promise counts only for a day after the visit that made it (a "follow-up" dated the same day
 * is a slip of the finger, not a promise), and only when no completed visit came after that visit.
 */
export function householdState(
  household: Pick<Household, 'tags' | 'attention' | 'hiddenInterval'>,
  history: VisitHistory | undefined,
  rules: readonly VisitRule[],
  day: string | number,
  offsetMinutes = CHINA_OFFSET_MINUTES,
): HouseholdStatus {
  return stateFor(intervalDays(household, rules), history, typeof day === 'number' ? day : dayNumber(day), offsetMinutes)
}

/** householdState with the interval already worked out (lists cache it by tags and attention). */
export function stateFor(interval: number | null, history: VisitHistory | undefined, today: number, offsetMinutes = CHINA_OFFSET_MINUTES): HouseholdStatus {
  if (interval === null) return { state: 'ok', dueDay: null, followUp: false, daysOverdue: -Infinity, intervalDays: null }
  const last = history?.lastCompletedAt ?? null
  if (last === null) return { state: 'never', dueDay: null, followUp: false, daysOverdue: Infinity, intervalDays: interval }

  let due = dayOfInstant(Date.parse(last), offsetMinutes) + interval
  let followUp = false
  const p = history!.lastPromise
  if (p !== null && p.at >= last) {
    const promised = dayNumber(p.day)
    if (promised < due && promised > dayOfInstant(Date.parse(p.at), offsetMinutes)) {
      due = promised
      followUp = true
    }
  }
  const state: HouseholdState = due > today ? 'ok' : due === today ? 'due' : followUp ? 'followup_missed' : 'overdue'
  return { state, dueDay: dayString(due), followUp, daysOverdue: today - due, intervalDays: interval }
}

/** Late by any reason: never visited, overdue by the rules, or a promised follow-up missed. The
 *  today list's 已逾期 and the dashboard's 逾期未访 both count exactly these. */
export function isLate(state: HouseholdState): boolean {
  return state === 'never' || state === 'overdue' || state === 'followup_missed'
}
