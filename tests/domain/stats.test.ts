import { describe, expect, it } from 'vitest'
import { CoverageResponse, DashboardResponse, DashboardRow, GridCoverage, HouseholdStat, HouseholdStatsResponse, StatsQuery } from '../../src/domain'
import { ExportFormat, ExportKind, GridMovesResponse, TrailQuery, TrailResponse } from '../../src/domain/schemas/stats'
import { ids } from '../support/fixtures'
import { messagesOf } from './messagesOf'

describe('StatsQuery: the period a secretary looks at', () => {
  it('a single day, and a whole year, are periods', () => {
    expect(StatsQuery.safeParse({ from: '2026-11-21', to: '2026-11-21' }).success).toBe(true)
    expect(StatsQuery.safeParse({ from: '2025-11-21', to: '2026-11-21' }).success).toBe(true)
  })

  it('a start after the end is refused on the end date', () => {
    const r = StatsQuery.safeParse({ from: '2026-11-22', to: '2026-11-21' })
    expect(messagesOf(r)).toEqual(['开始日期不能晚于结束日期'])
    expect(r.error!.issues[0]!.path).toEqual(['to'])
  })

  it('a period of more than a year is refused', () => {
    const r = StatsQuery.safeParse({ from: '2025-11-21', to: '2026-11-23' })
    expect(messagesOf(r)).toEqual(['时间段最长一年'])
    expect(r.error!.issues[0]!.path).toEqual(['to'])
    // 2028 is a leap year: a year after New Year's Day is 366 days later, one more day is too many.
    expect(StatsQuery.safeParse({ from: '2028-01-01', to: '2029-01-01' }).success).toBe(true)
    expect(StatsQuery.safeParse({ from: '2027-12-31', to: '2029-01-01' }).success).toBe(false)
  })

  it('filters by grid cell, worker, tag and attention', () => {
    expect(StatsQuery.safeParse({ from: '2026-11-01', to: '2026-11-30', gridId: ids.grid, workerId: ids.worker, tag: 'dibao', attention: 'high' }).success).toBe(true)
    expect(StatsQuery.safeParse({ from: '2026-11-01', to: '2026-11-30', tag: 'vip' }).success).toBe(false)
  })
})

