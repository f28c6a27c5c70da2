import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { queueTransition } from '../../src/app/sync/cases'
import { createLocal } from '../../src/app/sync/outbox'
import { type Case, DEFAULT_CASE_DEADLINES, uuidv7 } from '../../src/domain'
import { householdOf } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, expectConverged, login } from './harness'

let s: TestServer
let baseUrl: string
const devices: Device[] = []
beforeAll(async () => {
  s = await startTestServer()
  baseUrl = await s.listen()
})
afterAll(() => s.close())
afterEach(() => {
  for (const d of devices.splice(0)) d.db.close()
})

async function device(username: string) {
  const d = new Device(baseUrl, await login(baseUrl, username))
  devices.push(d)
  await d.engine.syncOnce()
  return d
}

function newCase(username: string): Case {
  const h = householdOf(s.community, username)
  const at = new Date().toISOString()
  return {
    id: uuidv7(),
    kind: 'hazard',
    category: 'fire',
    title: '楼道电动车充电',
    description: '3单元一楼楼道每晚有电动车飞线充电',
    gridId: h.gridId,
    householdIds: [h.id],
    residentIds: [],
    location: null,
    place: '3单元一楼楼道',
    urgency: 'red',
    photoIds: [],
    visitId: null,
    reporterId: workerOf(s.community, username).id,
    reportedAt: at,
    state: 'reported',
    handlerTeamId: null,
    deadline: null,
    updatedAt: at,
  }
}

const stepsOnServer = async (caseId: string) =>
  (await s.store.selectFrom('case_steps').select(['data']).where('case_id', '=', caseId).orderBy('version').execute()).map((r) => JSON.parse(r.data).action)

