import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import { migrationProvider } from './migrations'
import type { Database } from './schema'

export type Store = Kysely<Database>

/** Opens (creating if needed) the SQLite file and brings its schema up to date. */
export async function openStore(file: string): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  // WAL: readers never block the writer; NORMAL sync is durable across app crashes
  // (only an OS crash can lose the last commits, and the device keeps its outbox until acked).
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest()
  for (const r of results ?? []) if (r.status === 'Error') throw new Error(`migration ${r.migrationName} failed`)
  if (error) throw error
  return db
}

/** Does the database answer at all (the health check)? */
export async function ping(store: Store): Promise<void> {
  await store.selectNoFrom((eb) => eb.lit(1).as('one')).execute()
}
