import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChecklistItem, ChecklistTemplate, MutationResult, PullResponse } from '../../src/domain'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { readCounter } from '../../src/server/store/counters'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 设置 → 走访清单: what the admin sees happen to a template when they rename it, change its items,
// or make a new one; and what every phone receives.

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(40)
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
const mutation = (op: 'patch' | 'create', id: string, data: unknown) => ({ mutationId: uuidv7(), entity: 'checklistTemplate', id, op, data, at: new Date().toISOString() })
const edit = async (username: string, id: string, data: unknown) => (await push(username, [mutation('patch', id, data)]))[0]!
const create = async (username: string, data: { id: string } & Record<string, unknown>, id = data.id) => (await push(username, [mutation('create', id, data)]))[0]!

async function stored(id: string) {
  const row = await s.store.selectFrom('checklist_templates').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return { version: Number(row.version), deleted: row.deleted, grid_id: row.grid_id, household_id: row.household_id, template: JSON.parse(row.data) as ChecklistTemplate }
}
async function audit(id: string) {
  const rows = await s.store.selectFrom('audit_log').selectAll().where('subject_id', '=', id).orderBy('id').execute()
  return rows.map((r) => ({ user: r.user_id, action: r.action, type: r.subject_type, details: JSON.parse(r.details) as Record<string, unknown> }))
}
async function pulledTemplate(id: string) {
  const res = await s.app.inject({ method: 'GET', url: '/api/sync/pull?limit=2000', headers: { authorization: `Bearer ${tokens.grid01}` } })
  return (res.json() as Extract<PullResponse, { changes: unknown }>).changes.find((c) => c.entity === 'checklistTemplate' && c.id === id)
}

const items = (...labels: string[]): ChecklistItem[] => labels.map((label, i) => ({ id: `i${i}`, label, kind: 'yesno', required: i === 0 }))
const adminId = () => workerOf(s.community, 'admin').id

