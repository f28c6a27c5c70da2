import { describe, expect, it } from 'vitest'
import {
  Change,
  DEFAULT_SETTINGS,
  ENTITIES,
  Entity,
  ENTITY_SCHEMAS,
  Health,
  MAX_PUSH_BATCH,
  Mutation,
  MUTATION_DATA,
  MutationResult,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PullQuery,
  PullResponse,
  PushRequest,
  PushResponse,
  type MutationKind,
} from '../../src/domain'
import { ids, validBuilding, validCampaign, validCampaignTarget, validCase, validCaseReport, validCaseStep, validComment, validGridCell, validHousehold, validLedgerEntry, validMatter, validMatterStep, validMeeting, validMutation, validNeed, validNotice, validProject, validResident, validResource, validServiceRecord, validTeam, validTemplate, validTransition, validVisit } from '../support/fixtures'
import { messagesOf } from './messagesOf'

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

describe('what each entity is, and what a device may send', () => {
  it('every entity a pull can carry has its record shape', () => {
    const records: Record<Entity, unknown> = {
      settings: DEFAULT_SETTINGS,
      team: validTeam(),
      gridCell: validGridCell(),
      building: validBuilding(),
      household: validHousehold(),
      resident: validResident(),
      checklistTemplate: validTemplate(),
      visit: validVisit(),
      case: validCase(),
      caseStep: validCaseStep(),
      comment: validComment(),
      campaign: validCampaign(),
      campaignTarget: validCampaignTarget(),
      need: validNeed(),
      resource: validResource(),
      project: validProject(),
      serviceRecord: validServiceRecord(),
      matter: validMatter(),
      matterStep: validMatterStep(),
      meeting: validMeeting(),
      ledgerEntry: validLedgerEntry(),
      notice: validNotice(),
    }
    expect([...ENTITIES].sort()).toEqual(Object.keys(records).sort())
    for (const e of ENTITIES) {
      expect(Entity.safeParse(e).success, e).toBe(true)
      expect(ENTITY_SCHEMAS[e].safeParse(records[e]).success, e).toBe(true)
      // … and each shape is its own: a household is not a visit.
      expect(ENTITY_SCHEMAS[e].safeParse({ id: ids.household }).success, e).toBe(false)
    }
  })

  it('a device may create visits, cases, comments and residents, patch households, residents, settings and templates, create templates, move cases, record and move needs, resources, projects and volunteers’ hours, raise and move matters, record their meetings and add to their ledgers, and publish notices', () => {
    const data: Record<MutationKind, unknown> = {
      'visit:create': validVisit(),
      'household:patch': { phone: '13912345678' },
      'resident:create': validResident({ idMasked: null }),
      'resident:patch': { status: 'moved_out', statusDate: '2026-11-03', movedTo: '杭州市西湖区' },
      'case:create': validCaseReport(),
      'case:transition': validTransition(),
      'comment:create': { id: ids.comment, visitId: ids.visit, text: '好', at: '2026-11-21T12:00:00.000Z' },
      'settings:patch': { visitRules: DEFAULT_SETTINGS.visitRules },
      'checklistTemplate:patch': { name: '日常走访（新）' },
      'checklistTemplate:create': { id: ids.template, code: 'care', name: '关爱探访', items: validTemplate().items },
      'need:create': validNeed(),
      'need:transition': { action: 'match', resourceId: ids.resource, at: '2026-11-21T12:00:00.000Z' },
      'resource:create': validResource(),
      'resource:patch': { active: false },
      'project:create': validProject(),
      'project:patch': { title: '教师新村老年食堂' },
      'project:transition': { action: 'start', at: '2026-11-21T12:00:00.000Z' },
      'serviceRecord:create': validServiceRecord(),
      'serviceRecord:transition': { action: 'confirm', at: '2026-11-21T12:00:00.000Z' },
      'matter:create': validMatter(),
      'matter:patch': { budget: 36_000_000 },
      'matter:transition': { stepId: ids.matterStep, action: 'discuss', at: '2026-11-21T12:00:00.000Z' },
      'meeting:create': validMeeting(),
      'meeting:patch': { minutes: '同意先出方案' },
      'ledgerEntry:create': validLedgerEntry(),
      'notice:create': { id: ids.notice, title: '停水通知', body: '12月3日9时至15时停水。', category: 'service', compound: '幸福里小区', fromDay: '2026-12-01', untilDay: '2026-12-03' },
      'notice:patch': { withdrawn: true },
    }
    expect(Object.keys(MUTATION_DATA).sort()).toEqual(Object.keys(data).sort())
    for (const k of Object.keys(data) as MutationKind[]) {
      expect(MUTATION_DATA[k].safeParse(data[k]).success, k).toBe(true)
      expect(MUTATION_DATA[k].safeParse('x').success, k).toBe(false)
    }
  })

  it('knows the four ops', () => {
    for (const op of ['create', 'patch', 'delete', 'transition']) expect(Mutation.safeParse(validMutation({ op: op as 'create' })).success, op).toBe(true)
  })

  it('takes a base version of 0 (a record never edited), and only whole numbers', () => {
    expect(Mutation.safeParse(validMutation({ baseVersion: 0 })).success).toBe(true)
    expect(Mutation.safeParse(validMutation({ baseVersion: 1.5 })).success).toBe(false)
  })
})

