import { describe, expect, it } from 'vitest'
import { MAX_PUSH_BATCH, Mutation, PROTOCOL_VERSION, PullQuery, PullResponse, PushRequest } from '../../src/domain'
import { ids, messagesOf, validMutation } from './fixtures'

describe('Mutation', () => {
  it('accepts a visit create and a household patch with a base version', () => {
    expect(Mutation.safeParse(validMutation()).success).toBe(true)
    const patch = validMutation({ entity: 'household', id: ids.household, op: 'patch', baseVersion: 7, data: { phone: '13912345678' } })
    expect(Mutation.safeParse(patch).success).toBe(true)
  })

  it('rejects an unknown entity or op, a negative base version and a time without offset', () => {
    expect(Mutation.safeParse({ ...validMutation(), entity: 'user' }).success).toBe(false)
    expect(Mutation.safeParse({ ...validMutation(), op: 'upsert' }).success).toBe(false)
    expect(Mutation.safeParse(validMutation({ baseVersion: -1 })).success).toBe(false)
    expect(messagesOf(Mutation.safeParse(validMutation({ at: '2026-11-21T08:31:00' })))).toEqual(['时间格式不对 (expected an ISO date-time)'])
  })

  it('rejects a mutation id that is not a UUID', () => {
    expect(messagesOf(Mutation.safeParse(validMutation({ mutationId: 'm1' })))).toEqual(['编号格式不对 (expected a UUID)'])
  })
})

describe('PushRequest', () => {
  const push = (n: number) => ({ deviceId: ids.device, protocolVersion: PROTOCOL_VERSION, mutations: Array.from({ length: n }, () => validMutation()) })

  it(`accepts up to ${MAX_PUSH_BATCH} mutations`, () => {
    expect(PushRequest.safeParse(push(0)).success).toBe(true)
    expect(PushRequest.safeParse(push(MAX_PUSH_BATCH)).success).toBe(true)
  })

  it('rejects a bigger batch with 一次最多提交200条', () => {
    expect(messagesOf(PushRequest.safeParse(push(MAX_PUSH_BATCH + 1)))).toEqual(['一次最多提交200条'])
  })

  it('rejects a push without a device id or protocol version', () => {
    expect(PushRequest.safeParse({ mutations: [] }).success).toBe(false)
  })
})

describe('PullQuery', () => {
  it('defaults the limit to 1000 and reads it from a query string', () => {
    expect(PullQuery.parse({})).toEqual({ limit: 1000 })
    expect(PullQuery.parse({ cursor: 'abc', limit: '50' })).toEqual({ cursor: 'abc', limit: 50 })
  })

  it('rejects a limit outside 1..2000 and an oversized cursor', () => {
    expect(PullQuery.safeParse({ limit: '0' }).success).toBe(false)
    expect(PullQuery.safeParse({ limit: '2001' }).success).toBe(false)
    expect(PullQuery.safeParse({ limit: 'lots' }).success).toBe(false)
    expect(PullQuery.safeParse({ cursor: 'x'.repeat(101) }).success).toBe(false)
  })
})

describe('PullResponse', () => {
  it('accepts a page of changes, including a tombstone, and a reset', () => {
    const page = {
      changes: [
        { entity: 'household', id: ids.household, version: 3, deleted: false, data: { id: ids.household } },
        { entity: 'resident', id: ids.resident, version: 4, deleted: true, data: null },
      ],
      cursor: 'c4',
      hasMore: false,
    }
    expect(PullResponse.safeParse(page).success).toBe(true)
    expect(PullResponse.safeParse({ reset: true }).success).toBe(true)
  })

  it('rejects reset:false, a change of an unknown entity and a page without a cursor', () => {
    expect(PullResponse.safeParse({ reset: false }).success).toBe(false)
    expect(PullResponse.safeParse({ changes: [{ entity: 'user', id: ids.worker, version: 1, deleted: false, data: {} }], cursor: 'c', hasMore: false }).success).toBe(false)
    expect(PullResponse.safeParse({ changes: [], hasMore: false }).success).toBe(false)
  })
})
