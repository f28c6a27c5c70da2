import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../src/domain'
import { appliedVersion, inSavepoint, recordApplied } from '../../src/server/store/mutations'
import { openStore, type Store } from '../../src/server/store/open'
import { createTestDatabase, testDb } from '../support/server'

// A push is one transaction and each of its mutations a savepoint in it: a refused mutation's
// writes are undone, the ones before and after it commit, all with one commit.

let store: Store
let cleanup: () => Promise<void>
beforeAll(async () => {
  if (testDb === 'postgres') {
    const pg = await createTestDatabase()
    store = await openStore(pg.url)
    cleanup = () => pg.drop()
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'zoufang-savepoint-'))
    store = await openStore(join(dir, 'store.sqlite'))
    cleanup = async () => rmSync(dir, { recursive: true, force: true })
  }
})
afterAll(async () => {
  await store.destroy()
  await cleanup()
})

const key = (mutationId: string) => ({ userId: 'u1', deviceId: 'd1', mutationId })
const row = { entity: 'visit', entityId: 'v', op: 'create', status: 'applied', version: 1, receivedAt: '2026-12-01T00:00:00.000Z' }

describe('a mutation under its savepoint', () => {
  it('a refusal undoes only its own writes; the others commit with the transaction', async () => {
    const [a, refused, b] = [uuidv7(), uuidv7(), uuidv7()]
    await store.transaction().execute(async (trx) => {
      await inSavepoint(trx, () => recordApplied(trx, key(a), row))
      await expect(
        inSavepoint(trx, async () => {
          await recordApplied(trx, key(refused), row)
          throw new Error('refused after writing')
        }),
      ).rejects.toThrow('refused after writing')
      // The transaction goes on after a rolled-back savepoint (PostgreSQL would refuse otherwise).
      await inSavepoint(trx, () => recordApplied(trx, key(b), row))
    })
    expect(await appliedVersion(store, key(a))).toBe(1)
    expect(await appliedVersion(store, key(refused))).toBeNull()
    expect(await appliedVersion(store, key(b))).toBe(1)
  })

  it('a key already taken fails inside the savepoint and leaves the transaction usable', async () => {
    const taken = uuidv7()
    const after = uuidv7()
    await store.transaction().execute(async (trx) => {
      await inSavepoint(trx, () => recordApplied(trx, key(taken), row))
      await expect(inSavepoint(trx, () => recordApplied(trx, key(taken), row))).rejects.toThrow()
      expect(await appliedVersion(trx, key(taken))).toBe(1)
      await inSavepoint(trx, () => recordApplied(trx, key(after), row))
    })
    expect(await appliedVersion(store, key(after))).toBe(1)
  })
})
