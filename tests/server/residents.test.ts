import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Household, MutationResult, Resident } from '../../src/domain'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { householdOf, makeResident, residentCreate, residentPatch } from '../support/fixtures'
import { startTestServer, type TestServer } from '../support/server'

// The worker keeps the register true at the door (issue 10, part 3): someone new, someone moved
// out or dead, a new phone — each a mutation scoped by the household's grid cell, field-level
// like a household's, and never an ID number or a 政法 tag.

let s: TestServer
let worker: string
let secretary: string
beforeAll(async () => {
  s = await startTestServer(400)
  worker = await s.login('grid01')
  secretary = await s.login('secretary')
})
afterAll(() => s.close())

async function push(mutations: unknown[], token = worker, device = uuidv7()): Promise<MutationResult[]> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${token}` },
    payload: { deviceId: device, protocolVersion: PROTOCOL_VERSION, mutations },
  })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { results: MutationResult[] }).results
}
const one = async (m: unknown, token = worker, device?: string) => (await push([m], token, device))[0]!

const household = async (id: string) => {
  const r = await s.store.selectFrom('households').select(['version', 'data', 'field_versions']).where('id', '=', id).executeTakeFirstOrThrow()
  return { version: Number(r.version), data: JSON.parse(r.data) as Household }
}
const resident = async (id: string) => {
  const r = await s.store.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? { ...r, version: Number(r.version), data: JSON.parse(r.data) as Resident } : undefined
}
const conflictsOf = (id: string) => s.store.selectFrom('conflicts').selectAll().where('entity_id', '=', id).execute()

/** A household of grid01's cell with a head and a spouse, the n-th such. */
function couple(n = 0) {
  const c = s.community
  const cell = c.users.find((u) => u.username === 'grid01')!.gridIds[0]!
  const homes = c.households.filter((h) => h.gridId === cell)
  const found = homes
    .map((h) => {
      const people = c.residents.filter((r) => r.householdId === h.id)
      return { h, head: people.find((r) => r.relation === 'head'), spouse: people.find((r) => r.relation === 'spouse') }
    })
    .filter((x) => x.head && x.spouse)[n]
  if (!found) throw new Error('no couple in grid01’s cell')
  return { h: found.h, head: found.head!, spouse: found.spouse! }
}

describe('adding a resident', () => {
  it('a worker adds a newborn to a household of their cell: stored in its cell with no ID number, and the household is found by the new name and its pinyin', async () => {
    const h = householdOf(s.community, 'grid01', 1)
    const r = makeResident(h, { gridId: uuidv7() }) // the device's idea of the cell is not trusted
    const before = await household(h.id)
    expect((await one(residentCreate(r))).status).toBe('applied')
    const stored = (await resident(r.id))!
    expect(stored).toMatchObject({ grid_id: h.gridId, household_id: h.id, id_number: null, deleted: 0 })
    expect(stored.data).toMatchObject({ name: '赵小满', gridId: h.gridId, idMasked: null, status: 'present' })
    const after = await household(h.id)
    expect(after.version).toBeGreaterThan(before.version)
    expect(after.data.searchKey).toContain('赵小满 zhaoxiaoman zxm')
    expect(after.data.headName).toBe(before.data.headName)
  })

  it('a resent create is a duplicate; the same id in another mutation is ID_TAKEN', async () => {
    const r = makeResident(householdOf(s.community, 'grid01', 2))
    const m = residentCreate(r)
    const device = uuidv7()
    expect((await one(m, worker, device)).status).toBe('applied')
    expect((await one(m, worker, device)).status).toBe('duplicate')
    expect(await one(residentCreate(r))).toMatchObject({ status: 'rejected', error: { code: 'ID_TAKEN' } })
  })

  it('refused in words: an ID number, a 政法 tag from a worker, a household of another cell, one that does not exist', async () => {
    const h = householdOf(s.community, 'grid01', 3)
    const withId = await one(residentCreate(makeResident(h, { idMasked: '370902********1234' as unknown as null })))
    expect(withId).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN', message: '身份证号只能由管理员在台账里登记或修改' } })
    const idNumber = { ...makeResident(h), idNumber: '370902195001011234' }
    expect(await one({ ...residentCreate(makeResident(h)), id: idNumber.id, data: idNumber })).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN' } })
    const tagged = await one(residentCreate(makeResident(h, { tags: ['released'] })))
    expect(tagged).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN' } })
    expect(tagged.error!.message).toContain('政法标签')
    const other = householdOf(s.community, 'grid02')
    const away = makeResident(other)
    expect(await one(residentCreate(away))).toMatchObject({ status: 'rejected', error: { code: 'OUT_OF_SCOPE', message: '这户不在你负责的网格里' } })
    expect(await resident(away.id)).toBeUndefined()
    expect(await one(residentCreate(makeResident({ ...h, id: uuidv7() })))).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } })
  })

  it('the secretary, granted 政法 tags, may add a resident with one', async () => {
    const r = makeResident(householdOf(s.community, 'grid01', 4), { tags: ['released'], birthYear: 1980, relation: 'child' })
    expect((await one(residentCreate(r), secretary)).status).toBe('applied')
    expect((await resident(r.id))!.data.tags).toEqual(['released'])
  })
})

describe('moving out, dying, a new phone', () => {
  it('the head moves out: kept on the register with the day and destination, the spouse names the household, the head’s name no longer finds it', async () => {
    const { h, head, spouse } = couple(0)
    const base = (await resident(head.id))!.version
    const r = await one(residentPatch(head.id, { status: 'moved_out', statusDate: '2026-11-03', movedTo: ' 杭州市西湖区 ' }, base))
    expect(r.status).toBe('applied')
    const stored = (await resident(head.id))!
    expect(stored.deleted).toBe(0)
    expect(stored.data).toMatchObject({ status: 'moved_out', statusDate: '2026-11-03', movedTo: '杭州市西湖区', name: head.name })
    const after = await household(h.id)
    expect(after.data.headName).toBe(spouse.name)
    expect(after.data.searchKey.split(' ')).not.toContain(head.name)
    expect(after.data.searchKey.split(' ')).toContain(spouse.name)
  })

  it('someone who died has no destination; undoing a mistake clears the day, and the head names the household again', async () => {
    const { h, head } = couple(1)
    expect((await one(residentPatch(head.id, { status: 'moved_out', statusDate: '2026-09-01', movedTo: '养老院' }))).status).toBe('applied')
    expect(await one(residentPatch(head.id, { status: 'deceased', statusDate: '2026-10-01', movedTo: '八宝山' }))).toMatchObject({ status: 'rejected', error: { message: '去世的居民没有去向' } })
    // Died after moving out: the destination of the move does not stay.
    expect((await one(residentPatch(head.id, { status: 'deceased', statusDate: '2026-10-01' }))).status).toBe('applied')
    expect((await resident(head.id))!.data).toMatchObject({ status: 'deceased', statusDate: '2026-10-01', movedTo: null })
    expect((await household(h.id)).data.headName).not.toBe(head.name)
    expect((await one(residentPatch(head.id, { status: 'present' }))).status).toBe('applied')
    expect((await resident(head.id))!.data).toMatchObject({ status: 'present', statusDate: null, movedTo: null })
    expect((await household(h.id)).data.headName).toBe(head.name)
  })

  it('a new phone number changes the phone only', async () => {
    const { head } = couple(2)
    const before = (await resident(head.id))!.data
    expect((await one(residentPatch(head.id, { phone: '13955556666' }))).status).toBe('applied')
    expect((await resident(head.id))!.data).toEqual({ ...before, phone: '13955556666' })
  })

  it('refused in words: a move without its day, a day ahead, a name, an ID number, another cell’s resident, an unknown one', async () => {
    const { head } = couple(3)
    const before = await resident(head.id)
    expect(await one(residentPatch(head.id, { status: 'moved_out' }))).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED', message: '请填写迁出日期' } })
    expect(await one(residentPatch(head.id, { status: 'deceased', statusDate: '2099-01-01' }))).toMatchObject({ status: 'rejected', error: { message: '日期不能晚于今天' } })
    expect(await one(residentPatch(head.id, { movedTo: '杭州' }))).toMatchObject({ status: 'rejected', error: { message: '在住的居民没有迁出或去世日期' } })
    expect(await one(residentPatch(head.id, { name: '王二' }))).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(await one(residentPatch(head.id, { idNumber: '370902195001011234' }))).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN' } })
    expect(await one(residentPatch(head.id, { tags: ['drug'] }))).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    const theirs = s.community.residents.find((r) => r.householdId === householdOf(s.community, 'grid02').id)!
    expect(await one(residentPatch(theirs.id, { status: 'moved_out', statusDate: '2026-11-03' }))).toMatchObject({ status: 'rejected', error: { code: 'OUT_OF_SCOPE' } })
    expect(await one(residentPatch(uuidv7(), { phone: '13955556666' }))).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } })
    expect(await resident(head.id)).toEqual(before)
    expect((await resident(theirs.id))!.data.status).toBe('present')
  })
})

describe('resident edits are field-level', () => {
  it('a resident moved out on a phone while the secretary edits the household’s phone from the same base: both applied, no conflict', async () => {
    const { h, head } = couple(4)
    const hBase = (await household(h.id)).version
    const rBase = (await resident(head.id))!.version
    expect((await one(residentPatch(head.id, { status: 'moved_out', statusDate: '2026-11-03', movedTo: null }, rBase))).status).toBe('applied')
    const phone = { mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', baseVersion: hBase, data: { phone: '13811112222' }, at: new Date().toISOString() }
    expect((await one(phone, secretary)).status).toBe('applied')
    expect((await household(h.id)).data.phone).toBe('13811112222')
    expect((await resident(head.id))!.data.status).toBe('moved_out')
    expect(await conflictsOf(h.id)).toEqual([])
    expect(await conflictsOf(head.id)).toEqual([])
  })

  it('the same resident’s phone changed by two people from one base: the later kept, the earlier a recorded conflict', async () => {
    const { spouse } = couple(5)
    const base = (await resident(spouse.id))!.version
    expect((await one(residentPatch(spouse.id, { phone: '13800000001' }, base), secretary)).status).toBe('applied')
    // grid01's phone, from the same base: a status change does not overlap; the phone does.
    expect((await one(residentPatch(spouse.id, { status: 'deceased', statusDate: '2026-11-01' }, base))).status).toBe('applied')
    expect((await one(residentPatch(spouse.id, { phone: '13900000002' }, base))).status).toBe('conflict')
    expect((await resident(spouse.id))!.data).toMatchObject({ phone: '13900000002', status: 'deceased' })
    const conflicts = await conflictsOf(spouse.id)
    expect(conflicts).toHaveLength(1)
    expect(conflicts[0]).toMatchObject({ entity: 'resident', field: 'phone', overwritten_value: '"13800000001"', kept_value: '"13900000002"' })
  })
})

describe('household edits from the household page', () => {
  const patch = (id: string, data: Record<string, unknown>) => ({ mutationId: uuidv7(), entity: 'household', id, op: 'patch', data, at: new Date().toISOString() })

  it('notes are kept, and a later edit of another field leaves them', async () => {
    const h = householdOf(s.community, 'grid01', 11)
    expect((await one(patch(h.id, { notes: '老人耳背，敲门要用力' }))).status).toBe('applied')
    expect((await one(patch(h.id, { housing: 'rented' }))).status).toBe('applied')
    expect((await household(h.id)).data).toMatchObject({ notes: '老人耳背，敲门要用力', housing: 'rented' })
  })

  it('a worker cannot put on or take off a 政法 tag; the secretary granted them can', async () => {
    const h = householdOf(s.community, 'grid01', 12)
    const tags = (await household(h.id)).data.tags
    const r = await one(patch(h.id, { tags: [...tags, 'correction'] }))
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN' } })
    expect((await household(h.id)).data.tags).toEqual(tags)
    expect((await one(patch(h.id, { tags: [...tags, 'correction'] }), secretary)).status).toBe('applied')
    expect((await household(h.id)).data.tags).toContain('correction')
    // grid01 never sees it (pull strips it), so grid01's tags without it keep it.
    expect((await one(patch(h.id, { tags: [...tags.filter((t) => t !== 'dibao'), 'dibao'] }))).status).toBe('applied')
    expect((await household(h.id)).data.tags).toContain('correction')
  })

  it('a household outside the worker’s cells is refused and nothing changes', async () => {
    const h = householdOf(s.community, 'grid02', 1)
    const before = await household(h.id)
    expect(await one(patch(h.id, { phone: '13812345678' }))).toMatchObject({ status: 'rejected', error: { code: 'OUT_OF_SCOPE' } })
    expect(await household(h.id)).toEqual(before)
  })
})
