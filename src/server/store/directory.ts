import { type Kysely, type Migration, Migrator, type MigrationProvider } from 'kysely'
import type { Store } from './open'

// The deployment's directory, in the main store beside the first community's tables: which
// communities (and the street office) the deployment holds, and which community each username
// belongs to. Its own migrations, under their own table, so a community's store never has these.

export { MAIN_COMMUNITY } from '../../domain/constants'

export type CommunityKind = 'community' | 'street'

export interface CommunityEntry {
  key: string
  name: string
  kind: CommunityKind
  createdAt: string
}

interface DirectoryTables {
  communities: { key: string; name: string; kind: string; created_at: string }
  /** A username of a community other than the main one: login finds its store here. The main
   *  community's usernames are its users table's (an account not listed here is the main one's). */
  accounts: { username: string; community_key: string }
  public_hits: { address: string; window_start: string; count: number }
}

const d0001: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('communities')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createTable('accounts')
      .addColumn('username', 'text', (c) => c.primaryKey())
      .addColumn('community_key', 'text', (c) => c.notNull())
      .execute()
  },
}

/** The public page's requests per address and minute, counted in the database so that every app
 *  server in front of it counts the same tries (publicRateLimit.ts). */
const d0002: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('public_hits')
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('public_hits_pk', ['address', 'window_start'])
      .execute()
  },
}

/** One name per community in the street: the name check of an add (services/communities.ts) is
 *  made true by the database, so two adds of one name at once, on any app servers, make one.
 *  A name listed twice before this (two such adds) gets its key after it first. */
const d0003: Migration = {
  async up(db: Kysely<unknown>) {
    const rows = await (db as Kysely<DirectoryTables>).selectFrom('communities').select(['key', 'name']).orderBy('created_at').orderBy('key').execute()
    const seen = new Set<string>()
    for (const r of rows) {
      if (seen.has(r.name)) await (db as Kysely<DirectoryTables>).updateTable('communities').set({ name: `${r.name}（${r.key}）` }).where('key', '=', r.key).execute()
      seen.add(r.name)
    }
    await db.schema.createIndex('communities_name').on('communities').column('name').unique().execute()
  },
}

/** The directory's migrations (migrateDirectory runs them; a test runs the older ones). */
export const directoryMigrations: MigrationProvider = { getMigrations: async () => ({ d0001, d0002, d0003 }) }
export const DIRECTORY_MIGRATION_TABLES = { migrationTableName: 'directory_migration', migrationLockTableName: 'directory_migration_lock' } as const

const dir = (main: Store) => main as unknown as Kysely<DirectoryTables>

/** Brings the directory's tables up to date (openDeployment does, at start). */
export async function migrateDirectory(main: Store): Promise<void> {
  const { error } = await new Migrator({ db: main, provider: directoryMigrations, ...DIRECTORY_MIGRATION_TABLES }).migrateToLatest()
  if (error) throw error
}

export async function listCommunities(main: Store): Promise<CommunityEntry[]> {
  const rows = await dir(main).selectFrom('communities').selectAll().orderBy('created_at').orderBy('key').execute()
  return rows.map((r) => ({ key: r.key, name: r.name, kind: r.kind as CommunityKind, createdAt: r.created_at }))
}

export async function insertCommunity(main: Store, c: CommunityEntry): Promise<void> {
  await dir(main).insertInto('communities').values({ key: c.key, name: c.name, kind: c.kind, created_at: c.createdAt }).execute()
}

/** Takes a community out of the directory again (an add whose store could not be set up). */
export async function deleteCommunity(main: Store, key: string): Promise<void> {
  await dir(main).deleteFrom('communities').where('key', '=', key).execute()
}

export async function renameCommunity(main: Store, key: string, name: string): Promise<void> {
  await dir(main).updateTable('communities').set({ name }).where('key', '=', key).execute()
}

/** The community a username belongs to, when it is not the main one's. */
export async function communityOfUsername(main: Store, username: string): Promise<string | null> {
  const r = await dir(main).selectFrom('accounts').select('community_key').where('username', '=', username).executeTakeFirst()
  return r?.community_key ?? null
}

/** Claims a username for a community; a unique violation (store/errors.ts) when it is taken. */
export async function insertAccount(main: Store, username: string, communityKey: string): Promise<void> {
  await dir(main).insertInto('accounts').values({ username, community_key: communityKey }).execute()
}

export async function deleteAccount(main: Store, username: string): Promise<void> {
  await dir(main).deleteFrom('accounts').where('username', '=', username).execute()
}

/** Counts one public request of `address` in the minute starting `windowStart` (ISO) and returns
 *  the minute's count so far: one statement, so concurrent requests on any app server each get
 *  their own number. */
export async function countPublicHit(main: Store, address: string, windowStart: string): Promise<number> {
  const r = await dir(main)
    .insertInto('public_hits')
    .values({ address, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(['address', 'window_start']).doUpdateSet((eb) => ({ count: eb('public_hits.count', '+', 1) })))
    .returning('count')
    .executeTakeFirstOrThrow()
  return Number(r.count)
}

/** Forgets the minutes that started before `before` (ISO instant). */
export async function purgePublicHits(main: Store, before: string): Promise<number> {
  const res = await dir(main).deleteFrom('public_hits').where('window_start', '<', before).executeTakeFirst()
  return Number(res.numDeletedRows)
}
