import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createLocal } from '../../src/app/sync/outbox'
import { type Household, type MutationResult, type Need, PROTOCOL_VERSION, type ResourceCreate, uuidv7 } from '../../src/domain'
import { householdOf, makeVisit } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, expectConverged, login, SMALL_COMMUNITY } from './harness'

// 三张清单 through the real engine (issue 13, sync): a need a worker records offline from a visit,
// matched by the office to a resource while the phone still has no signal, is matched on the
// phone after its next sync, where the household's page finds it; a service-menu order whose
// answer was lost is stored once; a project completed meanwhile meets the phone's needs; and each
// device holds exactly what it may of the lists (a worker: its cells' needs, the resources with
// volunteers masked, no service records).

let s: TestServer
let baseUrl: string
let officeToken: string
const devices: Device[] = []

beforeAll(async () => {
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
  officeToken = await login(baseUrl, 'secretary')
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

/** The office, online: pushes straight to the server. */
async function office(...mutations: Array<{ entity: string; id: string; op: string; data: object }>): Promise<void> {
  const res = await fetch(`${baseUrl}/api/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${officeToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: mutations.map((m) => ({ mutationId: uuidv7(), at: new Date().toISOString(), ...m })) }),
  })
  const { results } = (await res.json()) as { results: MutationResult[] }
  expect(results.map((r) => r.status), JSON.stringify(results)).toEqual(mutations.map(() => 'applied'))
}

const viewerOf = (username: string) => ({ gridIds: workerOf(s.community, username).gridIds, sensitiveTags: false })

function canteen(capacity: number | null = null): ResourceCreate {
  return {
    id: uuidv7(),
    kind: 'unit',
    name: '幸福里长者食堂',
    unitType: 'company',
    teamId: null,
    contactName: '吴经理',
    contactPhone: '0538-6123456',
    description: '',
    offers: [{ id: uuidv7(), category: 'meals', title: '老年助餐', description: '', capacity, period: capacity === null ? null : 'week', schedule: '每天中午', onMenu: true }],
    volunteer: null,
  }
}

/** A need as the phone writes it: the whole record, open, made on the device. */
function needOnPhone(username: string, h: Household, source: Need['source'], over: Partial<Need> = {}): Need {
  const at = new Date().toISOString()
  return {
    id: uuidv7(),
    gridId: h.gridId,
    householdIds: [h.id],
    category: 'meals',
    description: '想申请老年助餐，自己做饭不方便',
    urgency: 'blue',
    source,
    raisedBy: workerOf(s.community, username).id,
    raisedAt: at,
    status: 'open',
    resourceId: null,
    projectId: null,
    matchedAt: null,
    metAt: null,
    closedAt: null,
    closeReason: null,
    metNote: null,
    dueAt: null,
    updatedAt: at,
    ...over,
  }
}

describe('needs through sync', () => {
  it('recorded offline from a visit, matched by the office while the phone is still offline, shows matched on the phone after sync', async () => {
    const r = canteen()
    await office({ entity: 'resource', id: r.id, op: 'create', data: r })
    const phone = await device('grid01')
    const h = householdOf(s.community, 'grid01', 2)
    // In a stairwell with no signal: the visit, and the need heard on it.
    const visit = makeVisit(s.community, h, workerOf(s.community, 'grid01').id, { needs: '想申请老年助餐' })
    await createLocal(phone.db, 'visit', visit)
    const need = needOnPhone('grid01', h, { kind: 'visit', visitId: visit.id })
    await createLocal(phone.db, 'need', need)
    // One bar on the way out: both go up, then the signal drops before the pull.
    phone.faults.push('none', 'drop-request')
    await expect(phone.engine.syncOnce()).rejects.toBeTruthy()
    expect(await phone.db.outbox.count()).toBe(0)
    // The office matches it to the canteen; the phone, offline, still shows it waiting.
    await office({ entity: 'need', id: need.id, op: 'transition', data: { action: 'match', resourceId: r.id, at: new Date().toISOString() } })
    expect(await phone.db.needs.get(need.id)).toMatchObject({ status: 'open', resourceId: null })
    await phone.syncUntilOk()
    // The household's page finds its needs by household, and the resource they were matched to.
    const onPage = await phone.db.needs.where('householdIds').equals(h.id).toArray()
    expect(onPage.find((n) => n.id === need.id)).toMatchObject({ status: 'matched', resourceId: r.id, matchedAt: expect.any(String), dueAt: expect.any(String) })
    expect(await phone.db.resources.get(r.id)).toMatchObject({ name: '幸福里长者食堂' })
    await expectConverged(s, phone, viewerOf('grid01'))
  })

  it('a menu order whose answer was lost is sent again and stored once, matched, and a project completed meanwhile meets it on the phone', async () => {
    const r = canteen(3)
    await office({ entity: 'resource', id: r.id, op: 'create', data: r })
    const phone = await device('grid01')
    const h = householdOf(s.community, 'grid01', 4)
    const order = needOnPhone('grid01', h, { kind: 'order', offerId: r.offers[0]!.id, visitId: null })
    await createLocal(phone.db, 'need', order)
    phone.faults.push('drop-response') // the server commits, the phone never hears it
    await expect(phone.engine.syncOnce()).rejects.toBeTruthy()
    await phone.syncUntilOk()
    const rows = await s.store.selectFrom('needs').select(['status', 'resource_id']).where('offer_id', '=', r.offers[0]!.id).execute()
    expect(rows).toEqual([{ status: 'matched', resource_id: r.id }])
    expect(await phone.db.needs.get(order.id)).toMatchObject({ status: 'matched', resourceId: r.id })
    // While the phone is offline again, the office runs a project for it and completes it.
    const project = { id: uuidv7(), title: '助餐送餐上门', category: 'meals', leadName: '社区书记', description: '', needIds: [order.id], resourceIds: [r.id], startDay: '2026-11-21', endDay: null }
    await office({ entity: 'project', id: project.id, op: 'create', data: project })
    await office({ entity: 'project', id: project.id, op: 'transition', data: { action: 'start', at: new Date().toISOString() } })
    await office({ entity: 'project', id: project.id, op: 'transition', data: { action: 'complete', at: new Date().toISOString() } })
    await phone.syncUntilOk()
    expect(await phone.db.needs.get(order.id)).toMatchObject({ status: 'met', projectId: project.id, metNote: '项目「助餐送餐上门」完成' })
    expect(await phone.db.projects.get(project.id)).toMatchObject({ status: 'done', householdsServed: 1 })
    await expectConverged(s, phone, viewerOf('grid01'))
  })

  it('each device holds what it may: a worker its cells’ needs and the volunteers masked, no hours; the office everything', async () => {
    const resident = s.community.residents.find((x) => x.householdId === householdOf(s.community, 'grid02').id)!
    const v: ResourceCreate = {
      ...canteen(),
      id: uuidv7(),
      kind: 'volunteer',
      name: '孙志愿',
      unitType: null,
      contactName: '孙志愿',
      contactPhone: '13712345678',
      offers: [],
      volunteer: { residentId: resident.id, skills: ['送餐'], availability: '周末', partyMember: true, branch: null, pointsConsent: true },
    }
    const hoursNeed = needOnPhone('secretary', householdOf(s.community, 'grid02', 1), { kind: 'office' }, { raisedBy: workerOf(s.community, 'secretary').id })
    await office({ entity: 'resource', id: v.id, op: 'create', data: v }, { entity: 'need', id: hoursNeed.id, op: 'create', data: hoursNeed })
    const hours = { id: uuidv7(), resourceId: v.id, projectId: null, needId: hoursNeed.id, day: '2026-11-20', hours: 2, note: '送餐' }
    await office({ entity: 'serviceRecord', id: hours.id, op: 'create', data: hours })
    const phone = await device('grid01')
    const boss = await device('secretary')
    expect(await phone.db.resources.get(v.id)).toMatchObject({ name: '孙*愿', contactPhone: null, contactPhoneMasked: '137****5678', volunteer: { residentId: null } })
    expect(await phone.db.serviceRecords.count()).toBe(0)
    expect(await phone.db.needs.get(hoursNeed.id), 'another cell’s need').toBeUndefined()
    expect(await boss.db.resources.get(v.id)).toMatchObject({ name: '孙志愿', contactPhone: '13712345678', volunteer: { residentId: resident.id } })
    expect(await boss.db.serviceRecords.get(hours.id)).toMatchObject({ status: 'recorded', points: null })
    await expectConverged(s, phone, viewerOf('grid01'))
    await expectConverged(s, boss, { gridIds: null, sensitiveTags: true })
  })
})
