import type { Kysely, Transaction } from 'kysely'
import { nextVersion } from './counters'
import type { Database } from './schema'

// The register's grid cells and buildings: plain records (RecordTable) written by the admin's
// import and register page. Households and residents have their own extra columns (field
// versions, ID numbers) and are written where those are kept.

export type Db = Kysely<Database> | Transaction<Database>
type PlainTable = 'grid_cells' | 'buildings'

export interface LiveRow {
  id: string
  version: number
  gridId: string | null
  data: unknown
}

/** Every record of the table not taken off the register, data parsed (not yet validated). */
export async function liveRows(db: Db, table: PlainTable | 'households'): Promise<LiveRow[]> {
  const rows = await db.selectFrom(table).select(['id', 'version', 'grid_id', 'data']).where('deleted', '=', 0).execute()
  return rows.map((r) => ({ id: r.id, version: Number(r.version), gridId: r.grid_id, data: JSON.parse(r.data) as unknown }))
}

/** One record, taken off or not; null when the id is unknown. */
export async function findRow(db: Db, table: PlainTable, id: string): Promise<(LiveRow & { deleted: boolean }) | null> {
  const r = await db.selectFrom(table).select(['id', 'version', 'grid_id', 'data', 'deleted']).where('id', '=', id).executeTakeFirst()
  return r ? { id: r.id, version: Number(r.version), gridId: r.grid_id, data: JSON.parse(r.data) as unknown, deleted: r.deleted === 1 } : null
}

/** How many households (not taken off) live in a building or grid cell. An admin's occasional
 *  question: counted over the rows rather than with a JSON index neither dialect has yet. */
export async function householdCount(db: Db, where: { buildingId: string } | { gridId: string }): Promise<number> {
  if ('gridId' in where) {
    const row = await db
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('deleted', '=', 0)
      .where('grid_id', '=', where.gridId)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
  return (await liveRows(db, 'households')).filter((r) => (r.data as { buildingId: string | null }).buildingId === where.buildingId).length
}

/** A building or compound renamed: the addresses built from its old name follow (a household's
 *  own free-text address that does not start with it is left alone). Each changed household is
 *  a new version, and its address field's version moves, as any edit of it would. */
export async function renameAddresses(trx: Transaction<Database>, buildingId: string, from: string, to: string, by: string): Promise<number> {
  if (from === to) return 0
  let n = 0
  for (const r of await trx.selectFrom('households').select(['id', 'data', 'field_versions']).where('deleted', '=', 0).execute()) {
    const data = JSON.parse(r.data) as { buildingId: string | null; address: string }
    if (data.buildingId !== buildingId || !data.address.startsWith(from)) continue
    const version = await nextVersion(trx)
    const fieldVersions = JSON.parse(r.field_versions) as Record<string, unknown>
    fieldVersions.address = { v: version, by }
    await trx
      .updateTable('households')
      .set({ version, data: JSON.stringify({ ...data, address: to + data.address.slice(from.length) }), field_versions: JSON.stringify(fieldVersions) })
      .where('id', '=', r.id)
      .execute()
    n++
  }
  return n
}

/** A new version for each of these households, data unchanged: devices pull them again (their
 *  copies carry something computed when they are sent, such as a hidden tags' interval). */
export async function touchHouseholds(trx: Transaction<Database>, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const version = await nextVersion(trx)
    await trx.updateTable('households').set({ version }).where('id', '=', id).execute()
  }
}

/** The households table's highest version (0 when empty): every insert, edit and tombstone
 *  raises it, so it tells whether anything read from the table may have changed. */
export async function householdsHeadVersion(db: Db): Promise<number> {
  const head = await db.selectFrom('households').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst()
  return Number(head?.v ?? 0)
}

/** Every grid cell's name by id, those taken off too (a past move still names its cell). */
export async function gridCellNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('grid_cells').select(['id', 'data']).execute()
  return new Map(rows.map((g) => [g.id, (JSON.parse(g.data) as { name: string }).name]))
}
