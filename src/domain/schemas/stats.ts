import { z } from 'zod'
import { Attention, Tag } from '../tags'
import { Day, Id, Instant, periodChecks } from './common'

// The secretary's map and dashboard read aggregates from the server, so a big community's map
// does not need every visit on the device. Periods are calendar days in China time, `to` included.

export const StatsQuery = z
  .object({
    from: Day,
    to: Day,
    gridId: Id.optional(),
    workerId: Id.optional(),
    tag: Tag.optional(),
    attention: Attention.optional(),
  })
  .check(periodChecks)
export type StatsQuery = z.infer<typeof StatsQuery>

/** Where a household stands on a day, as src/domain/householdState.ts decides it for every view:
 *  never: no completed visit ever; overdue: the rule's due day has passed; followup_missed: the
 *  promised follow-up day (约定回访) has passed; due: falls due on the day; ok: not yet due, or
 *  no rule asks for visits. */
export const HouseholdState = z.enum(['never', 'overdue', 'followup_missed', 'due', 'ok'])
export type HouseholdState = z.infer<typeof HouseholdState>

export const HouseholdStat = z.object({
  id: Id,
  gridId: Id,
  /** On the period's last day, or today when the period runs past it. `due` also covers a due day
   *  later in the period than today. */
  state: HouseholdState,
  /** The day the next visit is (or was) due; null when never visited or no rule applies. */
  dueDay: Day.nullable(),
  /** dueDay is a promised follow-up date, not the rule's. */
  followUp: z.boolean(),
  /** A completed visit (见面/电话) fell within the period: what coverage counts. */
  visited: z.boolean(),
  /** Completed visits (见面/电话) only; a 不在家 attempt is not a visit for coverage. */
  lastCompletedAt: Instant.nullable(),
  visitsInPeriod: z.number().int().nonnegative(),
  /** Whether a visit was needed during the period: by the visits before it, the household was
   *  never visited, or fell due (by rule or promise) on or before the period's last day. */
  needed: z.boolean(),
})
export type HouseholdStat = z.infer<typeof HouseholdStat>

export const HouseholdStatsResponse = z.object({ from: Day, to: Day, households: z.array(HouseholdStat) })
export type HouseholdStatsResponse = z.infer<typeof HouseholdStatsResponse>

export const GridCoverage = z.object({
  gridId: Id,
  households: z.number().int(),
  /** Households that needed a visit in the period … */
  needed: z.number().int(),
  /** … and of those, how many got one. */
  neededVisited: z.number().int(),
  /** neededVisited / needed; null when nothing was needed. */
  coverage: z.number().min(0).max(1).nullable(),
  visitsInPeriod: z.number().int(),
  /** Late with at least one completed visit: overdue by the rules or a promised follow-up missed. */
  overdue: z.number().int(),
  /** Never visited. overdue + never is the dashboard's 逾期未访 and the today list's 已逾期. */
  never: z.number().int(),
})
export type GridCoverage = z.infer<typeof GridCoverage>

export const CoverageResponse = z.object({ from: Day, to: Day, grids: z.array(GridCoverage) })
export type CoverageResponse = z.infer<typeof CoverageResponse>

export const DashboardRow = z.object({
  /** A grid cell id or a worker id. */
  key: Id,
  label: z.string(),
  visits: z.number().int(),
  /** Vulnerable = tagged or attention 重点/高风险: needed a visit in the period / got one. */
  vulnerableNeeded: z.number().int(),
  vulnerableVisited: z.number().int(),
  vulnerableCoverage: z.number().min(0).max(1).nullable(),
  /** Late households (never visited, overdue, follow-up missed), as the today list counts them. */
  overdue: z.number().int(),
  openCases: z.number().int(),
  overdueCases: z.number().int(),
  /** Visits per week for the 12 weeks ending with the period's end, oldest first. */
  weekly: z.array(z.number().int()).length(12),
})
export type DashboardRow = z.infer<typeof DashboardRow>

export const DashboardResponse = z.object({
  from: Day,
  to: Day,
  /** Monday of each of the 12 weeks, oldest first. */
  weeks: z.array(Day).length(12),
  byGrid: z.array(DashboardRow),
  byWorker: z.array(DashboardRow),
})
export type DashboardResponse = z.infer<typeof DashboardResponse>

export const TrailQuery = z.object({ workerId: Id, day: Day })
export type TrailQuery = z.infer<typeof TrailQuery>

export const TrailPoint = z.object({
  visitId: Id,
  householdId: Id,
  at: Instant,
  outcome: z.enum(['met', 'not_home', 'refused', 'phone']),
  lat: z.number(),
  lng: z.number(),
  accuracy: z.number().nullable(),
})
export const TrailResponse = z.object({ workerId: Id, day: Day, points: z.array(TrailPoint) })
export type TrailResponse = z.infer<typeof TrailResponse>

export const ExportKind = z.enum(['dashboard', 'visits', 'cases'])
export const ExportFormat = z.enum(['xlsx', 'csv'])

/** A grid cell given to or taken from a worker (the secretary sees what moved). */
export const GridMove = z.object({
  at: Instant,
  action: z.enum(['assign', 'unassign']),
  gridId: Id,
  gridName: z.string(),
  workerId: Id,
  workerName: z.string(),
  byName: z.string().nullable(),
})
export const GridMovesResponse = z.object({ from: Day, to: Day, moves: z.array(GridMove) })
export type GridMovesResponse = z.infer<typeof GridMovesResponse>
