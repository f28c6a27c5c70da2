import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChecklistItem, ChecklistTemplate, MutationResult } from '../../src/domain'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { getRecord } from '../../src/server/store/records'
import { householdOf, makeVisit, requiredAnswers, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(200)
  for (const u of ['grid01', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

async function push(username: string, mutations: unknown[]): Promise<MutationResult[]> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens[username]}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations },
  })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { results: MutationResult[] }).results
}
const patchMutation = (id: string, data: unknown) => ({ mutationId: uuidv7(), entity: 'checklistTemplate', id, op: 'patch', data, at: new Date().toISOString() })
const routine = () => s.community.templates.find((t) => t.code === 'routine')!
async function stored(id: string): Promise<ChecklistTemplate> {
  return (await getRecord(s.store, 'checklistTemplate', id))!.data as ChecklistTemplate
}

describe('checklist template versions', () => {
  it('a visit filled with v1 stays valid after v2, and a new visit must satisfy v2', async () => {
    const t1 = routine()
    const worker = workerOf(s.community, 'grid01')
    // Filled offline with v1, pushed only after the admin moved the template on.
    const oldVisit = makeVisit(s.community, householdOf(s.community, 'grid01', 0), worker.id)
    expect(oldVisit.templateVersion).toBe(1)

    const renamed = t1.items[0]!
    const items: ChecklistItem[] = [
      { ...renamed, label: `${renamed.label}（新）` },
      ...t1.items.slice(1),
      { id: 'fire_check', label: '消防通道畅通', kind: 'yesno', required: true },
    ]
    const [patched] = await push('admin', [patchMutation(t1.id, { items })])
    expect(patched!.status, JSON.stringify(patched)).toBe('applied')

    const t2 = await stored(t1.id)
    expect(t2.version).toBe(2)
    expect(t2.items[0]!.label).toBe(`${renamed.label}（新）`)
    expect(t2.history).toEqual([{ version: 1, items: t1.items }])

    const [old] = await push('grid01', [visitMutation(oldVisit)])
    expect(old!.status, JSON.stringify(old)).toBe('applied')
    const kept = (await getRecord(s.store, 'visit', oldVisit.id))!.data
    expect(kept.templateVersion).toBe(1)
    expect(kept.answers).toEqual(oldVisit.answers)

    // A new visit naming v2 with v1's answers misses the new required item.
    const v2Missing = makeVisit(s.community, householdOf(s.community, 'grid01', 1), worker.id, { templateVersion: 2 })
    const [missing] = await push('grid01', [visitMutation(v2Missing)])
    expect(missing!.status).toBe('rejected')
    expect(missing!.error?.message).toContain('消防通道畅通')

    const v2Ok = makeVisit(s.community, householdOf(s.community, 'grid01', 1), worker.id, { templateVersion: 2, answers: requiredAnswers(t2) })
    const [ok] = await push('grid01', [visitMutation(v2Ok)])
    expect(ok!.status, JSON.stringify(ok)).toBe('applied')

    // A version the template never had is refused.
    const v9 = makeVisit(s.community, householdOf(s.community, 'grid01', 2), worker.id, { templateVersion: 9 })
    const [unknown] = await push('grid01', [visitMutation(v9)])
    expect(unknown!.status).toBe('rejected')

    // v1 items still on the record, the devices' pull carries the history.
    const pull = await s.app.inject({ method: 'GET', url: '/api/sync/pull?limit=1000', headers: { authorization: `Bearer ${tokens.grid01}` } })
    const changes = (pull.json() as { changes: { entity: string; id: string; data: ChecklistTemplate }[] }).changes
    const synced = changes.find((c) => c.entity === 'checklistTemplate' && c.id === t1.id)
    expect(synced?.data.history?.[0]?.items[0]?.label).toBe(renamed.label)
  })

  it('is admin only, validated, and audited as settings_change', async () => {
    const t = s.community.templates.find((x) => x.code !== 'routine')!
    const [forbidden] = await push('secretary', [patchMutation(t.id, { name: '改名' })])
    expect(forbidden!.error?.code).toBe('FORBIDDEN')
    const [bad] = await push('admin', [patchMutation(t.id, { items: [{ id: 'a', label: '', kind: 'yesno' }] })])
    expect(bad!.error?.code).toBe('VALIDATION_FAILED')
    const [dup] = await push('admin', [
      patchMutation(t.id, { items: [{ id: 'a', label: 'A', kind: 'yesno' }, { id: 'a', label: 'B', kind: 'text' }] }),
    ])
    expect(dup!.error?.code).toBe('VALIDATION_FAILED')
    expect((await stored(t.id)).version).toBe(t.version)

    const [renamed] = await push('admin', [patchMutation(t.id, { name: '改了名字' })])
    expect(renamed!.status).toBe('applied')
    const after = await stored(t.id)
    expect(after.name).toBe('改了名字')
    expect(after.version).toBe(t.version) // a rename keeps the items' version

    const audit = await s.store.selectFrom('audit_log').selectAll().where('subject_id', '=', t.id).execute()
    expect(audit.map((a) => a.action)).toEqual(['settings_change'])
  })

  it('checklistTemplate:create makes version 1; codes are unique', async () => {
    const id = uuidv7()
    const data = { id, code: 'fire', name: '消防检查', items: [{ id: 'ok', label: '灭火器在有效期', kind: 'yesno', required: true }] }
    const create = (d: unknown, tid = id) => ({ mutationId: uuidv7(), entity: 'checklistTemplate', id: tid, op: 'create', data: d, at: new Date().toISOString() })
    const [ok] = await push('admin', [create(data)])
    expect(ok!.status, JSON.stringify(ok)).toBe('applied')
    expect((await stored(id)).version).toBe(1)
    const other = uuidv7()
    const [taken] = await push('admin', [create({ ...data, id: other }, other)])
    expect(taken!.error?.code).toBe('VALIDATION_FAILED')
    const [forbidden] = await push('grid01', [create({ ...data, id: other, code: 'x' }, other)])
    expect(forbidden!.error?.code).toBe('FORBIDDEN')
  })
})
