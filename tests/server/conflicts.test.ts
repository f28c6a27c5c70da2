import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Change, type Household, maskName, type MutationResult, PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import type { ConflictItem, ConflictListResponse, ConflictNotice } from '../../src/domain/schemas/conflicts'
import { ConflictListResponse as ListSchema, MyConflictsResponse } from '../../src/domain/schemas/conflicts'
import { householdOf } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// Two people change the same field of a household from the same old version: the secretary sees
// the conflict with both sides named, settles it as an edit every device pulls, and the worker
// whose value did not stand is told so.

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer()
  for (const u of ['grid01', 'grid02', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

const auth = (u: string) => ({ authorization: `Bearer ${tokens[u]}` })
const user = (u: string) => workerOf(s.community, u)

async function push(u: string, mutations: unknown[], device = uuidv7()): Promise<MutationResult[]> {
  const res = await s.app.inject({ method: 'POST', url: '/api/sync/push', headers: auth(u), payload: { deviceId: device, protocolVersion: PROTOCOL_VERSION, mutations } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ results: MutationResult[] }>().results
}
const patch = (h: Household, baseVersion: number, data: Record<string, unknown>) => ({ mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', baseVersion, data, at: new Date().toISOString() })
const versionOf = async (id: string) => Number((await s.store.selectFrom('households').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version)
const stored = async (id: string) => JSON.parse((await s.store.selectFrom('households').select('data').where('id', '=', id).executeTakeFirstOrThrow()).data) as Household

async function list(u = 'secretary', query: Record<string, string> = {}): Promise<ConflictListResponse> {
  const res = await s.app.inject({ method: 'GET', url: '/api/conflicts', query, headers: auth(u) })
  expect(res.statusCode, res.body).toBe(200)
  return ListSchema.parse(res.json())
}
async function mine(u: string): Promise<ConflictNotice[]> {
  const res = await s.app.inject({ method: 'GET', url: '/api/conflicts/mine', headers: auth(u) })
  expect(res.statusCode, res.body).toBe(200)
  return MyConflictsResponse.parse(res.json()).notices
}
const settle = (id: number, body: Record<string, unknown>, u = 'secretary') => s.app.inject({ method: 'POST', url: `/api/conflicts/${id}/settle`, headers: auth(u), payload: body })
/** A value of each field that no test enters, so that each edit in a test changes something. */
const NEUTRAL: Record<string, unknown> = { phone: '13000000000', housing: 'owner', residency: 'consistent', attention: 'normal', tags: [] }
/** Puts values in the household's record as an import would (no field versions): a known start. */
async function preset(h: Household, values: Record<string, unknown>) {
  const data = { ...(await stored(h.id)), ...values }
  await s.store.updateTable('households').set({ data: JSON.stringify(data) }).where('id', '=', h.id).execute()
}
const ofHousehold = (l: ConflictListResponse, h: Household) => l.conflicts.filter((c) => c.householdId === h.id)

/** grid01 and then the secretary change the same field from the same version: one conflict,
 *  the secretary's value kept, grid01's overwritten. */
async function conflictOn(h: Household, field: string, workerValue: unknown, officeValue: unknown, start = NEUTRAL[field]): Promise<ConflictItem> {
  await preset(h, { [field]: start })
  const base = await versionOf(h.id)
  expect((await push('grid01', [patch(h, base, { [field]: workerValue })]))[0]!.status).toBe('applied')
  expect((await push('secretary', [patch(h, base, { [field]: officeValue })]))[0]!.status).toBe('conflict')
  const found = ofHousehold(await list(), h).filter((c) => c.field === field && !c.settled)
  expect(found).toHaveLength(1)
  return found[0]!
}

describe('the conflicts list', () => {
  it('names the household as the office sees it, the field, both values, who wrote each and when; open ones counted', async () => {
    const h = householdOf(s.community, 'grid01', 20)
    const before = (await list()).open
    const c = await conflictOn(h, 'phone', '13800000101', '13900000102')
    expect(c).toMatchObject({
      householdId: h.id,
      gridId: h.gridId,
      address: h.address,
      headNameMasked: maskName(h.headName),
      field: 'phone',
      kept: { value: '13900000102', by: { id: user('secretary').id, name: user('secretary').name } },
      overwritten: { value: '13800000101', by: { id: user('grid01').id, name: user('grid01').name } },
      current: '13900000102',
      householdVersion: await versionOf(h.id),
      settled: null,
    })
    // Each side's time is when the server took it; the overwritten one came first.
    expect(c.overwritten.at).not.toBeNull()
    expect(Date.parse(c.overwritten.at!)).toBeLessThanOrEqual(Date.parse(c.kept.at!))
    expect((await list()).open).toBe(before + 1)
    expect(headNameShownWhole(c, h)).toBe(false)
  })

  it('lists open ones first (oldest first), then settled ones (latest settled first); state filters and pages', async () => {
    const a = await conflictOn(householdOf(s.community, 'grid01', 21), 'housing', 'rented', 'vacant')
    const b = await conflictOn(householdOf(s.community, 'grid01', 22), 'housing', 'rented', 'vacant')
    expect((await settle(a.id, { choice: 'current', seenVersion: a.householdVersion })).statusCode).toBe(200)
    const all = await list()
    const firstSettled = all.conflicts.findIndex((c) => c.settled)
    expect(firstSettled).toBeGreaterThan(0)
    expect(all.conflicts.slice(firstSettled).every((c) => c.settled)).toBe(true)
    const open = all.conflicts.slice(0, firstSettled)
    expect(open.map((c) => c.id)).toEqual([...open.map((c) => c.id)].sort((x, y) => x - y))
    expect(open.map((c) => c.id)).toContain(b.id)
    expect(all.conflicts[firstSettled]!.id).toBe(a.id)
    expect((await list('secretary', { state: 'open' })).conflicts.every((c) => !c.settled)).toBe(true)
    const settled = await list('admin', { state: 'settled' })
    expect(settled.conflicts.map((c) => c.id)).toContain(a.id)
    expect(settled.total).toBe(settled.conflicts.length)
    const page = await list('secretary', { limit: '1', offset: '1' })
    expect(page.conflicts).toEqual([all.conflicts[1]])
    expect(page.total).toBe(all.total)
  })

  it('a conflict recorded before authors were kept says nobody rather than guessing', async () => {
    const h = householdOf(s.community, 'grid01', 23)
    await s.store
      .insertInto('conflicts')
      .values({ entity: 'household', entity_id: h.id, field: 'phone', base_version: 1, kept_value: '"13800000231"', overwritten_value: '"13800000232"', user_id: user('grid01').id, mutation_id: uuidv7(), at: new Date().toISOString(), settled_at: null, overwritten_by: null, overwritten_at: null, settled_by: null, settled_choice: null, settled_value: null, settled_version: null })
      .execute()
    const [c] = ofHousehold(await list(), h)
    expect(c!.overwritten).toEqual({ value: '13800000232', by: null, at: null })
  })

  it('leaves out a household taken off the register: not listed, not counted, not settled', async () => {
    const h = householdOf(s.community, 'grid01', 24)
    const c = await conflictOn(h, 'phone', '13800000241', '13900000242')
    const open = (await list()).open
    await s.store.updateTable('households').set({ deleted: 1 }).where('id', '=', h.id).execute()
    try {
      const after = await list()
      expect(ofHousehold(after, h)).toEqual([])
      expect(after.open).toBe(open - 1)
      const res = await settle(c.id, { choice: 'current', seenVersion: c.householdVersion })
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'NOT_FOUND'])
      expect((await mine('grid01')).map((n) => n.id)).not.toContain(c.id)
    } finally {
      await s.store.updateTable('households').set({ deleted: 0 }).where('id', '=', h.id).execute()
    }
  })

  it('is the office’s: a worker is refused in the one error shape', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/conflicts', headers: auth('grid01') })
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'FORBIDDEN'])
  })
})

function headNameShownWhole(c: ConflictItem, h: Household): boolean {
  return h.headName.length > 1 && JSON.stringify(c).includes(h.headName)
}

describe('settling', () => {
  it('taking the overwritten value writes the household as a new version that the worker’s pull brings; audited; no longer open', async () => {
    const h = householdOf(s.community, 'grid01', 30)
    const c = await conflictOn(h, 'phone', '13800000301', '13900000302')
    const cursorRes = await s.app.inject({ method: 'GET', url: '/api/sync/pull', query: { limit: '1' }, headers: auth('grid01') })
    const before = await versionOf(h.id)
    const openBefore = (await list()).open
    const res = await settle(c.id, { choice: 'other', seenVersion: c.householdVersion })
    expect(res.statusCode, res.body).toBe(200)
    const item = res.json<ConflictItem>()
    expect(item.settled).toMatchObject({ choice: 'other', value: '13800000301', by: { id: user('secretary').id } })
    expect(item.current).toBe('13800000301')
    const after = await versionOf(h.id)
    expect(after).toBeGreaterThan(before)
    expect((await stored(h.id)).phone).toBe('13800000301')
    expect((await list()).open).toBe(openBefore - 1)
    const row = await s.store.selectFrom('conflicts').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ settled_by: user('secretary').id, settled_choice: 'other', settled_value: '"13800000301"', settled_version: after })
    const audit = await s.store.selectFrom('audit_log').selectAll().where('action', '=', 'conflict_settle').where('subject_id', '=', h.id).execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.user_id).toBe(user('secretary').id)
    expect(JSON.parse(audit[0]!.details)).toEqual({ conflictIds: [c.id], field: 'phone', choice: 'other', version: after })
    expect(audit[0]!.details).not.toContain('13800000301')

    // grid01's phone, pulling from before the settlement, receives the household at the new version.
    const cursor = cursorRes.json<{ cursor: string }>().cursor
    const changes: Change[] = []
    let next: string | undefined = cursor
    for (let i = 0; next && i < 50; i++) {
      const page: { changes: Change[]; cursor: string; hasMore: boolean } = (
        await s.app.inject({ method: 'GET', url: '/api/sync/pull', query: { cursor: next, limit: '1000' }, headers: auth('grid01') })
      ).json()
      changes.push(...page.changes)
      next = page.hasMore ? page.cursor : undefined
    }
    expect(changes.filter((x) => x.id === h.id).at(-1)).toMatchObject({ version: after, data: { phone: '13800000301' } })
  })

  it('a later patch from before the settlement is a conflict again: settling moves the field’s version', async () => {
    const h = householdOf(s.community, 'grid01', 31)
    const base = await versionOf(h.id)
    const c = await conflictOn(h, 'housing', 'rented', 'vacant')
    expect((await settle(c.id, { choice: 'value', value: 'owner', seenVersion: c.householdVersion })).statusCode).toBe(200)
    // grid01's second phone edited it offline from the old base, before any of this.
    expect((await push('grid01', [patch(h, base, { housing: 'rented' })]))[0]!.status).toBe('conflict')
  })

  it('keeping the current value writes nothing to the household but settles it', async () => {
    const h = householdOf(s.community, 'grid01', 32)
    const c = await conflictOn(h, 'residency', 'present_unregistered', 'registered_absent')
    const before = await versionOf(h.id)
    const res = await settle(c.id, { choice: 'current', seenVersion: c.householdVersion })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<ConflictItem>().settled).toMatchObject({ choice: 'current', value: 'registered_absent' })
    expect(await versionOf(h.id)).toBe(before)
    expect((await s.store.selectFrom('conflicts').select('settled_version').where('id', '=', c.id).executeTakeFirstOrThrow()).settled_version).toBeNull()
  })

  it('an entered value is checked by the field’s own schema: a bad phone is refused and nothing changes; a good one is stored as parsed', async () => {
    const h = householdOf(s.community, 'grid01', 33)
    const c = await conflictOn(h, 'phone', '13800000331', '13900000332')
    const before = await versionOf(h.id)
    const bad = await settle(c.id, { choice: 'value', value: '12345', seenVersion: c.householdVersion })
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    expect(bad.json().error.message).toContain('电话号码格式不对')
    const missing = await settle(c.id, { choice: 'value', seenVersion: c.householdVersion })
    expect([missing.statusCode, missing.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const wrongType = await settle(c.id, { choice: 'value', value: ['13800000331'], seenVersion: c.householdVersion })
    expect(wrongType.statusCode).toBe(400)
    expect(await versionOf(h.id)).toBe(before)
    expect((await list('secretary', { state: 'open' })).conflicts.map((x) => x.id)).toContain(c.id)
    const good = await settle(c.id, { choice: 'value', value: ' 0531-88886666 ', seenVersion: c.householdVersion })
    expect(good.statusCode, good.body).toBe(200)
    expect((await stored(h.id)).phone).toBe('0531-88886666')
    // A housing code that does not exist is refused the same way.
    const c2 = await conflictOn(h, 'housing', 'rented', 'vacant')
    const badCode = await settle(c2.id, { choice: 'value', value: 'palace', seenVersion: c2.householdVersion })
    expect([badCode.statusCode, badCode.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    // Only the three choices, and nothing besides.
    expect((await settle(c2.id, { choice: 'mine', seenVersion: c2.householdVersion })).statusCode).toBe(400)
    expect((await settle(c2.id, { choice: 'current', seenVersion: c2.householdVersion, value: 'owner' })).statusCode).toBe(400)
  })

  it('twice is refused as STALE, naming who settled it; so is a decision on a field changed since the list was read', async () => {
    const h = householdOf(s.community, 'grid01', 34)
    const c = await conflictOn(h, 'phone', '13800000341', '13900000342')
    expect((await settle(c.id, { choice: 'current', seenVersion: c.householdVersion })).statusCode).toBe(200)
    const again = await settle(c.id, { choice: 'other', seenVersion: c.householdVersion }, 'admin')
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'STALE'])
    expect(again.json().error.message).toContain(user('secretary').name)
    expect((await stored(h.id)).phone).toBe('13900000342')

    const c2 = await conflictOn(h, 'phone', '13800000343', '13900000344')
    // Someone edits the phone again after the secretary opened the list.
    expect((await push('grid01', [patch(h, await versionOf(h.id), { phone: '13800000345' })]))[0]!.status).toBe('applied')
    const stale = await settle(c2.id, { choice: 'other', seenVersion: c2.householdVersion })
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'STALE'])
    expect((await stored(h.id)).phone).toBe('13800000345')
    // Another field changing is no reason to refuse.
    const fresh = ofHousehold(await list(), h).find((x) => x.id === c2.id)!
    expect((await push('grid01', [patch(h, await versionOf(h.id), { housing: 'vacant' })]))[0]!.status).toBe('applied')
    expect((await settle(c2.id, { choice: 'other', seenVersion: fresh.householdVersion })).statusCode).toBe(200)
    expect((await stored(h.id)).phone).toBe('13800000343')
  })

  it('settles every open conflict of the same field of the household at once, and no other', async () => {
    const h = householdOf(s.community, 'grid01', 35)
    await preset(h, { phone: NEUTRAL.phone, housing: 'owner' })
    const base = await versionOf(h.id)
    expect((await push('grid01', [patch(h, base, { phone: '13800000351' })]))[0]!.status).toBe('applied')
    expect((await push('secretary', [patch(h, base, { phone: '13900000352', housing: 'vacant' })]))[0]!.status).toBe('conflict')
    expect((await push('admin', [patch(h, base, { phone: '13700000353' })]))[0]!.status).toBe('conflict')
    expect((await push('grid01', [patch(h, base, { housing: 'rented' })], uuidv7()))[0]!.status).toBe('conflict')
    const open = ofHousehold(await list('secretary', { state: 'open' }), h)
    expect(open.map((c) => c.field).sort()).toEqual(['housing', 'phone', 'phone'])
    const phone = open.find((c) => c.field === 'phone')!
    expect((await settle(phone.id, { choice: 'value', value: '13800000351', seenVersion: phone.householdVersion })).statusCode).toBe(200)
    expect(ofHousehold(await list('secretary', { state: 'open' }), h).map((c) => c.field)).toEqual(['housing'])
  })

  it('a settler not granted the 政法 tags keeps them on the household, and never sees them in the list', async () => {
    const h = householdOf(s.community, 'grid01', 36)
    // It carries a 政法 tag the admin will not be allowed to see; grid01 never sees it either.
    const c = await conflictOn(h, 'tags', ['dibao', 'disabled'], ['elderly_alone', 'correction'], ['dibao', 'correction'])
    expect(c.current).toEqual(expect.arrayContaining(['correction']))
    await s.store.updateTable('users').set({ sensitive_tags: 0 }).where('id', '=', user('admin').id).execute()
    try {
      const seen = ofHousehold(await list('admin'), h).find((x) => x.id === c.id)!
      expect(JSON.stringify(seen)).not.toContain('correction')
      const res = await settle(c.id, { choice: 'value', value: ['disabled', 'drug'], seenVersion: seen.householdVersion }, 'admin')
      expect(res.statusCode, res.body).toBe(200)
      expect(JSON.stringify(res.json())).not.toContain('correction')
      expect((await stored(h.id)).tags.sort()).toEqual(['correction', 'disabled'])
    } finally {
      await s.store.updateTable('users').set({ sensitive_tags: 1 }).where('id', '=', user('admin').id).execute()
    }
  })

  it('an unknown conflict is NOT_FOUND; a conflict id that is not a number is refused before anything is read', async () => {
    const res = await settle(987654321, { choice: 'current', seenVersion: 1 })
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'NOT_FOUND'])
    const bad = await s.app.inject({ method: 'POST', url: '/api/conflicts/abc/settle', headers: auth('secretary'), payload: { choice: 'current', seenVersion: 1 } })
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
  })
})

