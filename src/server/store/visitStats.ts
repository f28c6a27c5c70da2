import { type Kysely, sql, type Transaction } from 'kysely'
import { COMPLETED_OUTCOMES, type VisitAggregate } from '../../domain/coverage'
import type { Store } from './open'
import type { Database } from './schema'

// What the secretary's aggregates read from the visits: per household, the figures of
// VisitAggregate (src/domain/coverage.ts) for a period, without reading any visit's JSON.

/**
 * Per household with a visit before `end`: the aggregate of its visits over [start, end).
 * Counts and latest completed visits come from one grouped pass through the covering index; the
 * follow-up promises from the few visits that carry one (migration 0006's partial index).
 * `gridIds`: the households of those grid cells only; null: the whole community.
 */
export async function visitAggregates(store: Store, start: string, end: string, gridIds: readonly string[] | null): Promise<Map<string, VisitAggregate>> {
  const done = sql.join(COMPLETED_OUTCOMES.map((o) => sql.lit(o)))
  const inCells = (ids: readonly string[]) =>
    store
      .selectFrom('households')
      .select('id')
      .where('grid_id', 'in', ids.length ? ids : [''])

  let grouped = store
    .selectFrom('visits')
    .select([
      'household_id',
      sql<string | null>`max(case when outcome in (${done}) and started_at < ${start} then started_at end)`.as('last_before'),
      sql<string | null>`max(case when outcome in (${done}) then started_at end)`.as('last_completed'),
      sql<number | string>`sum(case when outcome in (${done}) and started_at >= ${start} then 1 else 0 end)`.as('completed_in'),
      sql<number | string>`sum(case when started_at >= ${start} then 1 else 0 end)`.as('visits_in'),
    ])
    .where('deleted', '=', 0)
    .where('started_at', '<', end)
  if (gridIds !== null) grouped = grouped.where('household_id', 'in', inCells(gridIds))

  let promised = store
    .selectFrom('visits')
    .select(['household_id', 'started_at', 'follow_up_date'])
    .where('follow_up_date', 'is not', null)
    .where('deleted', '=', 0)
    .where('started_at', '<', end)
  if (gridIds !== null) promised = promised.where('household_id', 'in', inCells(gridIds))

  const out = new Map<string, VisitAggregate>()
  for (const r of await grouped.groupBy('household_id').execute()) {
    if (r.household_id === null) continue
    out.set(r.household_id, {
      lastCompletedBefore: r.last_before,
      lastCompletedAt: r.last_completed,
      completedInPeriod: Number(r.completed_in),
      visitsInPeriod: Number(r.visits_in),
      promiseBefore: null,
      promise: null,
    })
  }
  for (const r of await promised.execute()) {
    const a = r.household_id === null ? undefined : out.get(r.household_id)
    if (!a || r.follow_up_date === null) continue
    const p = { day: r.follow_up_date, at: r.started_at }
    if (a.promise === null || p.at > a.promise.at) a.promise = p
    if (p.at < start && (a.promiseBefore === null || p.at > a.promiseBefore.at)) a.promiseBefore = p
  }
  return out
}

type Db = Kysely<Database> | Transaction<Database>

/** The ids of the households of these grid cells, as a subquery. */
function householdsInCells(db: Db, gridIds: readonly string[]) {
  return db
    .selectFrom('households')
    .select('id')
    .where('grid_id', 'in', gridIds.length ? gridIds : [''])
}

/** Who made each live visit begun in [start, end), and when: no visit's JSON is read.
 *  `gridIds`: the visits of those cells' households only; null: the whole community. */
export async function visitTimesBetween(
  db: Db,
  start: string,
  end: string,
  gridIds: readonly string[] | null,
): Promise<{ householdId: string | null; workerId: string; startedAt: string }[]> {
  let q = db.selectFrom('visits').select(['household_id', 'worker_id', 'started_at']).where('deleted', '=', 0).where('started_at', '>=', start).where('started_at', '<', end)
  if (gridIds !== null) q = q.where('household_id', 'in', householdsInCells(db, gridIds))
  return (await q.execute()).map((r) => ({ householdId: r.household_id, workerId: r.worker_id, startedAt: r.started_at }))
}

/** The live visits begun in [start, end), in time order, as stored. `gridIds` as for visitTimesBetween. */
export async function visitsBetween(db: Db, start: string, end: string, gridIds: readonly string[] | null): Promise<{ householdId: string | null; data: unknown }[]> {
  let q = db.selectFrom('visits').select(['household_id', 'data']).where('deleted', '=', 0).where('started_at', '>=', start).where('started_at', '<', end)
  if (gridIds !== null) q = q.where('household_id', 'in', householdsInCells(db, gridIds))
  const rows = await q.orderBy('started_at').orderBy('id').execute()
  return rows.map((r) => ({ householdId: r.household_id, data: JSON.parse(r.data) as unknown }))
}

/** One worker's live visits begun in [start, end), in time order, as stored. */
export async function visitsOfWorkerBetween(db: Db, workerId: string, start: string, end: string): Promise<unknown[]> {
  const rows = await db
    .selectFrom('visits')
    .select(['id', 'data'])
    .where('worker_id', '=', workerId)
    .where('deleted', '=', 0)
    .where('started_at', '>=', start)
    .where('started_at', '<', end)
    .orderBy('started_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}
