import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from './schema'

// Conflicts on household and resident fields (recorded by services/fieldPatch.ts when a patch
// overwrote a field someone else had changed since the patch's base version), read with their
// household (a resident's: the one they belong to), the resident, and the display names of
// everyone involved. Conflicts of a household or resident taken off the register are left out:
// there is nothing left to settle.

type Db = Kysely<Database> | Transaction<Database>

export interface ConflictRow {
  id: number
  entity: 'household' | 'resident'
  /** The record the conflict is about: the household, or the resident. */
  entityId: string
  householdId: string
  field: string
  keptValue: string
  keptBy: string
  keptByName: string | null
  keptAt: string
  overwrittenValue: string
  overwrittenBy: string | null
  overwrittenByName: string | null
  overwrittenAt: string | null
  settledAt: string | null
  settledBy: string | null
  settledByName: string | null
  settledChoice: string | null
  settledValue: string | null
  /** The household as it is now. */
  gridId: string | null
  householdVersion: number
  householdData: string
  /** The resident as they are now, for a resident's field. */
  residentVersion: number | null
  residentData: string | null
}

function withHousehold(db: Db) {
  return db
    .selectFrom('conflicts')
    .leftJoin('residents', (j) => j.onRef('residents.id', '=', 'conflicts.entity_id').on('conflicts.entity', '=', 'resident').on('residents.deleted', '=', 0))
    .innerJoin('households', (j) =>
      j
        .on((eb) =>
          eb.or([
            eb.and([eb('conflicts.entity', '=', 'household'), eb('households.id', '=', eb.ref('conflicts.entity_id'))]),
            eb.and([eb('conflicts.entity', '=', 'resident'), eb('households.id', '=', eb.ref('residents.household_id'))]),
          ]),
        )
        .on('households.deleted', '=', 0),
    )
}

function selectRows(db: Db) {
  return withHousehold(db)
    .leftJoin('users as kept_user', 'kept_user.id', 'conflicts.user_id')
    .leftJoin('users as over_user', 'over_user.id', 'conflicts.overwritten_by')
    .leftJoin('users as settle_user', 'settle_user.id', 'conflicts.settled_by')
    .select([
      'conflicts.id',
      'conflicts.entity',
      'conflicts.entity_id',
      'households.id as household_id',
      'residents.version as resident_version',
      'residents.data as resident_data',
      'conflicts.field',
      'conflicts.kept_value',
      'conflicts.user_id',
      'kept_user.name as kept_name',
      'conflicts.at',
      'conflicts.overwritten_value',
      'conflicts.overwritten_by',
      'over_user.name as over_name',
      'conflicts.overwritten_at',
      'conflicts.settled_at',
      'conflicts.settled_by',
      'settle_user.name as settle_name',
      'conflicts.settled_choice',
      'conflicts.settled_value',
      'households.grid_id',
      'households.version',
      'households.data',
    ])
}

type Selected = Awaited<ReturnType<ReturnType<typeof selectRows>['execute']>>[number]

const toRow = (r: Selected): ConflictRow => ({
  id: Number(r.id),
  entity: r.entity === 'resident' ? 'resident' : 'household',
  entityId: r.entity_id,
  householdId: r.household_id,
  field: r.field,
  keptValue: r.kept_value,
  keptBy: r.user_id,
  keptByName: r.kept_name,
  keptAt: r.at,
  overwrittenValue: r.overwritten_value,
  overwrittenBy: r.overwritten_by,
  overwrittenByName: r.over_name,
  overwrittenAt: r.overwritten_at,
  settledAt: r.settled_at,
  settledBy: r.settled_by,
  settledByName: r.settle_name,
  settledChoice: r.settled_choice,
  settledValue: r.settled_value,
  gridId: r.grid_id,
  householdVersion: Number(r.version),
  householdData: r.data,
  residentVersion: r.resident_version === null ? null : Number(r.resident_version),
  residentData: r.resident_data,
})

export type ConflictState = 'open' | 'settled' | 'all'

