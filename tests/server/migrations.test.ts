import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../src/domain'
import { DIRECTORY_MIGRATION_TABLES, directoryMigrations, listCommunities, migrateDirectory } from '../../src/server/store/directory'
import { isUniqueViolation } from '../../src/server/store/errors'
import { migrationProvider } from '../../src/server/store/migrations'
import { openStore } from '../../src/server/store/open'
import type { Database } from '../../src/server/store/schema'
import { visitAggregates } from '../../src/server/store/visitStats'
import { createTestDatabase, testDb } from '../support/server'

// A community's server upgraded in place keeps what its database held: on SQLite, and on
// PostgreSQL when the suite runs there (ZOUFANG_TEST_DB=postgres).
const dir = mkdtempSync(join(tmpdir(), 'zoufang-migrate-'))
const drops: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const drop of drops) await drop()
  rmSync(dir, { recursive: true, force: true })
})

/** A database of an older release, as Kysely of that day opened it, and what openStore opens it by. */
async function oldDatabase(name: string): Promise<{ old: Kysely<Database>; target: string }> {
  if (testDb === 'postgres') {
    const { url, drop } = await createTestDatabase()
    drops.push(drop)
    return { old: new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) }), target: url }
  }
  const file = join(dir, name)
  return { old: new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(file) }) }), target: file }
}

describe('migration 0005 on a database of the released 0004', () => {
  it('keeps the ledger (a resent mutation is still a duplicate, now under its user) and the photos with their uploaders', async () => {
    const { old, target } = await oldDatabase('old.sqlite')
    const to4 = await new Migrator({ db: old, provider: migrationProvider }).migrateTo('0004_users_active_audit_log')
    expect(to4.error).toBeUndefined()
    await old
      .insertInto('mutations')
      .values({ device_id: 'd1', mutation_id: 'm1', user_id: 'u1', entity: 'visit', entity_id: 'v1', op: 'create', status: 'applied', version: 7, received_at: '2026-11-30T08:00:00.000Z' })
      .execute()
    await old.insertInto('attachments').values({ sha256: 'a'.repeat(64), mime: 'image/jpeg', size: 1234, uploaded_by: 'u1', created_at: '2026-11-30T08:00:00.000Z' }).execute()
    await old.destroy()

    const store = await openStore(target)
    try {
      const ledger = await store.selectFrom('mutations').selectAll().execute()
      expect(ledger).toEqual([
        { user_id: 'u1', device_id: 'd1', mutation_id: 'm1', entity: 'visit', entity_id: 'v1', op: 'create', status: 'applied', version: 7, received_at: '2026-11-30T08:00:00.000Z' },
      ])
      expect(await store.selectFrom('attachment_uploads').selectAll().execute()).toEqual([{ sha256: 'a'.repeat(64), user_id: 'u1', uploaded_at: '2026-11-30T08:00:00.000Z' }])
      // The same device and mutation id under another user is a different row now.
      await store
        .insertInto('mutations')
        .values({ device_id: 'd1', mutation_id: 'm1', user_id: 'u2', entity: 'visit', entity_id: 'v2', op: 'create', status: 'applied', version: 8, received_at: '2026-11-30T09:00:00.000Z' })
        .execute()
      expect(await store.selectFrom('mutations').select('user_id').execute()).toHaveLength(2)
    } finally {
      await store.destroy()
    }
  })
})

describe('migration 0006 on a database of the released 0005', () => {
  it("copies each visit's promised follow-up date out of its record, batch after batch, and the aggregates read it", async () => {
    const { old, target } = await oldDatabase('old0005.sqlite')
    expect((await new Migrator({ db: old, provider: migrationProvider }).migrateTo('0005_ledger_by_user_uploads_throttle')).error).toBeUndefined()
    // More rows than one backfill batch; every seventh promised a follow-up.
    const rows = Array.from({ length: 2300 }, (_, i) => {
      const id = uuidv7(Date.UTC(2026, 0, 1) + i)
      const startedAt = new Date(Date.UTC(2026, 9, 1) + i * 3600_000).toISOString()
      const followUpDate = i % 7 === 0 ? new Date(Date.UTC(2026, 9, 5) + i * 3600_000).toISOString().slice(0, 10) : null
      return { id, version: i + 1, deleted: 0, grid_id: 'g', household_id: `h${i % 50}`, worker_id: 'w', started_at: startedAt, outcome: 'met', data: JSON.stringify({ id, outcome: 'met', startedAt, followUpDate }) }
    })
    const typed = old as unknown as Kysely<{ visits: (typeof rows)[number] }>
    for (let i = 0; i < rows.length; i += 500) await typed.insertInto('visits').values(rows.slice(i, i + 500)).execute()
    await old.destroy()

    const store = await openStore(target)
    try {
      const after = await store.selectFrom('visits').select(['id', 'follow_up_date']).orderBy('id').execute()
      expect(after.map((r) => r.follow_up_date)).toEqual(rows.map((r) => (JSON.parse(r.data) as { followUpDate: string | null }).followUpDate))
      expect(after.filter((r) => r.follow_up_date !== null)).toHaveLength(Math.ceil(2300 / 7))
      // Household h0's visits are rows 0, 50, 100 …: its latest promise is the latest such row that is a multiple of 7.
      const latest = rows.filter((_, i) => i % 50 === 0 && i % 7 === 0).at(-1)!
      const a = (await visitAggregates(store, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', null)).get('h0')!
      expect(a.promise).toEqual({ day: (JSON.parse(latest.data) as { followUpDate: string }).followUpDate, at: latest.started_at })
    } finally {
      await store.destroy()
    }
  })
})

describe('the directory’s migration d0003 (one name per community) on a directory of d0002', () => {
  it('keeps every community, gives a name listed twice its key, and refuses a third of that name', async () => {
    const { old, target } = await oldDatabase('directory.sqlite')
    const to2 = await new Migrator({ db: old, provider: directoryMigrations, ...DIRECTORY_MIGRATION_TABLES }).migrateTo('d0002')
    expect(to2.error).toBeUndefined()
    const dir = old as unknown as Kysely<{ communities: { key: string; name: string; kind: string; created_at: string } }>
    await dir
      .insertInto('communities')
      .values([
        { key: 'main', name: '幸福里社区', kind: 'community', created_at: '2026-11-01T00:00:00.000Z' },
        { key: 'heping', name: '和平里社区', kind: 'community', created_at: '2026-11-02T00:00:00.000Z' },
        { key: 'heping2', name: '和平里社区', kind: 'community', created_at: '2026-11-03T00:00:00.000Z' },
      ])
      .execute()
    await old.destroy()

    const store = await openStore(target)
    try {
      await migrateDirectory(store)
      expect((await listCommunities(store)).map((c) => [c.key, c.name])).toEqual([
        ['main', '幸福里社区'],
        ['heping', '和平里社区'],
        ['heping2', '和平里社区（heping2）'],
      ])
      const third = (store as unknown as typeof dir).insertInto('communities').values({ key: 'heping3', name: '和平里社区', kind: 'community', created_at: '2026-12-01T00:00:00.000Z' }).execute()
      expect(await third.then(() => 'inserted', (err: unknown) => (isUniqueViolation(err) ? 'unique violation' : String(err)))).toBe('unique violation')
    } finally {
      await store.destroy()
    }
  })
})
