import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

// Households as other records refer to them: which exist, in which grid cell.

type Db = Kysely<Database> | Transaction<Database>

/** The households of `ids` the register has (taken off ones too, marked `deleted`), with their cell. */
export async function householdCells(db: Db, ids: readonly string[]): Promise<Array<{ id: string; gridId: string | null; deleted: boolean }>> {
  if (!ids.length) return []
  const rows = await db.selectFrom('households').select(['id', 'grid_id', 'deleted']).where('id', 'in', [...ids]).execute()
  return rows.map((r) => ({ id: r.id, gridId: r.grid_id, deleted: r.deleted === 1 }))
}
