import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseReport, MutationResult } from '../../src/domain'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { attachmentPath, MAX_UNREFERENCED_PHOTOS, UNREFERENCED_GRACE_MS } from '../../src/server/services/attachments'
import { runMaintenance } from '../../src/server/services/maintenance'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { realJpeg, sha256 } from '../support/photos'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// Referring to a photo or a visit is reading it: a record may only show photos its author may
// already see, and point at visits they may read — and the refusal never tells whether the
// photo or visit exists.

let s: TestServer
const tokens: Record<string, string> = {}
const users = ['grid01', 'grid02', 'grid03', 'grid04', 'secretary'] as const
beforeAll(async () => {
  s = await startTestServer()
  for (const u of users) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

let seed = 1000
const put = (user: string, body: Buffer) =>
  s.app.inject({ method: 'PUT', url: `/api/attachments/${sha256(body)}`, headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'image/jpeg' }, payload: body })
const get = (user: string, id: string) => s.app.inject({ method: 'GET', url: `/api/attachments/${id}`, headers: { authorization: `Bearer ${tokens[user]}` } })
async function upload(user: string): Promise<string> {
  const bytes = realJpeg(++seed)
  const res = await put(user, bytes)
  expect(res.statusCode, res.body).toBe(200)
  return sha256(bytes)
}

async function push(user: string, mutations: unknown[]): Promise<MutationResult[]> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens[user]}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations },
  })
  expect(res.statusCode).toBe(200)
  return res.json().results
}

const visitBy = (user: string, photoIds: string[] = []) =>
  makeVisit(s.community, householdOf(s.community, user), workerOf(s.community, user).id, { photoIds })

function report(user: string, over: Partial<CaseReport> = {}): CaseReport {
  const h = householdOf(s.community, user)
  return {
    id: uuidv7(),
    kind: 'hazard',
    category: 'fire',
    title: '楼道堆放杂物',
    description: '三单元一楼楼道堆满纸箱，堵住消防通道',
    gridId: h.gridId,
    householdIds: [],
    residentIds: [],
    location: null,
    place: '三单元一楼',
    urgency: 'yellow',
    photoIds: [],
    visitId: null,
    reporterId: workerOf(s.community, user).id,
    reportedAt: new Date().toISOString(),
    ...over,
  }
}
const createCase = (c: CaseReport) => ({ mutationId: uuidv7(), entity: 'case', id: c.id, op: 'create', data: c, at: new Date().toISOString() })
const transition = (caseId: string, action: string, extra: Record<string, unknown>) => ({
  mutationId: uuidv7(),
  entity: 'case',
  id: caseId,
  op: 'transition',
  data: { stepId: uuidv7(), action, note: '已处理', at: new Date().toISOString(), ...extra },
  at: new Date().toISOString(),
})
const refsOf = async (sha: string) => (await s.store.selectFrom('attachment_refs').select('entity_id').where('sha256', '=', sha).execute()).length

