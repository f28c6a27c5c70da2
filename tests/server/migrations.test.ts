import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { migrationProvider } from '../../src/server/store/migrations'
import { openStore } from '../../src/server/store/open'
import type { Database } from '../../src/server/store/schema'

// A community's server upgraded in place keeps what its database held.
const dir = mkdtempSync(join(tmpdir(), 'zoufang-migrate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('migration 0005 on a database of the released 0004', () => {
  it('keeps the ledger (a resent mutation is still a duplicate, now under its user) and the photos with their uploaders', async () => {
    const file = join(dir, 'old.sqlite')
    const old = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(file) }) })
    const to4 = await new Migrator({ db: old, provider: migrationProvider }).migrateTo('0004_users_active_audit_log')
    expect(to4.error).toBeUndefined()
    await old
      .insertInto('mutations')
      .values({ device_id: 'd1', mutation_id: 'm1', user_id: 'u1', entity: 'visit', entity_id: 'v1', op: 'create', status: 'applied', version: 7, received_at: '2026-11-30T08:00:00.000Z' })
      .execute()
    await old.insertInto('attachments').values({ sha256: 'a'.repeat(64), mime: 'image/jpeg', size: 1234, uploaded_by: 'u1', created_at: '2026-11-30T08:00:00.000Z' }).execute()
    await old.destroy()

    const store = await openStore(file)
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
