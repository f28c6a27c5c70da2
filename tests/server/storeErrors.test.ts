import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isUniqueViolation } from '../../src/server/store/errors'
import { openStore, type Store } from '../../src/server/store/open'
import { insertRecord } from '../../src/server/store/recordWrites'

// A key taken by another write is told from any other database fault, as SQLite says it (a real
// file store) and as PostgreSQL's pg says it (SQLSTATE 23505): push answers it as duplicate or
// ID_TAKEN, never as a 5xx the device would retry for ever.

let store: Store
beforeAll(async () => {
  store = await openStore(':memory:')
})
afterAll(() => store.destroy())

const notice = (id: string) => ({ id, title: 't', body: 'b', category: 'affairs', compound: null, fromDay: '2026-12-01', untilDay: null, withdrawn: false })

describe('a unique violation', () => {
  it('is what SQLite throws for a record inserted twice under one id', async () => {
    const id = '0190a000-0000-7000-8000-0000000000aa'
    await store.transaction().execute((trx) => insertRecord(trx, 'notices', { id, gridId: null, householdId: null }, notice(id), {}))
    const err = await store
      .transaction()
      .execute((trx) => insertRecord(trx, 'notices', { id, gridId: null, householdId: null }, notice(id), {}))
      .then(() => null, (e: unknown) => e)
    expect(err, 'the second insert fails on the key').not.toBeNull()
    expect(isUniqueViolation(err)).toBe(true)
  })

  it('is PostgreSQL’s 23505, and nothing else: not a NOT NULL failure, not a plain error', async () => {
    expect(isUniqueViolation({ code: '23505' })).toBe(true)
    const notNull = await store
      .transaction()
      .execute((trx) => trx.insertInto('notices').values({ id: 'x', version: 1, deleted: 0, grid_id: null, household_id: null, data: null as unknown as string }).execute())
      .then(() => null, (e: unknown) => e)
    expect(notNull).not.toBeNull()
    expect(isUniqueViolation(notNull)).toBe(false)
    expect(isUniqueViolation(new Error('disk I/O error'))).toBe(false)
    expect(isUniqueViolation(null)).toBe(false)
    expect(isUniqueViolation({ code: '23502' })).toBe(false)
  })
})