describe('a record may show only photos its author may see', () => {
  it("another cell's unreferenced upload: the visit is refused exactly as for a photo that does not exist, and stays unreadable", async () => {
    const theirs = await upload('grid02')
    const unknown = sha256(realJpeg(++seed))
    const [withTheirs] = await push('grid01', [visitMutation(visitBy('grid01', [theirs]))])
    const [withUnknown] = await push('grid01', [visitMutation(visitBy('grid01', [unknown]))])
    expect(withTheirs).toMatchObject({ status: 'rejected', error: { code: 'ATTACHMENT_MISSING' } })
    // Same code, same words: the answer does not reveal that grid02's photo exists.
    expect(withTheirs!.error).toEqual(withUnknown!.error)
    expect(await refsOf(theirs)).toBe(0)
    expect((await get('grid01', theirs)).statusCode).toBe(404)
  })

  it("another cell's photo already shown by that cell's visit cannot be pulled into this cell by reference", async () => {
    const theirs = await upload('grid02')
    expect((await push('grid02', [visitMutation(visitBy('grid02', [theirs]))]))[0]!.status).toBe('applied')
    const [res] = await push('grid01', [visitMutation(visitBy('grid01', [theirs]))])
    expect(res).toMatchObject({ status: 'rejected', error: { code: 'ATTACHMENT_MISSING' } })
    expect((await get('grid01', theirs)).statusCode).toBe(404)
    expect((await get('grid02', theirs)).statusCode).toBe(200)
  })

  it('the same refusal for a reported case and for a case step showing such a photo', async () => {
    const theirs = await upload('grid02')
    const [created] = await push('grid01', [createCase(report('grid01', { photoIds: [theirs] }))])
    expect(created).toMatchObject({ status: 'rejected', error: { code: 'ATTACHMENT_MISSING' } })

    const c = report('grid01')
    expect((await push('grid01', [createCase(c)]))[0]!.status).toBe('applied')
    const team = s.community.teams.find((t) => t.kind === 'property')!
    expect((await push('secretary', [transition(c.id, 'accept', {})]))[0]!.status).toBe('applied')
    expect((await push('secretary', [transition(c.id, 'assign', { handlerTeamId: team.id })]))[0]!.status).toBe('applied')
    expect((await push('grid01', [transition(c.id, 'start', {})]))[0]!.status).toBe('applied')
    const [done] = await push('grid01', [transition(c.id, 'resolve', { photoIds: [theirs] })])
    expect(done).toMatchObject({ status: 'rejected', error: { code: 'ATTACHMENT_MISSING' } })
    expect(await refsOf(theirs)).toBe(0)
    expect((await get('grid01', theirs)).statusCode).toBe(404)
  })

  it('whoever sends the bytes has the photo: once grid01 uploads the same photo itself, its visit may show it', async () => {
    const bytes = realJpeg(++seed)
    expect((await put('grid02', bytes)).statusCode).toBe(200)
    expect((await push('grid01', [visitMutation(visitBy('grid01', [sha256(bytes)]))]))[0]!.status).toBe('rejected')
    expect((await put('grid01', bytes)).statusCode).toBe(200)
    expect((await push('grid01', [visitMutation(visitBy('grid01', [sha256(bytes)]))]))[0]!.status).toBe('applied')
    expect((await get('grid01', sha256(bytes))).statusCode).toBe(200)
  })

  it('one unreadable photo among readable ones refuses the whole record', async () => {
    const mine = await upload('grid01')
    const theirs = await upload('grid02')
    const v = visitBy('grid01', [mine, theirs])
    expect((await push('grid01', [visitMutation(v)]))[0]).toMatchObject({ status: 'rejected', error: { code: 'ATTACHMENT_MISSING' } })
    expect((await push('grid01', [visitMutation(visitBy('grid01', [mine]))]))[0]!.status).toBe('applied')
  })

  it('the office may show any photo the server holds', async () => {
    const theirs = await upload('grid02')
    const c = report('grid02', { photoIds: [theirs] })
    expect((await push('secretary', [createCase(c)]))[0]!.status).toBe('applied')
  })
})

describe('a case may point only at a visit its author may read', () => {
  it("another cell's visit answers NOT_FOUND, word for word as an unknown visit does; nothing stored", async () => {
    const theirVisit = visitBy('grid02')
    expect((await push('grid02', [visitMutation(theirVisit)]))[0]!.status).toBe('applied')
    const pointing = report('grid01', { visitId: theirVisit.id })
    const [theirs] = await push('grid01', [createCase(pointing)])
    const [unknown] = await push('grid01', [createCase(report('grid01', { visitId: uuidv7() }))])
    expect(theirs).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } })
    expect(theirs!.error).toEqual(unknown!.error)
    expect(await s.store.selectFrom('cases').select('id').where('id', '=', pointing.id).executeTakeFirst()).toBeUndefined()
  })

  it("the worker's own visit and the office's view of any visit are fine", async () => {
    const own = visitBy('grid01')
    expect((await push('grid01', [visitMutation(own)]))[0]!.status).toBe('applied')
    expect((await push('grid01', [createCase(report('grid01', { visitId: own.id }))]))[0]!.status).toBe('applied')
    expect((await push('secretary', [createCase(report('grid01', { visitId: own.id }))]))[0]!.status).toBe('applied')
  })

  it("a verification visit of another cell is refused on a case step too", async () => {
    const theirVisit = visitBy('grid02')
    expect((await push('grid02', [visitMutation(theirVisit)]))[0]!.status).toBe('applied')
    const c = report('grid01')
    expect((await push('grid01', [createCase(c)]))[0]!.status).toBe('applied')
    const team = s.community.teams.find((t) => t.kind === 'property')!
    for (const [user, action, extra] of [
      ['secretary', 'accept', {}],
      ['secretary', 'assign', { handlerTeamId: team.id }],
      ['grid01', 'start', {}],
      ['grid01', 'resolve', {}],
    ] as const)
      expect((await push(user, [transition(c.id, action, extra)]))[0]!.status, action).toBe('applied')
    const [verify] = await push('grid01', [transition(c.id, 'verify', { visitId: theirVisit.id })])
    expect(verify).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } })
  })
})