describe('PushResponse', () => {
  it('answers each mutation applied, duplicate, rejected with a reason, or conflict', () => {
    const results = [
      { mutationId: ids.mutation, status: 'applied', version: 12 },
      { mutationId: ids.mutation, status: 'duplicate', version: 12 },
      { mutationId: ids.mutation, status: 'rejected', error: { code: 'INVALID_TRANSITION', message: '案件现在是「结案」' } },
      { mutationId: ids.mutation, status: 'conflict', version: 13 },
    ]
    expect(PushResponse.safeParse({ results }).success).toBe(true)
    expect(PushResponse.safeParse({}).success).toBe(false)
    expect(MutationResult.safeParse({ mutationId: ids.mutation, status: 'lost' }).success).toBe(false)
    expect(MutationResult.safeParse({ mutationId: ids.mutation, status: 'applied', version: 1.5 }).success).toBe(false)
  })
})

describe('PullQuery and Change, at their bounds', () => {
  it('a limit of 1 and of 2000, a cursor of 100 characters', () => {
    expect(PullQuery.parse({ limit: '1' }).limit).toBe(1)
    expect(PullQuery.parse({ limit: 2000 }).limit).toBe(2000)
    expect(PullQuery.safeParse({ limit: '1.5' }).success).toBe(false)
    expect(PullQuery.safeParse({ cursor: 'x'.repeat(100) }).success).toBe(true)
  })

  it('a change carries a whole version, a deleted flag, and data or null', () => {
    const change = { entity: 'visit', id: ids.visit, version: 5, deleted: false, data: { id: ids.visit } }
    expect(Change.safeParse(change).success).toBe(true)
    expect(Change.safeParse({ ...change, version: 5.5 }).success).toBe(false)
    expect(Change.safeParse({ ...change, deleted: 'no' }).success).toBe(false)
    expect(Change.safeParse({ ...change, data: 'x' }).success).toBe(false)
  })
})

describe('Health and the protocol header', () => {
  it('says whether the store is ready', () => {
    expect(Health.safeParse({ ok: true, store: 'ready', protocolVersion: PROTOCOL_VERSION }).success).toBe(true)
    expect(Health.safeParse({ ok: false, store: 'unavailable', protocolVersion: PROTOCOL_VERSION }).success).toBe(true)
    expect(Health.safeParse({ ok: true, store: 'busy', protocolVersion: PROTOCOL_VERSION }).success).toBe(false)
  })

  it('keeps the header name installed apps send their protocol version in', () => {
    // Apps already on phones send this name: renaming it would leave them unable to say their version.
    expect(PROTOCOL_HEADER).toBe('x-zoufang-protocol')
  })
})
