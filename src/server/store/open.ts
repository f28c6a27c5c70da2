import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import SQLite from 'better-sqlite3'
import { CompiledQuery, type DatabaseConnection, Kysely, Migrator, PostgresDialect, PostgresDriver, SqliteDialect, type SqliteDatabase, type TransactionSettings } from 'kysely'
import pg from 'pg'
import { COMMUNITY_KEY } from '../../domain/constants'
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
 *  server on the database. One lock per community (its schema): a community's writes go one at
 *  a time, different communities' side by side, as their SQLite files would. Read-only
 *  transactions (`setAccessMode('read only')`: a pull) skip it and read their snapshot beside the
 *  writer. */
class SerializedPostgresDriver extends PostgresDriver {
  private readonly lock: CompiledQuery
  constructor(
    private readonly pool: pg.Pool,
    lockName: string,
    /** A community's store shares the main store's pool: ending it is the main store's to do. */
    private readonly ownsPool: boolean,
  ) {
    super({ pool })
    this.lock = CompiledQuery.raw(`select pg_advisory_xact_lock(hashtext($1))`, [lockName])
  }
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings)
    if (settings.accessMode !== 'read only') await connection.executeQuery(this.lock)
  }
  override async destroy(): Promise<void> {
    if (this.ownsPool) await super.destroy()
  }
}

class ZoufangPostgresDialect extends PostgresDialect {
  constructor(
    private readonly pool: pg.Pool,
    private readonly lockName: string,
    private readonly ownsPool: boolean,
  ) {
    super({ pool })
  }
  override createDriver() {
    return new SerializedPostgresDriver(this.pool, this.lockName, this.ownsPool)
  }
}

function newPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.ZOUFANG_PG_POOL ?? 10), types: pgTypes as pg.CustomTypesConfig })
  // An idle connection the server closed (a restart, a failover, a dropped database) is reported
  // on the pool, and unheard it would end the process; the pool opens a new one when next asked.
  pool.on('error', () => undefined)
  return pool
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
  // A checkpoint (the WAL copied into the database file, and synced) every 10,000 pages instead
  // of SQLite's 1,000: a busy write path pays for a tenth as many, and a page written again and
  // again between two of them (a hot index page) is copied once. 200 phones pushing: 1,808 →
  // 2,615 visits/s on the 2-core machine (bench/push.ts). The WAL file is kept at most 64 MB.
  sqlite.pragma('wal_autocheckpoint = 10000')
  sqlite.pragma('journal_size_limit = 67108864')
  return new SqliteDialect({ database: preparedOnce(sqlite) })
}

/** Kysely's SQLite driver prepares every query it runs, and preparing costs more than running
 *  most of the server's: a push of five visits prepared ~50 statements, a tenth of its time. The
 *  server runs a few hundred SQL texts over and over, so each is prepared once and reused. Safe:
 *  the driver runs one query at a time on this connection and never streams (no `.stream()` in
 *  the server), and SQLite re-prepares a statement by itself when a migration changes the schema.
 *  Texts that vary (an `in (?, ?, …)` of any length) are bounded: past `max` the cache starts over. */
function preparedOnce(sqlite: SQLite.Database, max = 2000): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql)
      if (!statement) {
        if (statements.size >= max) statements.clear()
        statement = sqlite.prepare(sql)
        statements.set(sql, statement)
      }
      return statement
    },
  }
}

/** Where a store lives, so that the stores of a deployment's other communities can be opened
 *  beside it: SQLite files in a `communities` folder next to the main file, PostgreSQL schemas
 *  in the same database over the same pool. */
type Place = { kind: 'sqlite'; file: string } | { kind: 'postgres'; pool: pg.Pool }
const places = new WeakMap<Store, Place>()

async function migrate(db: Store, schema?: string): Promise<void> {
  try {
    const { error, results } = await new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest()
    for (const r of results ?? []) if (r.status === 'Error') throw new Error(`migration ${r.migrationName} failed`, { cause: error })
    if (error) throw error
  } catch (e) {
    await db.destroy()
    throw e
  }
}

/** Opens the store and brings its schema up to date: PostgreSQL when `target` is a
 *  postgres:// URL, otherwise the SQLite file at that path (created if needed). This is the
 *  deployment's main store: the first community's records and the directory of all of them. */
export async function openStore(target: string): Promise<Store> {
  const pool = isPostgresUrl(target) ? newPool(target) : null
  const db = new Kysely<Database>({ dialect: pool ? new ZoufangPostgresDialect(pool, 'zoufang_writer', true) : sqliteDialect(target) })
  await migrate(db)
  places.set(db, pool ? { kind: 'postgres', pool } : { kind: 'sqlite', file: target })
  return db
}

/** Opens (creating if needed, migrated) the store of another community of the deployment whose
 *  main store is `main`: its own SQLite file, or its own PostgreSQL schema `community_<key>`.
 *  Every query through it reaches that community's tables only; its versions are its own. */
export async function openCommunityStore(main: Store, key: string): Promise<Store> {
  if (!COMMUNITY_KEY.test(key)) throw new Error(`community key "${key}" must be lower-case letters, digits and _`)
  const place = places.get(main)
  if (!place) throw new Error('not a main store opened by openStore')
  if (place.kind === 'sqlite') {
    if (place.file === ':memory:') throw new Error('an in-memory store holds one community')
    const file = join(dirname(place.file), 'communities', `${key}.sqlite`)
    const db = new Kysely<Database>({ dialect: sqliteDialect(file) })
    await migrate(db)
    places.set(db, { kind: 'sqlite', file })
    return db
  }
  const schema = `community_${key}`
  const base = new Kysely<Database>({ dialect: new ZoufangPostgresDialect(place.pool, `zoufang_writer:${schema}`, false) })
  await base.schema.createSchema(schema).ifNotExists().execute()
  const db = base.withSchema(schema)
  await migrate(db, schema)
  return db
}

/** Does the database answer at all (the health check)? */
export async function ping(store: Store): Promise<void> {
  await store.selectNoFrom((eb) => eb.lit(1).as('one')).execute()
}