describe('uploads no record shows yet are limited per user, and expire', () => {
  it(`a worker may hold ${MAX_UNREFERENCED_PHOTOS} of them; the next is QUOTA_EXCEEDED with a true Retry-After, until a record shows some`, async () => {
    const held: string[] = []
    for (let i = 0; i < MAX_UNREFERENCED_PHOTOS; i++) held.push(await upload('grid03'))
    const extra = realJpeg(++seed)
    const refused = await put('grid03', extra)
    expect(refused.statusCode).toBe(429)
    expect(refused.json().error.code).toBe('QUOTA_EXCEEDED')
    // Nothing frees the allowance before the oldest upload expires, unless records arrive.
    const retryAfter = Number(refused.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(UNREFERENCED_GRACE_MS / 1000 - 600)
    expect(retryAfter).toBeLessThanOrEqual(UNREFERENCED_GRACE_MS / 1000)
    expect(await s.store.selectFrom('attachments').select('sha256').where('sha256', '=', sha256(extra)).executeTakeFirst()).toBeUndefined()
    expect(existsSync(attachmentPath(s.attachmentsDir, sha256(extra)))).toBe(false)

    // Sending the visit that shows some of them makes room for as many.
    expect((await push('grid03', [visitMutation(visitBy('grid03', held.slice(0, 2)))]))[0]!.status).toBe('applied')
    expect((await put('grid03', extra)).statusCode).toBe(200)
    expect((await put('grid03', realJpeg(++seed))).statusCode).toBe(200)
    expect((await put('grid03', realJpeg(++seed))).statusCode).toBe(429)
    // Another worker's allowance is their own.
    expect((await put('grid04', realJpeg(++seed))).statusCode).toBe(200)
  })

  it('housekeeping removes uploads no record showed within the grace period (row and file), keeps the rest, and ends expired sessions', async () => {
    const stale = await upload('grid04')
    const shown = await upload('grid04')
    expect((await push('grid04', [visitMutation(visitBy('grid04', [shown]))]))[0]!.status).toBe('applied')
    const expired = await s.login('grid04')
    await s.store.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('user_id', '=', workerOf(s.community, 'grid04').id).execute()

    const later = new Date(Date.now() + UNREFERENCED_GRACE_MS + 60_000)
    const report = await runMaintenance(s.deployment, s.attachmentsDir, later)
    expect(report.photos).toBeGreaterThanOrEqual(1)
    expect(report.sessions).toBeGreaterThanOrEqual(1)
    expect(await s.store.selectFrom('attachments').select('sha256').where('sha256', '=', stale).executeTakeFirst()).toBeUndefined()
    expect(existsSync(attachmentPath(s.attachmentsDir, stale))).toBe(false)
    expect(existsSync(attachmentPath(s.attachmentsDir, shown))).toBe(true)
    expect((await s.app.inject({ method: 'GET', url: `/api/attachments/${shown}`, headers: { authorization: `Bearer ${tokens.secretary}` } })).statusCode).toBe(200)
    const me = await s.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${expired}` } })
    expect(me.statusCode).toBe(401)
    expect(await s.store.selectFrom('sessions').select('user_id').where('user_id', '=', workerOf(s.community, 'grid04').id).execute()).toHaveLength(0)
  })

  it('an upload sent again is fresh again: housekeeping keeps it', async () => {
    const bytes = realJpeg(++seed)
    expect((await put('grid01', bytes)).statusCode).toBe(200)
    await s.store.updateTable('attachment_uploads').set({ uploaded_at: new Date(Date.now() - UNREFERENCED_GRACE_MS - 3600_000).toISOString() }).where('sha256', '=', sha256(bytes)).execute()
    expect((await put('grid01', bytes)).statusCode).toBe(200)
    await runMaintenance(s.deployment, s.attachmentsDir, new Date(Date.now() + 60_000))
    expect((await get('grid01', sha256(bytes))).statusCode).toBe(200)
  })
})
