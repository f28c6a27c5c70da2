import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

type Db = Kysely<Database> | Transaction<Database>

export interface CellLeftRow {
  gridId: string
  /** The cell's record (JSON), null if it no longer exists at all. */
  gridData: string | null
  /** When it was last taken off the user. */
  at: string
  /** Display name of the worker holding it now, if anyone does. */
  holderName: string | null
}

/** The grid cells a user held once and holds no more. At most one row per cell of the
 *  community, however long the history. */
export async function cellsLeftBy(db: Db, userId: string): Promise<CellLeftRow[]> {
  const held = await db
    .selectFrom('grid_assignments')
    .select(['grid_id'])
    .select((eb) => eb.fn.max('unassigned_at').as('at'))
    .where('user_id', '=', userId)
    .where('unassigned_at', 'is not', null)
    .groupBy('grid_id')
    .execute()
  const open = new Set(
    (await db.selectFrom('grid_assignments').select('grid_id').where('user_id', '=', userId).where('unassigned_at', 'is', null).execute()).map((r) => r.grid_id),
  )
  const left = held.filter((r) => !open.has(r.grid_id) && r.at !== null)
  if (left.length === 0) return []
  const gridIds = left.map((r) => r.grid_id)
  const cells = new Map((await db.selectFrom('grid_cells').select(['id', 'data']).where('id', 'in', gridIds).execute()).map((c) => [c.id, c.data]))
  const holders = await db
    .selectFrom('grid_assignments')
    .innerJoin('users', 'users.id', 'grid_assignments.user_id')
    .select(['grid_assignments.grid_id', 'users.name'])
    .where('grid_assignments.grid_id', 'in', gridIds)
    .where('grid_assignments.unassigned_at', 'is', null)
    .orderBy('grid_assignments.assigned_at', 'desc')
    .execute()
  const holder = new Map<string, string>()
  for (const h of holders) if (!holder.has(h.grid_id)) holder.set(h.grid_id, h.name)
  return left.map((r) => ({ gridId: r.grid_id, gridData: cells.get(r.grid_id) ?? null, at: String(r.at), holderName: holder.get(r.grid_id) ?? null }))
}