describe('cases through sync', () => {
  it('a case created and moved through three states offline reaches the server in order, exactly once', async () => {
    const office = await device('secretary')
    const worker = await device('grid01')
    const user = { ...workerOf(s.community, 'grid01') }
    const secretary = workerOf(s.community, 'secretary')
    // The worker reports offline.
    const c = newCase('grid01')
    await createLocal(worker.db, 'case', c)
    worker.faults.push('drop-response') // the server commits, the phone never hears it
    await expect(worker.engine.syncOnce()).rejects.toBeTruthy()
    await worker.syncUntilOk()
    // The office, offline, accepts and assigns it; then the worker starts it.
    await office.syncUntilOk()
    const team = s.community.teams.find((t) => t.kind === 'property')!
    await queueTransition(office.db, secretary, c.id, 'accept', {}, DEFAULT_CASE_DEADLINES)
    await queueTransition(office.db, secretary, c.id, 'assign', { handlerTeamId: team.id, note: '请物业当天处理' }, DEFAULT_CASE_DEADLINES)
    expect((await office.db.cases.get(c.id))!.state).toBe('assigned') // shown at once, before any sync
    office.faults.push('server-500', 'drop-request')
    await office.syncUntilOk()
    await worker.syncUntilOk()
    await queueTransition(worker.db, user, c.id, 'start', { note: '物业已到场' }, DEFAULT_CASE_DEADLINES)
    await worker.syncUntilOk()

    expect(await stepsOnServer(c.id)).toEqual(['report', 'accept', 'assign', 'start'])
    expect((await s.store.selectFrom('cases').select('state').where('id', '=', c.id).executeTakeFirstOrThrow()).state).toBe('in_progress')
    // Both devices converge on the server's case and history.
    await office.syncUntilOk()
    for (const d of [worker, office]) {
      expect((await d.db.cases.get(c.id))!.state).toBe('in_progress')
      expect((await d.db.caseSteps.where('caseId').equals(c.id).toArray()).length).toBe(4)
      expect(await d.db.outbox.count()).toBe(0)
    }
    // Every table, not only the case: the worker's cell, the office's whole community.
    await expectConverged(s, worker, { gridIds: user.gridIds, sensitiveTags: false })
    await expectConverged(s, office, { gridIds: null, sensitiveTags: true })
  })

  it('a transition the server refuses is kept, visible, with its reason', async () => {
    const a = await device('secretary')
    const b = await device('secretary')
    const worker = await device('grid01')
    const secretary = workerOf(s.community, 'secretary')
    const c = newCase('grid01')
    await createLocal(worker.db, 'case', c)
    await worker.syncUntilOk()
    await a.syncUntilOk()
    await b.syncUntilOk()
    // Two offices act on the same case offline: one returns it, the other accepts it.
    await queueTransition(a.db, secretary, c.id, 'return', { note: '请补充照片' }, DEFAULT_CASE_DEADLINES)
    await queueTransition(b.db, secretary, c.id, 'accept', {}, DEFAULT_CASE_DEADLINES)
    await a.syncUntilOk()
    const report = await b.engine.syncOnce()
    expect(report.rejected).toBe(1)
    const [row] = await b.db.outbox.toArray()
    expect(row).toMatchObject({ entityId: c.id, op: 'transition', state: 'rejected', error: { code: 'INVALID_TRANSITION' } })
    expect(row!.error!.message).toContain('回退')
    // Kept across more syncs, never dropped silently.
    await b.engine.syncOnce()
    expect(await b.db.outbox.count()).toBe(1)
    expect(await stepsOnServer(c.id)).toEqual(['report', 'return'])
  })

  it('a step shows on the phone at once, as the office will see it, before any sync', async () => {
    const office = await device('secretary')
    const secretary = workerOf(s.community, 'secretary')
    const c = newCase('grid01')
    await office.db.cases.put(c)
    const team = s.community.teams[0]!
    const now = new Date('2026-11-20T08:00:00.000Z')
    await queueTransition(office.db, secretary, c.id, 'accept', { handlerTeamId: team.id, deadline: '2026-12-01T00:00:00.000Z', note: '收到' }, DEFAULT_CASE_DEADLINES, now)
    // Accepting names no team and no deadline, whatever the form held.
    expect(await office.db.cases.get(c.id)).toMatchObject({ state: 'accepted', handlerTeamId: null, deadline: null, updatedAt: now.toISOString() })
    await queueTransition(office.db, secretary, c.id, 'assign', { handlerTeamId: team.id }, DEFAULT_CASE_DEADLINES, now)
    // No deadline chosen: the community's default handling time, until the server answers with its own.
    const deadline = new Date(now.getTime() + DEFAULT_CASE_DEADLINES.defaultHandlingDays * 86_400_000).toISOString()
    expect(await office.db.cases.get(c.id)).toMatchObject({ state: 'assigned', handlerTeamId: team.id, deadline })
    const rows = await office.db.outbox.orderBy('seq').toArray()
    // Both steps carry the same instant: take them in the order they were queued.
    const steps = await Promise.all(rows.map(async (r) => (await office.db.caseSteps.get('stepId' in r.data ? r.data.stepId : ''))!))
    expect(steps.map((x) => [x.action, x.from, x.to, x.actorName, x.note, x.handlerTeamId, x.deadline])).toEqual([
      ['accept', 'reported', 'accepted', secretary.name, '收到', null, null],
      ['assign', 'accepted', 'assigned', secretary.name, '', team.id, deadline],
    ])
    expect(rows.map((r) => r.data)).toMatchObject([
      { action: 'accept', handlerTeamId: null, deadline: null, note: '收到', photoIds: [], visitId: null },
      { action: 'assign', handlerTeamId: team.id, deadline: null },
    ])
    expect(steps.every((x) => x.caseId === c.id && x.gridId === c.gridId && x.actorId === secretary.id)).toBe(true)
    // A chosen deadline is kept as chosen.
    await office.db.cases.put(c)
    await queueTransition(office.db, secretary, c.id, 'accept', {}, DEFAULT_CASE_DEADLINES, now)
    await queueTransition(office.db, secretary, c.id, 'assign', { handlerTeamId: team.id, deadline: '2026-12-01T00:00:00.000Z' }, DEFAULT_CASE_DEADLINES, now)
    expect((await office.db.cases.get(c.id))!.deadline).toBe('2026-12-01T00:00:00.000Z')
    await expect(queueTransition(office.db, secretary, 'no-such-case', 'accept', {}, DEFAULT_CASE_DEADLINES)).rejects.toThrow('这个问题不在本机上')
  })

  it('after assigning, the next step keeps the team and deadline, and carries the visit and photos it names', async () => {
    const office = await device('secretary')
    const secretary = workerOf(s.community, 'secretary')
    const c = { ...newCase('grid01'), state: 'assigned' as const, handlerTeamId: s.community.teams[1]!.id, deadline: '2026-12-05T00:00:00.000Z' }
    await office.db.cases.put(c)
    const visitId = uuidv7()
    await queueTransition(office.db, secretary, c.id, 'start', { note: '到场', visitId, photoIds: ['a'.repeat(64)] }, DEFAULT_CASE_DEADLINES)
    expect(await office.db.cases.get(c.id)).toMatchObject({ state: 'in_progress', handlerTeamId: c.handlerTeamId, deadline: c.deadline })
    const [row] = await office.db.outbox.toArray()
    expect(row!.data).toMatchObject({ action: 'start', visitId, photoIds: ['a'.repeat(64)] })
    expect(await office.db.caseSteps.get('stepId' in row!.data ? row!.data.stepId : '')).toMatchObject({ visitId, photoIds: ['a'.repeat(64)], deadline: null })
  })

  it('refused on the phone with the reason: a return without a reason, an assignment without a team, a worker outside the cell', async () => {
    const office = await device('secretary')
    const secretary = workerOf(s.community, 'secretary')
    const c = newCase('grid01')
    await office.db.cases.put(c)
    await expect(queueTransition(office.db, secretary, c.id, 'return', {}, DEFAULT_CASE_DEADLINES)).rejects.toThrow('「回退」需要写明理由或结果')
    await expect(queueTransition(office.db, secretary, c.id, 'return', { note: '  ' }, DEFAULT_CASE_DEADLINES)).rejects.toThrow(/需要写明理由/)
    await office.db.cases.put({ ...c, state: 'accepted' })
    await expect(queueTransition(office.db, secretary, c.id, 'assign', {}, DEFAULT_CASE_DEADLINES)).rejects.toThrow('分派时要选一个处置单位')
    await office.db.cases.put({ ...c, state: 'assigned' })
    const other = { ...workerOf(s.community, 'grid02') }
    await expect(queueTransition(office.db, other, c.id, 'start', {}, DEFAULT_CASE_DEADLINES)).rejects.toThrow(/只能由/)
    expect(await office.db.outbox.count()).toBe(0)
  })

  it('a step the state machine forbids is refused on the device before it is queued', async () => {
    const worker = await device('grid01')
    const c = newCase('grid01')
    await createLocal(worker.db, 'case', c)
    await expect(queueTransition(worker.db, workerOf(s.community, 'grid01'), c.id, 'close', {}, DEFAULT_CASE_DEADLINES)).rejects.toThrow(/结案/)
    expect(await worker.db.outbox.count()).toBe(1) // only the report
  })
})