describe('what the map and the dashboard receive', () => {
  const stat = { id: ids.household, gridId: ids.grid, state: 'due', dueDay: '2026-11-30', followUp: false, visited: false, lastCompletedAt: null, visitsInPeriod: 0, needed: true }
  const coverage = { gridId: ids.grid, households: 3, needed: 2, neededVisited: 1, coverage: 0.5, visitsInPeriod: 4, overdue: 1, never: 0 }

  it('a household is never visited, overdue, follow-up missed, due or ok; visited in the period is apart', () => {
    for (const state of ['never', 'overdue', 'followup_missed', 'due', 'ok']) expect(HouseholdStat.safeParse({ ...stat, state }).success, state).toBe(true)
    for (const state of ['late', 'visited']) expect(HouseholdStat.safeParse({ ...stat, state }).success, state).toBe(false)
    expect(HouseholdStat.safeParse({ ...stat, dueDay: null, visited: true }).success).toBe(true)
    expect(HouseholdStat.safeParse({ ...stat, dueDay: '11-30' }).success).toBe(false)
    const { visited: _visited, ...noVisited } = stat
    expect(HouseholdStat.safeParse(noVisited).success).toBe(false)
    expect(HouseholdStat.safeParse({ ...stat, visitsInPeriod: -1 }).success).toBe(false)
  })

  it('coverage is a share from 0 to 1, or nothing when nothing was needed', () => {
    for (const c of [0, 1, null]) expect(GridCoverage.safeParse({ ...coverage, coverage: c }).success, String(c)).toBe(true)
    expect(GridCoverage.safeParse({ ...coverage, coverage: 1.01 }).success).toBe(false)
    expect(GridCoverage.safeParse({ ...coverage, coverage: -0.01 }).success).toBe(false)
    expect(CoverageResponse.safeParse({ from: '2026-11-01', to: '2026-11-30', grids: [coverage] }).success).toBe(true)
    expect(CoverageResponse.safeParse({ from: '2026-11-01', to: '2026-11-30' }).success).toBe(false)
    expect(HouseholdStatsResponse.safeParse({ from: '2026-11-01', to: '2026-11-30', households: [stat] }).success).toBe(true)
    expect(HouseholdStatsResponse.safeParse({ from: '2026-11-01', to: '2026-11-30', households: [{ ...stat, needed: 'yes' }] }).success).toBe(false)
  })

  it('the dashboard shows twelve weeks, no more and no fewer', () => {
    const row = (weeks: number) => ({
      key: ids.grid,
      label: '第一网格',
      visits: 10,
      vulnerableNeeded: 4,
      vulnerableVisited: 3,
      vulnerableCoverage: 0.75,
      overdue: 1,
      openCases: 2,
      overdueCases: 1,
      weekly: Array.from({ length: weeks }, () => 1),
    })
    expect(DashboardRow.safeParse(row(12)).success).toBe(true)
    expect(DashboardRow.safeParse(row(11)).success).toBe(false)
    expect(DashboardRow.safeParse({ ...row(12), vulnerableCoverage: 1.5 }).success).toBe(false)
    const weeks = (n: number) => Array.from({ length: n }, () => '2026-11-16')
    expect(DashboardResponse.safeParse({ from: '2026-11-01', to: '2026-11-30', weeks: weeks(12), byGrid: [row(12)], byWorker: [] }).success).toBe(true)
    expect(DashboardResponse.safeParse({ from: '2026-11-01', to: '2026-11-30', weeks: weeks(13), byGrid: [], byWorker: [] }).success).toBe(false)
  })

  it('a trail is asked for by worker and day', () => {
    expect(TrailQuery.parse({ workerId: ids.worker, day: '2026-11-21' })).toEqual({ workerId: ids.worker, day: '2026-11-21' })
    expect(TrailQuery.safeParse({ workerId: ids.worker, day: '2026-11-21T08:00:00Z' }).success).toBe(false)
    expect(TrailQuery.safeParse({ day: '2026-11-21' }).success).toBe(false)
  })

  it('a trail is the day\'s visits with their points and outcomes', () => {
    const point = { visitId: ids.visit, householdId: ids.household, at: '2026-11-21T01:00:00.000Z', outcome: 'met', lat: 36.15, lng: 117.15, accuracy: null }
    for (const outcome of ['met', 'not_home', 'refused', 'phone'])
      expect(TrailResponse.safeParse({ workerId: ids.worker, day: '2026-11-21', points: [{ ...point, outcome }] }).success, outcome).toBe(true)
    expect(TrailResponse.safeParse({ workerId: ids.worker, day: '2026-11-21', points: [{ ...point, outcome: 'lost' }] }).success).toBe(false)
  })

  it('exports the dashboard, visits or cases as xlsx or csv', () => {
    for (const kind of ['dashboard', 'visits', 'cases']) expect(ExportKind.safeParse(kind).success, kind).toBe(true)
    for (const format of ['xlsx', 'csv']) expect(ExportFormat.safeParse(format).success, format).toBe(true)
    expect(ExportFormat.safeParse('pdf').success).toBe(false)
  })

  it('a grid move is an assignment or an unassignment', () => {
    const move = { at: '2026-11-21T01:00:00.000Z', action: 'assign', gridId: ids.grid, gridName: '第一网格', workerId: ids.worker, workerName: '李网格', byName: null }
    expect(GridMovesResponse.safeParse({ from: '2026-11-01', to: '2026-11-30', moves: [move, { ...move, action: 'unassign', byName: '管理员' }] }).success).toBe(true)
    expect(GridMovesResponse.safeParse({ from: '2026-11-01', to: '2026-11-30', moves: [{ ...move, action: 'swap' }] }).success).toBe(false)
  })
})