describe('a worker whose value did not stand', () => {
  it('is told while the office has not decided, and after it decided against them; not when their value was taken', async () => {
    const h = householdOf(s.community, 'grid01', 40)
    const c = await conflictOn(h, 'housing', 'rented', 'vacant')
    const open = (await mine('grid01')).filter((n) => n.householdId === h.id)
    expect(open).toEqual([
      { id: c.id, householdId: h.id, residentNameMasked: null, field: 'housing', mine: 'rented', mineAt: c.overwritten.at, standing: 'vacant', by: { id: user('secretary').id, name: user('secretary').name }, at: c.kept.at, settled: false },
    ])
    // The secretary's own value stood: nothing to tell them; grid02 had no part in it.
    expect((await mine('secretary')).filter((n) => n.householdId === h.id)).toEqual([])
    expect((await mine('grid02')).filter((n) => n.householdId === h.id)).toEqual([])

    const settled = await settle(c.id, { choice: 'value', value: 'owner', seenVersion: c.householdVersion }, 'admin')
    expect(settled.statusCode).toBe(200)
    const after = (await mine('grid01')).filter((n) => n.householdId === h.id)
    expect(after).toEqual([expect.objectContaining({ mine: 'rented', standing: 'owner', by: { id: user('admin').id, name: user('admin').name }, settled: true })])
    // The secretary's value did not stand either, now: the admin decided.
    expect((await mine('secretary')).filter((n) => n.householdId === h.id)).toEqual([expect.objectContaining({ mine: 'vacant', standing: 'owner', settled: true })])
    // The admin decided it: nothing to tell the admin.
    expect((await mine('admin')).filter((n) => n.householdId === h.id)).toEqual([])
  })

  it('hears nothing once the office took their value', async () => {
    const h = householdOf(s.community, 'grid01', 41)
    const c = await conflictOn(h, 'phone', '13800000411', '13900000412')
    expect((await mine('grid01')).map((n) => n.id)).toContain(c.id)
    expect((await settle(c.id, { choice: 'other', seenVersion: c.householdVersion })).statusCode).toBe(200)
    expect((await mine('grid01')).map((n) => n.id)).not.toContain(c.id)
    // The secretary's own value lost, but by the secretary's own decision: nothing to tell.
    expect((await mine('secretary')).map((n) => n.id)).not.toContain(c.id)
  })

  it('hears only of households in the cells they hold now', async () => {
    // grid02 once held grid01's cell and edited a household there; the cell is grid01's now.
    const h = householdOf(s.community, 'grid01', 42)
    const at = new Date().toISOString()
    const row = { entity: 'household', entity_id: h.id, field: 'phone', base_version: 1, kept_value: '"13900000421"', overwritten_value: '"13800000422"', user_id: user('grid01').id, mutation_id: uuidv7(), at, settled_at: null, overwritten_by: user('grid02').id, overwritten_at: at, settled_by: null, settled_choice: null, settled_value: null, settled_version: null }
    await s.store.insertInto('conflicts').values(row).execute()
    expect((await mine('grid02')).filter((n) => n.householdId === h.id)).toEqual([])
    // The same, on grid02's own cell, is told.
    const own = householdOf(s.community, 'grid02', 3)
    await s.store.insertInto('conflicts').values({ ...row, entity_id: own.id, mutation_id: uuidv7() }).execute()
    expect((await mine('grid02')).filter((n) => n.householdId === own.id)).toHaveLength(1)
  })

  it('a settled conflict is told for 30 days, then forgotten', async () => {
    const h = householdOf(s.community, 'grid01', 43)
    const c = await conflictOn(h, 'housing', 'rented', 'vacant')
    expect((await settle(c.id, { choice: 'current', seenVersion: c.householdVersion })).statusCode).toBe(200)
    expect((await mine('grid01')).map((n) => n.id)).toContain(c.id)
    await s.store.updateTable('conflicts').set({ settled_at: new Date(Date.now() - 31 * 86_400_000).toISOString() }).where('id', '=', c.id).execute()
    expect((await mine('grid01')).map((n) => n.id)).not.toContain(c.id)
  })
})
