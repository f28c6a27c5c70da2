import { type Kysely, sql, type Transaction } from 'kysely'
import type { Entity } from '../../domain'
import { ENTITY_TABLES, type Database } from './schema'

type Db = Kysely<Database> | Transaction<Database>

/** Matches no row. (Not eb.val(false): better-sqlite3 cannot bind a boolean.) */
const NOTHING = sql<boolean>`1 = 0`

export interface StoredRecord {
  id: string
  version: number
  deleted: boolean
  gridId: string | null
  householdId: string | null
  data: Record<string, unknown>
}

export async function getRecord(db: Db, entity: Entity, id: string): Promise<StoredRecord | null> {
  const row = await db
    .selectFrom(ENTITY_TABLES[entity])
    .select(['id', 'version', 'deleted', 'grid_id', 'household_id', 'data'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    version: Number(row.version),
    deleted: row.deleted === 1,
    gridId: row.grid_id,
    householdId: row.household_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
  }
}

/** Rows changed after `afterVersion`, oldest first, limited to the grid cells given (null: all). */
export async function changedSince(db: Db, entity: Entity, afterVersion: number, gridIds: readonly string[] | null, limit: number) {
  let q = db
    .selectFrom(ENTITY_TABLES[entity])
    .select(['id', 'version', 'deleted', 'data'])
    .where('version', '>', afterVersion)
  if (gridIds !== null) {
    // A grid cell's own record has no grid_id of its own: scope it by id.
    if (entity === 'gridCell') q = gridIds.length ? q.where('id', 'in', gridIds) : q.where(NOTHING)
    // Templates, teams and settings are the community's, the same for everyone.
    else if (entity !== 'checklistTemplate' && entity !== 'team' && entity !== 'settings')
      q = gridIds.length ? q.where('grid_id', 'in', gridIds) : q.where(NOTHING)
  }
  const rows = await q.orderBy('version').limit(limit).execute()
  return rows.map((r) => ({ ...r, version: Number(r.version) }))
}
