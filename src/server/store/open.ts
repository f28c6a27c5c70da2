import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { CompiledQuery, type DatabaseConnection, Kysely, Migrator, PostgresDialect, PostgresDriver, SqliteDialect, type TransactionSettings } from 'kysely'
import pg from 'pg'
import { migrationProvider } from './migrations'
import type { Database } from './schema'

export type Store = Kysely<Database>

/** Is this target a PostgreSQL connection string (DATABASE_URL) rather than a SQLite file? */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target)
}

// int8 (bigint: versions, count(*)) and numeric (sum of bigint) come back from pg as strings;
// every value the app keeps there fits a double, and the SQLite side already yields numbers.
// Per pool rather than pg.types.setTypeParser, so no other pg user in the process is affected.
const INT8 = 20
const NUMERIC = 1700
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v)
    return pg.types.getTypeParser(oid, format as 'text')
  },
}

/** SQLite runs one transaction at a time (one connection, one writer), and the services are
 *  written for that: they read, decide, then write (the duplicate check, field versions, login
 *  throttles) with no row locks. Under PostgreSQL's READ COMMITTED two such transactions
 *  interleave. Until each one locks what it reads, every read-write transaction takes one
 *  transaction-scoped advisory lock first: the same one-at-a-time semantics, across every app
 *  server on the database. Read-only transactions (`setAccessMode('read only')`: a pull) skip
 *  it and read their snapshot beside the writer. */
const WRITER_LOCK = CompiledQuery.raw(`select pg_advisory_xact_lock(hashtext('zoufang_writer'))`)

class SerializedPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings)
    if (settings.accessMode !== 'read only') await connection.executeQuery(WRITER_LOCK)
  }
}

class ZoufangPostgresDialect extends PostgresDialect {
  constructor(private readonly pool: pg.Pool) {
    super({ pool })
  }
  override createDriver() {
    return new SerializedPostgresDriver({ pool: this.pool })
  }
}

function postgresDialect(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.ZOUFANG_PG_POOL ?? 10), types: pgTypes as pg.CustomTypesConfig })
  // An idle connection the server closed (a restart, a failover, a dropped database) is reported
  // on the pool, and unheard it would end the process; the pool opens a new one when next asked.
  pool.on('error', () => undefined)
  return new ZoufangPostgresDialect(pool)
}

function sqliteDialect(file: string) {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  // WAL: readers never block the writer; NORMAL sync is durable across app crashes
  // (only an OS crash can lose the last commits, and the device keeps its outbox until acked).
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return new SqliteDialect({ database: sqlite })
}

/** Opens the store and brings its schema up to date: PostgreSQL when `target` is a
 *  postgres:// URL, otherwise the SQLite file at that path (created if needed). */
export async function openStore(target: string): Promise<Store> {
  const dialect = isPostgresUrl(target) ? postgresDialect(target) : sqliteDialect(target)
  const db = new Kysely<Database>({ dialect })
  try {
    const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest()
    for (const r of results ?? []) if (r.status === 'Error') throw new Error(`migration ${r.migrationName} failed`, { cause: error })
    if (error) throw error
  } catch (e) {
    await db.destroy()
    throw e
  }
  return db
}

/** Does the database answer at all (the health check)? */
export async function ping(store: Store): Promise<void> {
  await store.selectNoFrom((eb) => eb.lit(1).as('one')).execute()
}
