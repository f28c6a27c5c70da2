import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MutationResult } from '../../src/domain'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
let token: string
const deviceId = uuidv7()
beforeAll(async () => {
  s = await startTestServer()
  token = await s.login('grid01')
})
afterAll(() => s.close())

async function push(mutations: unknown[], opts: { token?: string; device?: string; protocolVersion?: number } = {}) {
  return s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${opts.token ?? token}` },
    payload: { deviceId: opts.device ?? deviceId, protocolVersion: opts.protocolVersion ?? PROTOCOL_VERSION, mutations },
  })
}

const results = (res: { json(): unknown }) => (res.json() as { results: MutationResult[] }).results
const visitCount = async (id: string) =>
  Number((await s.store.selectFrom('visits').select((eb) => eb.fn.countAll().as('n')).where('id', '=', id).executeTakeFirstOrThrow()).n)
const head = async () => Number((await s.store.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirstOrThrow()).value)

describe('push', () => {
  const grid01 = () => workerOf(s.community, 'grid01')

  it('applies a visit to a household of my grid and stores it with a new version', async () => {
    const v = makeVisit(s.community, householdOf(s.community, 'grid01'), grid01().id)
    const before = await head()
    const res = await push([visitMutation(v)])
    expect(res.statusCode).toBe(200)
    const [r] = results(res)
    expect(r).toMatchObject({ status: 'applied' })
    expect(r!.version).toBe(before + 1)
    expect(await visitCount(v.id)).toBe(1)
  })

  it('the same mutation pushed twice is stored once; the second answer is duplicate', async () => {
    const v = makeVisit(s.community, householdOf(s.community, 'grid01', 1), grid01().id)
    const m = visitMutation(v)
    const first = results(await push([m]))[0]!
    const second = results(await push([m]))[0]!
    expect(first.status).toBe('applied')
    expect(second).toMatchObject({ status: 'duplicate', version: first.version })
    expect(await visitCount(v.id)).toBe(1)
    // Even twice within one batch.
    const v2 = makeVisit(s.community, householdOf(s.community, 'grid01', 2), grid01().id)
    const m2 = visitMutation(v2)
    expect(results(await push([m2, m2])).map((r) => r.status)).toEqual(['applied', 'duplicate'])
    expect(await visitCount(v2.id)).toBe(1)
  })

  it("a visit to another grid's household is rejected with a code and changes nothing", async () => {
    const other = householdOf(s.community, 'grid02')
    const v = makeVisit(s.community, other, grid01().id)
    const before = await head()
    const [r] = results(await push([visitMutation(v)]))
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'OUT_OF_SCOPE' } })
    expect(r!.error!.message).toMatch(/网格/)
    expect(await visitCount(v.id)).toBe(0)
    expect(await head()).toBe(before)
    // Not recorded as seen either: once fixed, the same mutation can be sent again.
    expect(await s.store.selectFrom('mutations').selectAll().where('mutation_id', '=', r!.mutationId).executeTakeFirst()).toBeUndefined()
  })

  it('one refused mutation does not hold back the others in the batch', async () => {
    const good = makeVisit(s.community, householdOf(s.community, 'grid01', 3), grid01().id)
    const bad = makeVisit(s.community, householdOf(s.community, 'grid02'), grid01().id)
    const good2 = makeVisit(s.community, householdOf(s.community, 'grid01', 4), grid01().id)
    const r = results(await push([visitMutation(good), visitMutation(bad), visitMutation(good2)]))
    expect(r.map((x) => x.status)).toEqual(['applied', 'rejected', 'applied'])
  })

  it('a batch of visits answers each as if sent alone: resent, refused, id taken, new — and again when resent whole', async () => {
    const h = (n: number) => householdOf(s.community, 'grid01', n)
    const sentBefore = visitMutation(makeVisit(s.community, h(8), grid01().id))
    const earlier = results(await push([sentBefore]))[0]!
    expect(earlier.status).toBe('applied')
    const holder = makeVisit(s.community, h(9), grid01().id)
    expect(results(await push([visitMutation(holder)]))[0]!.status).toBe('applied')

    const fresh = [10, 11, 12].map((n) => visitMutation(makeVisit(s.community, h(n), grid01().id)))
    const otherGrid = visitMutation(makeVisit(s.community, householdOf(s.community, 'grid02', 3), grid01().id))
    // Another visit under an id the server already holds, from a new mutation.
    const sameId = visitMutation({ ...makeVisit(s.community, h(13), grid01().id), id: holder.id })
    const batch = [fresh[0]!, sentBefore, otherGrid, fresh[1]!, sameId, fresh[2]!]
    const before = await head()
    const first = results(await push(batch))

    expect(first.map((r) => r.mutationId)).toEqual(batch.map((m) => m.mutationId))
    expect(first.map((r) => r.status)).toEqual(['applied', 'duplicate', 'rejected', 'applied', 'rejected', 'applied'])
    expect(first[1]!.version).toBe(earlier.version)
    expect(first[2]!.error!.code).toBe('OUT_OF_SCOPE')
    expect(first[4]!.error!.code).toBe('ID_TAKEN')
    // The new ones take the next versions, one each, in the batch's order.
    expect([first[0]!.version, first[3]!.version, first[5]!.version]).toEqual([before + 1, before + 2, before + 3])
    expect(await head()).toBe(before + 3)
    for (const m of fresh) expect(await visitCount(m.id)).toBe(1)
    expect(await visitCount(otherGrid.id)).toBe(0)
    // The holder's visit is untouched by the refused one.
    const held = await s.store.selectFrom('visits').select('household_id').where('id', '=', holder.id).executeTakeFirstOrThrow()
    expect(held.household_id).toBe(h(9).id)
    // The ledger holds the applied ones only, at their versions.
    const ledger = await s.store.selectFrom('mutations').select(['mutation_id', 'version']).where('mutation_id', 'in', batch.map((m) => m.mutationId)).execute()
    expect(new Map(ledger.map((r) => [r.mutation_id, Number(r.version)]))).toEqual(
      new Map([sentBefore, fresh[0]!, fresh[1]!, fresh[2]!].map((m) => [m.mutationId, first.find((r) => r.mutationId === m.mutationId)!.version!])),
    )

    // The answer was lost; the phone sends the whole batch again.
    const again = results(await push(batch))
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'rejected', 'duplicate', 'rejected', 'duplicate'])
    expect(again.map((r) => r.version)).toEqual(first.map((r) => r.version))
    expect(await head()).toBe(before + 3)
  })

  it('rejects invalid visit data with VALIDATION_FAILED and a readable reason', async () => {
    const h = householdOf(s.community, 'grid01')
    const cases = [
      { ...makeVisit(s.community, h, grid01().id), outcome: 'teleported' },
      { ...makeVisit(s.community, h, grid01().id), notes: '很'.repeat(2001) },
      { ...makeVisit(s.community, h, grid01().id), startedAt: 'yesterday' },
      { ...makeVisit(s.community, h, grid01().id), outcome: 'not_home' }, // with a resident met
      { ...makeVisit(s.community, h, grid01().id), answers: { not_an_item: true } },
      { ...makeVisit(s.community, h, grid01().id), residentIds: [householdOf(s.community, 'grid01', 7).id] },
    ]
    for (const v of cases) {
      const [r] = results(await push([visitMutation(v as never)]))
      expect(r!.status, JSON.stringify(r)).toBe('rejected')
      expect(r!.error!.code).toBe('VALIDATION_FAILED')
      expect(r!.error!.message.length).toBeGreaterThan(4)
      expect(await visitCount(v.id)).toBe(0)
    }
  })

  it('a visit for a household that does not exist is NOT_FOUND; an unsupported op is refused', async () => {
    const v = makeVisit(s.community, householdOf(s.community, 'grid01'), grid01().id, { householdId: uuidv7() })
    expect(results(await push([visitMutation(v)]))[0]!.error!.code).toBe('NOT_FOUND')
    const del = { ...visitMutation(makeVisit(s.community, householdOf(s.community, 'grid01'), grid01().id)), op: 'delete' }
    expect(results(await push([del]))[0]!.error!.code).toBe('UNSUPPORTED_OPERATION')
  })

  it('the server, not the device, decides who recorded a visit', async () => {
    const v = makeVisit(s.community, householdOf(s.community, 'grid01', 5), workerOf(s.community, 'grid02').id)
    expect(results(await push([visitMutation(v)]))[0]!.status).toBe('applied')
    const row = await s.store.selectFrom('visits').select('worker_id').where('id', '=', v.id).executeTakeFirstOrThrow()
    expect(row.worker_id).toBe(grid01().id)
  })

  it('a visit made while the household was still assigned is accepted after reassignment', async () => {
    const user = workerOf(s.community, 'grid06')
    const t6 = await s.login('grid06')
    const h = householdOf(s.community, 'grid06')
    const madeAt = new Date(Date.now() - 3600_000).toISOString()
    // Reassign grid06's cell away half an hour ago.
    await s.store
      .updateTable('grid_assignments')
      .set({ unassigned_at: new Date(Date.now() - 1800_000).toISOString() })
      .where('user_id', '=', user.id)
      .execute()
    const before = makeVisit(s.community, h, user.id, { startedAt: madeAt })
    const after = makeVisit(s.community, h, user.id)
    const r = results(await push([visitMutation(before), visitMutation(after)], { token: t6 }))
    expect(r.map((x) => x.status)).toEqual(['applied', 'rejected'])
    expect(r[1]!.error!.code).toBe('OUT_OF_SCOPE')
  })

  it('household edits are field-level; a field changed by someone else since my base is a recorded conflict', async () => {
    const h = householdOf(s.community, 'grid01', 6)
    const row = await s.store.selectFrom('households').select('version').where('id', '=', h.id).executeTakeFirstOrThrow()
    const base = Number(row.version)
    const sec = await s.login('secretary')
    const m = (data: Record<string, unknown>) => ({ mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', baseVersion: base, data, at: new Date().toISOString() })
    expect(results(await push([m({ phone: '13800000001' })], { token: sec, device: uuidv7() }))[0]!.status).toBe('applied')
    // grid01 edited from the same base: the housing change does not overlap, the phone does.
    const r1 = results(await push([m({ housing: 'rented' })]))[0]!
    expect(r1.status).toBe('applied')
    const r2 = results(await push([m({ phone: '13900000002' })]))[0]!
    expect(r2.status).toBe('conflict')
    const stored = JSON.parse((await s.store.selectFrom('households').select('data').where('id', '=', h.id).executeTakeFirstOrThrow()).data)
    expect(stored).toMatchObject({ phone: '13900000002', housing: 'rented' })
    const conflicts = await s.store.selectFrom('conflicts').selectAll().where('entity_id', '=', h.id).execute()
    expect(conflicts).toHaveLength(1)
    expect(conflicts[0]).toMatchObject({ field: 'phone', overwritten_value: '"13800000001"', kept_value: '"13900000002"' })
  })

  it("one device's own offline edits of a field, pushed in one batch, are not a conflict; another's later edit still is", async () => {
    const h = householdOf(s.community, 'grid01', 8)
    const base = Number((await s.store.selectFrom('households').select('version').where('id', '=', h.id).executeTakeFirstOrThrow()).version)
    const m = (data: Record<string, unknown>, b = base) => ({ mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', baseVersion: b, data, at: new Date().toISOString() })
    const phone = uuidv7()
    // Typed twice at the door before any sync: both patches carry the same old base.
    const both = results(await push([m({ phone: '13800000011' }), m({ phone: '13800000012' })], { device: phone }))
    expect(both.map((r) => r.status)).toEqual(['applied', 'applied'])
    expect(await s.store.selectFrom('conflicts').select('id').where('entity_id', '=', h.id).execute()).toHaveLength(0)
    // The same user on another phone, from the old base: that is someone else's change to settle.
    const other = results(await push([m({ phone: '13800000013' })], { device: uuidv7() }))[0]!
    expect(other.status).toBe('conflict')
    const conflicts = await s.store.selectFrom('conflicts').selectAll().where('entity_id', '=', h.id).execute()
    expect(conflicts).toHaveLength(1)
    expect(conflicts[0]).toMatchObject({ field: 'phone', overwritten_value: '"13800000012"', kept_value: '"13800000013"' })
  })

  it('an edit based on exactly the version that last changed the field is no conflict; one version older is', async () => {
    const h = householdOf(s.community, 'grid01', 9)
    const sec = await s.login('secretary')
    const m = (data: Record<string, unknown>, baseVersion: number) => ({ mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', baseVersion, data, at: new Date().toISOString() })
    const before = Number((await s.store.selectFrom('households').select('version').where('id', '=', h.id).executeTakeFirstOrThrow()).version)
    const changed = results(await push([m({ phone: '13700000001' }, before)], { token: sec, device: uuidv7() }))[0]!
    expect(changed.status).toBe('applied')
    // grid01 saw the secretary's change (base = its version): editing on top of it is fine.
    expect(results(await push([m({ phone: '13700000002' }, changed.version!)], { device: uuidv7() }))[0]!.status).toBe('applied')
    const latest = Number((await s.store.selectFrom('households').select('version').where('id', '=', h.id).executeTakeFirstOrThrow()).version)
    expect(results(await push([m({ phone: '13700000003' }, latest - 1)], { token: sec, device: uuidv7() }))[0]!.status).toBe('conflict')
  })

  it("the ledger is keyed by user: another user reusing this device's id and mutation id is not answered duplicate", async () => {
    const mine = makeVisit(s.community, householdOf(s.community, 'grid01', 10), grid01().id)
    const mutationId = uuidv7()
    expect(results(await push([visitMutation(mine, mutationId)]))[0]!.status).toBe('applied')
    // grid02 learned grid01's device id and this mutation id and sends its own visit under them.
    const theirs = makeVisit(s.community, householdOf(s.community, 'grid02'), workerOf(s.community, 'grid02').id)
    const other = await s.login('grid02')
    const r = results(await push([visitMutation(theirs, mutationId)], { token: other }))[0]!
    expect(r.status).toBe('applied')
    expect(await visitCount(theirs.id)).toBe(1)
    // And grid01 resending its own is still exactly once.
    expect(results(await push([visitMutation(mine, mutationId)]))[0]!.status).toBe('duplicate')
    expect(await visitCount(mine.id)).toBe(1)
  })

  it('a household patch cannot touch fields outside the editable set', async () => {
    const h = householdOf(s.community, 'grid01')
    const r = results(await push([{ mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', data: { gridId: uuidv7() }, at: new Date().toISOString() }]))[0]!
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
  })

  it('a worker edit keeps the 政法 tags they cannot see', async () => {
    const sensitive = s.community.households.find((h) => h.tags.includes('correction') || h.tags.includes('released') || h.tags.includes('mental_illness') || h.tags.includes('drug'))
    expect(sensitive).toBeDefined()
    const username = s.community.users.find((u) => u.gridIds.includes(sensitive!.gridId))!.username
    const t = await s.login(username)
    const r = results(await push([{ mutationId: uuidv7(), entity: 'household', id: sensitive!.id, op: 'patch', data: { tags: ['dibao'] }, at: new Date().toISOString() }], { token: t }))[0]!
    expect(r.status).toBe('applied')
    const stored = JSON.parse((await s.store.selectFrom('households').select('data').where('id', '=', sensitive!.id).executeTakeFirstOrThrow()).data)
    expect(stored.tags).toContain('dibao')
    expect(stored.tags.filter((x: string) => ['correction', 'released', 'mental_illness', 'drug'].includes(x)).length).toBeGreaterThan(0)
  })

  it('an app speaking another protocol version is told to update', async () => {
    const res = await push([], { protocolVersion: PROTOCOL_VERSION + 1 })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('PROTOCOL_MISMATCH')
  })

  it('malformed push bodies get 400 with the error shape, never 500', async () => {
    const bodies: unknown[] = [
      {},
      { deviceId: 'x', protocolVersion: 1, mutations: [] },
      { deviceId, protocolVersion: 1, mutations: 'many' },
      { deviceId, protocolVersion: 1, mutations: [{ mutationId: 'nope' }] },
      { deviceId, protocolVersion: 1, mutations: [{ ...visitMutation(makeVisit(s.community, householdOf(s.community, 'grid01'), grid01().id)), entity: 'spaceship' }] },
      { deviceId, protocolVersion: 1, mutations: Array.from({ length: 201 }, () => visitMutation(makeVisit(s.community, householdOf(s.community, 'grid01'), grid01().id))) },
      [1, 2, 3],
      null,
    ]
    for (const payload of bodies) {
      const res = await s.app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(payload) })
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
  })
})
