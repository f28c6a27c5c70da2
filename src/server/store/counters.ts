import type { Transaction } from 'kysely'
import type { Database } from './schema'

/** Next value of the global change sequence. Must run inside the writing transaction: the
 *  UPDATE takes the row lock, so on PostgreSQL too no later version can commit before an
 *  earlier one, and no commit becomes visible behind a cursor already handed out. */
export async function nextVersion(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'version')
    .returning('value')
    .executeTakeFirstOrThrow()
  return Number(row.value)
}

export async function readCounter(db: Pick<Transaction<Database>, 'selectFrom'>, name: string): Promise<number> {
  const row = await db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst()
  return Number(row?.value ?? 0)
}

/** `n` consecutive values of the change sequence at once (a launch writes thousands of targets):
 *  the first of them; the same row lock as nextVersion, so the same ordering guarantee. */
export async function reserveVersions(trx: Transaction<Database>, n: number): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', n) }))
    .where('name', '=', 'version')
    .returning('value')
    .executeTakeFirstOrThrow()
  return Number(row.value) - n + 1
}

/** Sets the change sequence to `value` (a store seeded with versions 1 … value). */
export async function setVersionCounter(trx: Transaction<Database>, value: number): Promise<void> {
  await trx.updateTable('counters').set({ value }).where('name', '=', 'version').execute()
}