/** Open ones first (oldest first: the longest waiting), then settled ones, latest settled first. */
export async function listConflictRows(db: Db, q: { state: ConflictState; limit: number; offset: number }): Promise<{ rows: ConflictRow[]; total: number }> {
  let base = selectRows(db)
  let count = withHousehold(db).select((eb) => eb.fn.countAll<number>().as('n'))
  if (q.state === 'open') {
    base = base.where('conflicts.settled_at', 'is', null)
    count = count.where('conflicts.settled_at', 'is', null)
  } else if (q.state === 'settled') {
    base = base.where('conflicts.settled_at', 'is not', null)
    count = count.where('conflicts.settled_at', 'is not', null)
  }
  const rows = await base
    .orderBy(sql`case when conflicts.settled_at is null then 0 else 1 end`)
    .orderBy(sql`coalesce(conflicts.settled_at, '')`, 'desc')
    .orderBy('conflicts.at')
    .orderBy('conflicts.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute()
  const n = await count.executeTakeFirstOrThrow()
  return { rows: rows.map(toRow), total: Number(n.n) }
}

export async function countOpenConflicts(db: Db): Promise<number> {
  const r = await withHousehold(db)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('conflicts.settled_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function getConflictRow(db: Db, id: number): Promise<ConflictRow | null> {
  const r = await selectRows(db).where('conflicts.id', '=', id).executeTakeFirst()
  return r ? toRow(r) : null
}

/** The open conflicts of these fields of one household or resident: one question, settled together. */
export async function openConflicts(db: Db, entity: 'household' | 'resident', entityId: string, fields: readonly string[]): Promise<{ id: number; field: string; overwrittenValue: string; at: string }[]> {
  const rows = await db
    .selectFrom('conflicts')
    .select(['id', 'field', 'overwritten_value', 'at'])
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .where('field', 'in', [...fields])
    .where('settled_at', 'is', null)
    .orderBy('at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ id: Number(r.id), field: r.field, overwrittenValue: r.overwritten_value, at: r.at }))
}

export async function markSettled(
  trx: Transaction<Database>,
  ids: readonly number[],
  s: { at: string; by: string; choice: string; value: string; version: number | null },
): Promise<void> {
  if (ids.length === 0) return
  await trx
    .updateTable('conflicts')
    .set({ settled_at: s.at, settled_by: s.by, settled_choice: s.choice, settled_value: s.value, settled_version: s.version })
    .where('id', 'in', [...ids])
    .where('settled_at', 'is', null)
    .execute()
}

/** Conflicts where the user wrote one of the two values, on live households of the grid cells
 *  given (null: every cell), open or settled since `settledSince`. */
export async function conflictRowsInvolving(db: Db, userId: string, gridIds: readonly string[] | null, settledSince: string): Promise<ConflictRow[]> {
  if (gridIds !== null && gridIds.length === 0) return []
  let q = selectRows(db)
    .where((eb) => eb.or([eb('conflicts.overwritten_by', '=', userId), eb('conflicts.user_id', '=', userId)]))
    .where((eb) => eb.or([eb('conflicts.settled_at', 'is', null), eb('conflicts.settled_at', '>=', settledSince)]))
  if (gridIds !== null) q = q.where('households.grid_id', 'in', [...gridIds])
  const rows = await q.orderBy('conflicts.at', 'desc').orderBy('conflicts.id', 'desc').limit(200).execute()
  return rows.map(toRow)
}

export interface HouseholdForEdit {
  version: number
  gridId: string | null
  data: string
  fieldVersions: string
}

/** A live household or resident with its field versions, for an edit inside the writing transaction. */
export async function recordForEdit(trx: Transaction<Database>, table: 'households' | 'residents', id: string): Promise<HouseholdForEdit | null> {
  const r = await trx.selectFrom(table).select(['version', 'grid_id', 'data', 'field_versions']).where('id', '=', id).where('deleted', '=', 0).executeTakeFirst()
  return r ? { version: Number(r.version), gridId: r.grid_id, data: r.data, fieldVersions: r.field_versions } : null
}

export async function writeRecord(trx: Transaction<Database>, table: 'households' | 'residents', id: string, w: { version: number; data: string; fieldVersions: string }): Promise<void> {
  await trx.updateTable(table).set({ version: w.version, data: w.data, field_versions: w.fieldVersions }).where('id', '=', id).execute()
}
