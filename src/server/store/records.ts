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

/** Which of these ids a record of the entity holds already (deleted ones too). */
export async function existingIds(db: Db, entity: Entity, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db.selectFrom(ENTITY_TABLES[entity]).select('id').where('id', 'in', ids).execute()
  return new Set(rows.map((r) => r.id))
}

/** Which records a device holds: `gridIds` limits them to those cells (null: the whole
 *  community); `visitsFrom` (an ISO instant, null: all) keeps only visits begun since, plus each
 *  household's latest visit that reached somebody (outcomes in `completing`), whatever its age:
 *  the device works out when a household is due from that one. */
export interface PullScope {
  gridIds: readonly string[] | null
  visitsFrom: string | null
  completing: readonly string[]
  /** Whether campaigns still in draft are sent (the office's); launched and closed ones always are. */
  campaignDrafts: boolean
  /** Whether volunteers' service records are sent at all (the office's alone). */
  serviceRecords: boolean
  /** Whether matters' ledger entries are sent at all (the office's alone: shares and
   *  contributions are personal data). */
  ledger: boolean
}

/** A matter's records, scoped by the cells the matter touches (matter_cells), not by a column of
 *  their own: the matter by its id, its steps and meetings by their matter_id. */
const BY_MATTER: Partial<Record<Entity, string>> = { matter: 'matters.id', matterStep: 'matter_steps.matter_id', meeting: 'meetings.matter_id' }

/** The community's records, the same for everyone in it: not scoped by grid cell. */
const COMMUNITY_WIDE: ReadonlySet<Entity> = new Set<Entity>(['checklistTemplate', 'team', 'settings', 'campaign', 'resource', 'project', 'notice'])

function scoped(db: Db, entity: Entity, afterVersion: number, scope: PullScope) {
  const { gridIds, visitsFrom } = scope
  let q = db.selectFrom(ENTITY_TABLES[entity]).where('version', '>', afterVersion)
  if (gridIds !== null) {
    // A grid cell's own record has no grid_id of its own: scope it by id.
    if (entity === 'gridCell') q = gridIds.length ? q.where('id', 'in', gridIds) : q.where(NOTHING)
    else if (BY_MATTER[entity])
      q = gridIds.length
        ? q.where(sql<boolean>`exists (select 1 from matter_cells where matter_cells.matter_id = ${sql.ref(BY_MATTER[entity])} and matter_cells.grid_id in (${sql.join(gridIds)}))`)
        : q.where(NOTHING)
    // Templates, teams, settings, campaigns, resources, projects and notices are the community's.
    else if (!COMMUNITY_WIDE.has(entity)) q = gridIds.length ? q.where('grid_id', 'in', gridIds) : q.where(NOTHING)
  }
  if (entity === 'campaign' && !scope.campaignDrafts) q = q.where(sql<boolean>`status <> 'draft'`)
  if (entity === 'serviceRecord' && !scope.serviceRecords) q = q.where(NOTHING)
  if (entity === 'ledgerEntry' && !scope.ledger) q = q.where(NOTHING)
  if (entity !== 'visit' || visitsFrom === null) return q
  const completing = scope.completing.length ? scope.completing : ['']
  // No later visit of the same household reached anybody: this one is the household's latest
  // (visits_household is (household_id, started_at), so this is one short index range per row).
  const latest = sql<boolean>`(outcome in (${sql.join(completing)}) and not exists (
    select 1 from visits later where later.household_id = visits.household_id and later.deleted = 0
      and later.started_at > visits.started_at and later.outcome in (${sql.join(completing)})))`
  return q.where((eb) => eb.or([eb(sql.ref('started_at'), '>=', visitsFrom), latest]))
}

/** The versions of the first `limit` rows changedSince would give, without their records: a pull
 *  finds where its page ends from these, then reads only the records up to there. */
export async function versionsSince(db: Db, entity: Entity, afterVersion: number, scope: PullScope, limit: number): Promise<number[]> {
  const rows = await scoped(db, entity, afterVersion, scope).select('version').orderBy('version').limit(limit).execute()
  return rows.map((r) => Number(r.version))
}

/** Rows changed after `afterVersion` (and at most `upTo`) that the scope holds, oldest first. */
export async function changedSince(db: Db, entity: Entity, afterVersion: number, scope: PullScope, limit: number, upTo?: number) {
  let q = scoped(db, entity, afterVersion, scope)
  if (upTo !== undefined) q = q.where('version', '<=', upTo)
  const rows = await q.select(['id', 'version', 'deleted', 'data']).orderBy('version').limit(limit).execute()
  return rows.map((r) => ({ ...r, version: Number(r.version) }))
}

/** How many rows changedSince would give with no limit: a first sync's progress says it. */
export async function countChangedSince(db: Db, entity: Entity, afterVersion: number, scope: PullScope): Promise<number> {
  const row = await scoped(db, entity, afterVersion, scope).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The live visits of one household, newest first (visits_household covers it). */
export async function visitsOfHousehold(db: Db, householdId: string): Promise<Record<string, unknown>[]> {
  const rows = await db.selectFrom('visits').select('data').where('household_id', '=', householdId).where('deleted', '=', 0).orderBy('started_at', 'desc').execute()
  return rows.map((r) => JSON.parse(r.data) as Record<string, unknown>)
}

/** One row of a first pull's snapshot (see snapshotRows). */
export interface SnapshotRow {
  id: string
  version: number
  deleted: number
  data: string
  householdId: string | null
}

/** A first pull reads the scope as it stood at version `upTo`, entity by entity in key order
 *  rather than in version order: visits by household (`afterKey` a household id), so that each
 *  household's visits arrive together and a device writes each household's visits once;
 *  everything else by id. Rows changed after `upTo` are left to the pull from `upTo` that
 *  follows the snapshot, so a change made meanwhile is never missed and at worst sent twice.
 *  Tombstones are included, as a pull from version 0 includes them. At most `limit` rows. */
export async function snapshotRows(db: Db, entity: Entity, scope: PullScope, upTo: number, afterKey: string, limit: number): Promise<SnapshotRow[]> {
  const key = entity === 'visit' ? 'household_id' : 'id'
  let q = scoped(db, entity, 0, scope).where('version', '<=', upTo)
  if (afterKey) q = q.where(key, '>', afterKey)
  const rows = await q.select(['id', 'version', 'deleted', 'data', 'household_id']).orderBy(key).orderBy('id').limit(limit).execute()
  return rows.map((r) => ({ id: r.id, version: Number(r.version), deleted: r.deleted, data: r.data, householdId: r.household_id }))
}

/** Every snapshot visit of one household (a household with more visits than a page holds). */
export async function snapshotHousehold(db: Db, scope: PullScope, upTo: number, householdId: string): Promise<SnapshotRow[]> {
  const rows = await scoped(db, 'visit', 0, scope)
    .where('version', '<=', upTo)
    .where('household_id', '=', householdId)
    .select(['id', 'version', 'deleted', 'data', 'household_id'])
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ id: r.id, version: Number(r.version), deleted: r.deleted, data: r.data, householdId: r.household_id }))
}

/** How many snapshot rows of `entity` come after `afterKey` (a resumed first pull's total). */
export async function countSnapshotRows(db: Db, entity: Entity, scope: PullScope, upTo: number, afterKey: string): Promise<number> {
  let q = scoped(db, entity, 0, scope).where('version', '<=', upTo)
  if (afterKey) q = q.where(entity === 'visit' ? 'household_id' : 'id', '>', afterKey)
  const row = await q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}
