// The worker's today list, computed in Node over one grid cell of a large synthetic community:
// ~500 households and 2 years of their visits. Times the whole recompute the app does on a
// change: one pass over the visits, the list, and the grouping by building and unit.
import { DEMO_DEFAULTS, generateCommunity } from '../src/demo/generate'
import { DEFAULT_VISIT_RULES } from '../src/domain'
import { buildTodayList, groupTodayList } from '../src/domain/duePolicy'
import { visitHistories } from '../src/domain/householdState'
import { median, percentile } from './stats'

export interface TodayBench {
  p95: number
  median: number
  households: number
  visits: number
  counts: { overdue: number; today: number; week: number }
}

export async function benchToday(runs = 200): Promise<TodayBench> {
  // 13 grid cells of 6,500 households: about 500 in each.
  const now = DEMO_DEFAULTS.now
  const c = generateCommunity({ households: 6500, visitMonths: 24, now })
  const gridId = c.gridCells[0]!.id
  const households = c.households.filter((h) => h.gridId === gridId)
  const visits = c.visits.filter((v) => v.gridId === gridId)
  const buildings = new Map(c.buildings.filter((b) => b.gridId === gridId).map((b) => [b.id, b]))

  const times: number[] = []
  let counts = { overdue: 0, today: 0, week: 0 }
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const last = visitHistories(visits)
    const groups = groupTodayList(buildTodayList(households, last, DEFAULT_VISIT_RULES, now), buildings)
    times.push(performance.now() - t0)
    counts = groups.counts
    await Promise.resolve()
  }
  return { p95: percentile(times, 95), median: median(times), households: households.length, visits: visits.length, counts }
}
