import type { Insertable, Transaction } from 'kysely'
import type { Database } from './schema'

// Rows written many at once (the demo community seeded into an empty store), in batches that
// stay under SQLite's and PostgreSQL's limits on bound parameters.

const BATCH = 500

export async function bulkInsert<T extends keyof Database>(trx: Transaction<Database>, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely cannot type a table chosen at run time; the caller's rows are typed
    await trx.insertInto(table).values(rows.slice(i, i + BATCH) as any).execute()
  }
}
