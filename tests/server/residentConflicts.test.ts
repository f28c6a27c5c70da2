import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Change, maskName, type MutationResult, PROTOCOL_VERSION, type PullResponse, type Resident, uuidv7 } from '../../src/domain'
import { type ConflictItem, ConflictListResponse, MyConflictsResponse } from '../../src/domain/schemas/conflicts'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// A resident's field changed by two people from one old version (their phone; whether they moved
// out or died): the office sees it in the same list, names the resident, and settles it; a
// status is one question with its day and destination, settled by choosing a side.

let s: TestServer
const tokens: Record<string, string> = {}
let gridId = ''
beforeAll(async () => {
  s = await startTestServer(200)
  for (const u of ['grid01', 'secretary']) tokens[u] = await s.login(u)
  gridId = workerOf(s.community, 'grid01').gridIds[0]!
})
afterAll(() => s.close())

const auth = (u: string) => ({ authorization: `Bearer ${tokens[u]}` })
async function push(u: string, m: unknown): Promise<MutationResult> {
  const res = await s.app.inject({ method: 'POST', url: '/api/sync/push', headers: auth(u), payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [m] } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ results: MutationResult[] }>().results[0]!
}
const residentPatch = (id: string, baseVersion: number, data: Record<string, unknown>) => ({ mutationId: uuidv7(), entity: 'resident', id, op: 'patch', baseVersion, data, at: new Date().toISOString() })
const stored = async (id: string) => {
  const r = await s.store.selectFrom('residents').select(['version', 'data']).where('id', '=', id).executeTakeFirstOrThrow()
  return { version: Number(r.version), data: JSON.parse(r.data) as Resident }
}
const list = async () => ConflictListResponse.parse((await s.app.inject({ method: 'GET', url: '/api/conflicts', headers: auth('secretary') })).json())
const settle = (id: number, body: Record<string, unknown>) => s.app.inject({ method: 'POST', url: `/api/conflicts/${id}/settle`, headers: auth('secretary'), payload: body })
const aboutResident = async (id: string) => (await list()).conflicts.filter((c) => c.resident?.id === id)

/** Present residents of grid01's cell, one per household, none the head (their status changes nothing else). */
const members = () => s.community.residents.filter((r) => r.gridId === gridId && r.relation !== 'head' && r.birthYear < 2000)
const yesterday = new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10)

async function pulled(id: string): Promise<Resident | undefined> {
  let found: Change | undefined
  for (let cursor = ''; ; ) {
    const q = new URLSearchParams({ limit: '2000', ...(cursor ? { cursor } : {}) })
    const body = (await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: auth('grid01') })).json() as Extract<PullResponse, { changes: unknown }>
    found = body.changes.filter((c) => c.id === id).at(-1) ?? found
    if (!body.hasMore) return found?.data as Resident | undefined
    cursor = body.cursor
  }
}

describe('a resident’s phone changed by two people at once', () => {
  let c: ConflictItem
  const r = () => members()[0]!
  it('is in the office’s list with the household and the resident by masked name', async () => {
    const base = (await stored(r().id)).version
    expect((await push('grid01', residentPatch(r().id, base, { phone: '13800000011' }))).status).toBe('applied')
    expect((await push('secretary', residentPatch(r().id, base, { phone: '13900000022' }))).status).toBe('conflict')
    const found = await aboutResident(r().id)
    expect(found).toHaveLength(1)
    c = found[0]!
    const h = s.community.households.find((x) => x.id === r().householdId)!
    expect(c).toMatchObject({
      entity: 'resident',
      householdId: h.id,
      address: h.address,
      resident: { id: r().id, nameMasked: maskName(r().name), version: (await stored(r().id)).version },
      field: 'phone',
      kept: { value: '13900000022' },
      overwritten: { value: '13800000011' },
      current: '13900000022',
    })
  })

  it('settled by taking the other side: the resident’s phone is grid01’s on every device, and the secretary is told hers lost', async () => {
    const res = await settle(c.id, { choice: 'other', seenVersion: c.resident!.version })
    expect(res.statusCode, res.body).toBe(200)
    expect((await stored(r().id)).data.phone).toBe('13800000011')
    expect((await pulled(r().id))?.phone).toBe('13800000011')
    expect((await aboutResident(r().id))[0]!.settled).toMatchObject({ choice: 'other', value: '13800000011' })
    const notices = MyConflictsResponse.parse((await s.app.inject({ method: 'GET', url: '/api/conflicts/mine', headers: auth('grid01') })).json()).notices
    expect(notices.filter((n) => n.id === c.id)).toEqual([])
  })

  it('a phone entered by the office is checked as a phone', async () => {
    const other = members()[1]!
    const base = (await stored(other.id)).version
    await push('grid01', residentPatch(other.id, base, { phone: '13800000033' }))
    await push('secretary', residentPatch(other.id, base, { phone: '13900000044' }))
    const item = (await aboutResident(other.id))[0]!
    const bad = await settle(item.id, { choice: 'value', seenVersion: item.resident!.version, value: '12345' })
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const ok = await settle(item.id, { choice: 'value', seenVersion: item.resident!.version, value: '13700000055' })
    expect(ok.statusCode, ok.body).toBe(200)
    expect((await stored(other.id)).data.phone).toBe('13700000055')
  })
})

describe('moved out on one phone, died on another, from the same version', () => {
  const r = () => members()[2]!
  let items: ConflictItem[] = []
  it('is listed field by field, all about the same resident', async () => {
    const base = (await stored(r().id)).version
    expect((await push('grid01', residentPatch(r().id, base, { status: 'moved_out', statusDate: yesterday, movedTo: '女儿家（济南）' }))).status).toBe('applied')
    expect((await push('secretary', residentPatch(r().id, base, { status: 'deceased', statusDate: yesterday }))).status).toBe('conflict')
    items = (await aboutResident(r().id)).filter((c) => !c.settled)
    expect(items.map((c) => c.field).sort()).toEqual(['movedTo', 'status'])
    expect((await stored(r().id)).data).toMatchObject({ status: 'deceased', movedTo: null })
  })

  it('cannot be settled with a value typed in the list: a side is chosen', async () => {
    const status = items.find((c) => c.field === 'status')!
    const res = await settle(status.id, { choice: 'value', seenVersion: status.resident!.version, value: 'present' })
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    expect(res.json().error.message).toContain('请选定一方')
  })

  it('taking the other side restores the move with its day and destination, and settles the whole question', async () => {
    const status = items.find((c) => c.field === 'status')!
    const res = await settle(status.id, { choice: 'other', seenVersion: status.resident!.version })
    expect(res.statusCode, res.body).toBe(200)
    expect((await stored(r().id)).data).toMatchObject({ status: 'moved_out', statusDate: yesterday, movedTo: '女儿家（济南）' })
    expect((await aboutResident(r().id)).filter((c) => !c.settled)).toEqual([])
    expect(await pulled(r().id)).toMatchObject({ status: 'moved_out', movedTo: '女儿家（济南）' })
  })

  it('a settled question is not settled twice', async () => {
    const movedTo = items.find((c) => c.field === 'movedTo')!
    const again = await settle(movedTo.id, { choice: 'current', seenVersion: (await stored(r().id)).version })
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'STALE'])
  })
})
