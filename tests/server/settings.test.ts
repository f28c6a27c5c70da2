import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Change, MutationResult, PullResponse, Settings } from '../../src/domain'
import { DEFAULT_CASE_DEADLINES, DEFAULT_MEETING_PLACES, DEFAULT_POINT_RULES, DEFAULT_SETTINGS, DEFAULT_VISIT_RULES, PROTOCOL_VERSION, SETTINGS_ID, uuidv7 } from '../../src/domain'
import { readCounter } from '../../src/server/store/counters'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 设置 → 走访规则 and case deadlines: the admin edits them, every device gets them at its next pull.

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(40)
  for (const u of ['grid01', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

async function patch(username: string, data: unknown, id = SETTINGS_ID): Promise<MutationResult> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens[username]}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), entity: 'settings', id, op: 'patch', data, at: new Date().toISOString() }] },
  })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { results: MutationResult[] }).results[0]!
}

const stored = async () => {
  const row = await s.store.selectFrom('settings').selectAll().where('id', '=', SETTINGS_ID).executeTakeFirst()
  return row && { ...row, version: Number(row.version), data: JSON.parse(row.data) as Settings }
}

/** The settings record as the worker's phone receives it. */
async function pulledSettings(): Promise<Change | undefined> {
  // Every page: how many records come before the settings depends on the community's size.
  let found: Change | undefined
  for (let cursor = ''; ; ) {
    const q = new URLSearchParams({ limit: '2000', ...(cursor ? { cursor } : {}) })
    const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${tokens.grid01}` } })
    const body = res.json() as Extract<PullResponse, { changes: unknown }>
    found = body.changes.filter((c) => c.entity === 'settings').at(-1) ?? found
    if (!body.hasMore) return found
    cursor = body.cursor
  }
}

const auditOf = async () =>
  (await s.store.selectFrom('audit_log').selectAll().where('action', '=', 'settings_change').where('subject_id', '=', SETTINGS_ID).orderBy('id').execute()).map((r) => ({
    ...r,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }))

describe('settings', () => {
  it('only the admin may change the rules; nothing changes otherwise', async () => {
    const before = await stored()
    for (const username of ['secretary', 'grid01']) {
      const r = await patch(username, { caseDeadlines: { ...DEFAULT_CASE_DEADLINES, redHours: 1 } })
      expect(r).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN', message: '只有管理员可以修改规则' } })
    }
    expect(await stored()).toEqual(before)
    expect(await auditOf()).toEqual([])
  })

  it('there is one settings record: another id is NOT_FOUND, a bad patch VALIDATION_FAILED', async () => {
    const before = await stored()
    expect(await patch('admin', { caseDeadlines: DEFAULT_CASE_DEADLINES }, uuidv7())).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND', message: '没有这份设置' } })
    for (const bad of [{ visitRules: [] }, { visitRules: [{ attention: 'high', tag: 'any', days: 0 }] }, { colour: 'red' }, { id: uuidv7() }, { caseDeadlines: { redHours: 2 } }]) {
      const r = await patch('admin', bad)
      expect([JSON.stringify(bad), r.status, r.error?.code]).toEqual([JSON.stringify(bad), 'rejected', 'VALIDATION_FAILED'])
      expect(r.error?.message).toMatch(/^规则设置不正确/)
    }
    expect(await stored()).toEqual(before)
  })

  it('a patch changes the fields it names and keeps the rest as they were; each change is a new version every device pulls, and audited', async () => {
    const headBefore = await readCounter(s.store, 'version')
    const deadlines = { ...DEFAULT_CASE_DEADLINES, redHours: 3 }
    const first = await patch('admin', { caseDeadlines: deadlines })
    expect(first).toMatchObject({ status: 'applied', version: headBefore + 1 })
    expect(await stored()).toMatchObject({ version: headBefore + 1, deleted: 0, data: { id: SETTINGS_ID, visitRules: DEFAULT_VISIT_RULES, caseDeadlines: deadlines, officeVisitDays: 90 } })

    // The second patch names only the rules: the deadlines stay the ones just set, not the defaults.
    const rules = [{ attention: 'any', tag: 'any', days: 14 }]
    const second = await patch('admin', { visitRules: rules })
    expect(second).toMatchObject({ status: 'applied', version: headBefore + 2 })
    const now = await stored()
    expect(now!.data).toEqual({ id: SETTINGS_ID, visitRules: rules, caseDeadlines: deadlines, officeVisitDays: 90, pointRules: DEFAULT_POINT_RULES, meetingPlaces: DEFAULT_MEETING_PLACES, communityName: s.community.name })
    expect(now!.version).toBe(headBefore + 2)
    expect(await pulledSettings()).toEqual({ entity: 'settings', id: SETTINGS_ID, version: headBefore + 2, deleted: false, data: { id: SETTINGS_ID, visitRules: rules, caseDeadlines: deadlines, officeVisitDays: 90, pointRules: DEFAULT_POINT_RULES, meetingPlaces: DEFAULT_MEETING_PLACES, communityName: s.community.name } })

    const admin = workerOf(s.community, 'admin')
    const audit = await auditOf()
    expect(audit.map((a) => [a.user_id, a.subject_type, a.details])).toEqual([
      [admin.id, 'settings', { version: headBefore + 1, changed: { caseDeadlines: deadlines } }],
      [admin.id, 'settings', { version: headBefore + 2, changed: { visitRules: rules } }],
    ])
  })

  it('the rules the admin set are the ones the statistics apply', async () => {
    // With one rule of 14 days for everyone, a household last visited 20 days before `to` is overdue.
    const day = '2026-10-31'
    const stats = await s.app.inject({ method: 'GET', url: `/api/stats/households?from=${day}&to=${day}`, headers: { authorization: `Bearer ${tokens.secretary}` } })
    const list = (stats.json() as { households: { state: string; lastCompletedAt: string | null }[] }).households
    const gapDays = (h: { lastCompletedAt: string | null }) => (Date.parse(`${day}T16:00:00Z`) - Date.parse(h.lastCompletedAt!)) / 86_400_000
    const late = list.filter((h) => h.lastCompletedAt && gapDays(h) > 16)
    expect(late.length).toBeGreaterThan(0)
    // Late by the rule; or late earlier still, by a follow-up date a visit promised.
    expect(late.every((h) => h.state === 'overdue' || h.state === 'followup_missed')).toBe(true)
    expect(late.some((h) => h.state === 'overdue')).toBe(true)
  })

  it('a community whose settings record is missing gets one made from the defaults plus the patch', async () => {
    await s.store.deleteFrom('settings').where('id', '=', SETTINGS_ID).execute()
    const head = await readCounter(s.store, 'version')
    const deadlines = { ...DEFAULT_CASE_DEADLINES, blueHours: 96 }
    expect(await patch('admin', { caseDeadlines: deadlines })).toMatchObject({ status: 'applied', version: head + 1 })
    expect(await stored()).toEqual({
      id: SETTINGS_ID,
      version: head + 1,
      deleted: 0,
      grid_id: null,
      household_id: null,
      data: { ...DEFAULT_SETTINGS, caseDeadlines: deadlines },
    })
    expect((await pulledSettings())?.data).toEqual({ ...DEFAULT_SETTINGS, caseDeadlines: deadlines })
  })
})