describe('editing a checklist template', () => {
  let id: string
  const v1 = items('燃气阀门关好', '楼道无杂物')

  it('a new template starts at version 1, every phone gets it, and the creation is audited', async () => {
    id = uuidv7()
    const head = await readCounter(s.store, 'version')
    const r = await create('admin', { id, code: 'gas', name: '燃气安全', items: v1 })
    expect(r).toMatchObject({ status: 'applied', version: head + 1 })
    const want: ChecklistTemplate = { id, code: 'gas', name: '燃气安全', version: 1, items: v1 }
    expect(await stored(id)).toEqual({ version: head + 1, deleted: 0, grid_id: null, household_id: null, template: want })
    expect(await pulledTemplate(id)).toEqual({ entity: 'checklistTemplate', id, version: head + 1, deleted: false, data: want })
    expect(await audit(id)).toEqual([{ user: adminId(), action: 'settings_change', type: 'checklistTemplate', details: { created: true, code: 'gas', templateVersion: 1 } }])
  })

  it('a rename keeps the template version and the items; the record still moves so phones get the name', async () => {
    const before = await stored(id)
    const r = await edit('admin', id, { name: '燃气安全检查' })
    expect(r.status).toBe('applied')
    const after = await stored(id)
    expect(after.version).toBe(r.version)
    expect(after.version).toBeGreaterThan(before.version)
    expect(after.template).toEqual({ ...before.template, name: '燃气安全检查' })
    expect(after.template.history).toBeUndefined()
    expect((await pulledTemplate(id))?.data).toEqual(after.template)
    expect((await audit(id)).at(-1)).toEqual({ user: adminId(), action: 'settings_change', type: 'checklistTemplate', details: { templateVersion: 1, previousVersion: 1, changed: ['name'] } })
  })

  it('sending the same items again is no new template version', async () => {
    const before = await stored(id)
    const r = await edit('admin', id, { items: before.template.items })
    expect(r.status).toBe('applied')
    const after = await stored(id)
    expect(after.template).toEqual(before.template)
    expect((await audit(id)).at(-1)!.details).toEqual({ templateVersion: 1, previousVersion: 1, changed: ['items'] })
  })

  it('changed items make version 2, keep the name, and keep version 1 in the history; a third edit keeps both', async () => {
    const v2 = items('燃气阀门关好', '楼道无杂物', '报警器有电')
    await edit('admin', id, { items: v2 })
    const t2 = (await stored(id)).template
    expect(t2).toEqual({ id, code: 'gas', name: '燃气安全检查', version: 2, items: v2, history: [{ version: 1, items: v1 }] })
    expect((await audit(id)).at(-1)!.details).toEqual({ templateVersion: 2, previousVersion: 1, changed: ['items'] })

    // Name and items at once.
    const v3 = items('燃气阀门关好')
    await edit('admin', id, { name: '燃气', items: v3 })
    const t3 = (await stored(id)).template
    expect(t3).toEqual({ id, code: 'gas', name: '燃气', version: 3, items: v3, history: [{ version: 1, items: v1 }, { version: 2, items: v2 }] })
    expect((await audit(id)).at(-1)!.details).toEqual({ templateVersion: 3, previousVersion: 2, changed: ['name', 'items'] })
    expect((await pulledTemplate(id))?.data).toEqual(t3)
  })

  it('only the admin edits or creates templates', async () => {
    const before = await stored(id)
    for (const username of ['secretary', 'grid01']) {
      expect(await edit(username, id, { name: '改' })).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN', message: '只有管理员可以修改走访清单' } })
      const other = uuidv7()
      expect(await create(username, { id: other, code: `x-${username}`, name: '新', items: v1 })).toMatchObject({
        status: 'rejected',
        error: { code: 'FORBIDDEN', message: '只有管理员可以新建走访清单' },
      })
      expect(await s.store.selectFrom('checklist_templates').select('id').where('id', '=', other).execute()).toEqual([])
    }
    expect(await stored(id)).toEqual(before)
  })

  it('an unknown or deleted template is NOT_FOUND; a bad patch is VALIDATION_FAILED in the words of the form', async () => {
    expect(await edit('admin', uuidv7(), { name: '改' })).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND', message: '找不到这份走访清单' } })
    const bad = await edit('admin', id, {})
    expect(bad).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(bad.error!.message).toMatch(/^走访清单不正确/)
    const gone = uuidv7()
    await create('admin', { id: gone, code: 'gone', name: '作废', items: v1 })
    await s.store.updateTable('checklist_templates').set({ deleted: 1 }).where('id', '=', gone).execute()
    expect(await edit('admin', gone, { name: '复活' })).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } })
    // The code of a deleted template is free again.
    const again = uuidv7()
    expect(await create('admin', { id: again, code: 'gone', name: '重新做', items: v1 })).toMatchObject({ status: 'applied' })
  })

  it('creating: the id must match, an id or a code already in use is refused', async () => {
    const fresh = uuidv7()
    expect(await create('admin', { id: fresh, code: 'fresh', name: '新', items: v1 }, uuidv7())).toMatchObject({
      status: 'rejected',
      error: { code: 'VALIDATION_FAILED', message: '清单编号与提交编号不一致' },
    })
    expect(await create('admin', { id, code: 'another', name: '新', items: v1 })).toMatchObject({ status: 'rejected', error: { code: 'ID_TAKEN', message: '这份清单的编号已被占用' } })
    const routine = s.community.templates.find((t) => t.code === 'routine')!
    expect(await create('admin', { id: fresh, code: ' routine ', name: '新', items: v1 })).toMatchObject({
      status: 'rejected',
      error: { code: 'VALIDATION_FAILED', message: '已有代码为「routine」的清单' },
    })
    expect(await create('admin', { id: fresh, code: 'fresh', name: '新', items: [] })).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(await s.store.selectFrom('checklist_templates').select('id').where('id', '=', fresh).execute()).toEqual([])
    expect((await stored(routine.id)).template.code).toBe('routine')
  })

  it('a template keeps at most 200 past versions: the edit after that is refused and nothing changes', async () => {
    const tid = uuidv7()
    await create('admin', { id: tid, code: 'many', name: '常改', items: items('第0版') })
    const results = await push(
      'admin',
      Array.from({ length: 200 }, (_, i) => mutation('patch', tid, { items: items(`第${i + 1}版`) })),
    )
    expect(results.every((r) => r.status === 'applied')).toBe(true)
    const before = await stored(tid)
    expect(before.template.version).toBe(201)
    expect(before.template.history).toHaveLength(200)
    const refused = await edit('admin', tid, { items: items('第201版') })
    expect(refused).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(refused.error!.message).toMatch(/^走访清单不正确/)
    expect(await stored(tid)).toEqual(before)
  })
})
