import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema'

// The ledger of applied device mutations (design: exactly once). A row commits in the transaction
// of the change it records, so a resent mutation finds it and answers `duplicate`.

type Trx = Transaction<Database>

export interface MutationKey {
  userId: string
  deviceId: string
  mutationId: string
}

/** The version a mutation was applied at, if this user's device sent it before. Keyed by user
 *  too: another user who learns a device's id and a mutation id must not have their own change
 *  answered `duplicate` and dropped. */
export async function appliedVersion(trx: Trx | Kysely<Database>, k: MutationKey): Promise<number | null> {
  const seen = await trx
    .selectFrom('mutations')
    .select('version')
    .where('user_id', '=', k.userId)
    .where('device_id', '=', k.deviceId)
    .where('mutation_id', '=', k.mutationId)
    .executeTakeFirst()
  return seen ? Number(seen.version) : null
}

/** The versions the given mutations of one device were applied at, those this user's device sent
 *  before: one read for a whole batch. */
export async function appliedVersions(db: Trx | Kysely<Database>, userId: string, deviceId: string, mutationIds: readonly string[]): Promise<Map<string, number>> {
  if (mutationIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('mutations')
    .select(['mutation_id', 'version'])
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .where('mutation_id', 'in', mutationIds)
    .execute()
  return new Map(rows.map((r) => [r.mutation_id, Number(r.version)]))
}

export interface AppliedRow {
  mutationId: string
  entity: string
  entityId: string
  op: string
  status: string
  version: number
  receivedAt: string
}

/** Ledger rows of a batch of one device, in one insert. */
export async function recordAppliedMany(trx: Trx, userId: string, deviceId: string, rows: readonly AppliedRow[]): Promise<void> {
  if (rows.length === 0) return
  await trx
    .insertInto('mutations')
    .values(rows.map((m) => ({ device_id: deviceId, mutation_id: m.mutationId, user_id: userId, entity: m.entity, entity_id: m.entityId, op: m.op, status: m.status, version: m.version, received_at: m.receivedAt })))
    .execute()
}

export async function recordApplied(
  trx: Trx,
  k: MutationKey,
  m: Omit<AppliedRow, 'mutationId'>,
): Promise<void> {
  await recordAppliedMany(trx, k.userId, k.deviceId, [{ mutationId: k.mutationId, ...m }])
}

/** Runs one mutation of a push inside the push's transaction, under a savepoint: a refusal (or a
 *  key another writer holds) undoes that mutation's writes alone and the rest of the batch goes
 *  on; the whole push then commits once, instead of once per mutation (on SQLite a commit costs
 *  more than applying a visit; on PostgreSQL each transaction waits for the community's lock). */
export async function inSavepoint<T>(trx: Trx, apply: () => Promise<T>): Promise<T> {
  await sql`savepoint mutation`.execute(trx)
  try {
    const result = await apply()
    await sql`release savepoint mutation`.execute(trx)
    return result
  } catch (err) {
    await sql`rollback to savepoint mutation`.execute(trx)
    await sql`release savepoint mutation`.execute(trx)
    throw err
  }
}
