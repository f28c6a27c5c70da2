import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorBody, uuidv7 } from '../../src/domain'
import type { AdminUser } from '../../src/domain/schemas/admin'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 设置 → 用户 as the admin sees it: the list, what each change does to the account, to its
// devices (a new scope epoch makes the phone start over) and what the audit log then says.

let s: TestServer
let admin: string
beforeAll(async () => {
  s = await startTestServer(40)
  admin = await s.login('admin')
})
afterAll(() => s.close())

const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, token = admin) =>
  s.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) })
const users = async () => ((await call('GET', '/api/admin/users')).json() as { users: AdminUser[] }).users
const userById = async (id: string) => (await users()).find((u) => u.id === id)!
const epoch = async (id: string) => (await s.store.selectFrom('users').select('scope_epoch').where('id', '=', id).executeTakeFirstOrThrow()).scope_epoch
const sessions = async (id: string) => (await s.store.selectFrom('sessions').select('user_id').where('user_id', '=', id).execute()).length
const adminId = () => workerOf(s.community, 'admin').id

/** Runs `act` and returns the audit entries it added (action, subject, details). */
async function audited(act: () => Promise<unknown>) {
  const { max } = await s.store.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow()
  await act()
  const rows = await s.store.selectFrom('audit_log').selectAll().where('id', '>', Number(max ?? 0)).orderBy('id').execute()
  return rows.map((r) => ({ by: r.user_id, action: r.action, subject: `${r.subject_type}:${r.subject_id}`, details: JSON.parse(r.details) as Record<string, unknown> }))
}

async function createUser(body: Record<string, unknown>) {
  const res = await call('POST', '/api/admin/users', { password: 'password1', ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as AdminUser
}

describe('the users list', () => {
  it('every account by username, with its current grid cells in order, role, grant and state', async () => {
    const list = await users()
    expect(list.map((u) => u.username)).toEqual([...s.community.users.map((u) => u.username)].sort())
    for (const u of s.community.users) {
      const row = list.find((x) => x.id === u.id)!
      expect(row).toEqual({ id: u.id, username: u.username, name: u.name, role: u.role, gridIds: [...u.gridIds].sort(), sensitiveTags: u.sensitiveTags, active: true, createdAt: expect.any(String) })
    }
  })
})

describe('creating an account', () => {
  it('an ordinary account by default: no 政法 grant, active, no grid cells, audited without the password', async () => {
    let created!: AdminUser
    const t0 = new Date().toISOString()
    const entries = await audited(async () => (created = await createUser({ username: 'wang.w', name: '王五', role: 'worker', password: 'geheim-123' })))
    expect(created).toEqual({ id: expect.any(String), username: 'wang.w', name: '王五', role: 'worker', gridIds: [], sensitiveTags: false, active: true, createdAt: expect.any(String) })
    expect(created.createdAt >= t0).toBe(true)
    expect(await epoch(created.id)).toBe(1)
    expect(entries).toEqual([{ by: adminId(), action: 'user_create', subject: `user:${created.id}`, details: { username: 'wang.w', name: '王五', role: 'worker', sensitiveTags: false } }])
    expect(JSON.stringify(entries)).not.toContain('geheim-123')
    expect(await userById(created.id)).toEqual(created)
  })

  it('a taken username is refused by name, and nothing is written', async () => {
    const before = await users()
    const entries = await audited(async () => {
      const res = await call('POST', '/api/admin/users', { username: 'grid01', name: '重名', role: 'worker', password: 'password1' })
      expect(res.statusCode).toBe(409)
      expect(ErrorBody.parse(res.json()).error).toEqual({ code: 'ID_TAKEN', message: '用户名“grid01”已被使用' })
    })
    expect(entries).toEqual([])
    expect(await users()).toEqual(before)
  })
})

describe('changing an account', () => {
  it('a rename changes the name only: no new epoch, the sessions stay, audited as from → to', async () => {
    const u = await createUser({ username: 'rename.me', name: '旧名', role: 'worker' })
    const token = await s.login('rename.me', 'password1')
    const entries = await audited(async () => {
      const res = await call('PATCH', `/api/admin/users/${u.id}`, { name: '新名' })
      expect(res.json()).toEqual({ ...u, name: '新名' })
    })
    expect(entries).toEqual([{ by: adminId(), action: 'user_update', subject: `user:${u.id}`, details: { username: 'rename.me', changed: { name: { from: '旧名', to: '新名' } } } }])
    expect(await epoch(u.id)).toBe(1)
    expect((await call('GET', '/api/me', undefined, token)).statusCode).toBe(200)
  })

  it('renaming a worker keeps their grid cells and their devices as they are', async () => {
    const g10 = workerOf(s.community, 'grid10')
    const e = await epoch(g10.id)
    const entries = await audited(async () => expect((await call('PATCH', `/api/admin/users/${g10.id}`, { name: '网格员十' })).json()).toMatchObject({ name: '网格员十', gridIds: g10.gridIds }))
    expect(entries.map((x) => x.action)).toEqual(['user_update'])
    expect(await epoch(g10.id)).toBe(e)
    expect((await userById(g10.id)).gridIds).toEqual(g10.gridIds)
  })

  it('a patch that changes nothing writes nothing', async () => {
    const u = await createUser({ username: 'same.same', name: '不变', role: 'worker' })
    const entries = await audited(async () => {
      const res = await call('PATCH', `/api/admin/users/${u.id}`, { name: '不变', role: 'worker', sensitiveTags: false, active: true })
      expect(res.json()).toEqual(u)
    })
    expect(entries).toEqual([])
  })

  it('granting the 政法 tags moves the epoch (what pull sends changes), the sessions stay', async () => {
    const u = await createUser({ username: 'grant.me', name: '授权', role: 'secretary' })
    const token = await s.login('grant.me', 'password1')
    const res = await call('PATCH', `/api/admin/users/${u.id}`, { sensitiveTags: true })
    expect(res.json()).toMatchObject({ sensitiveTags: true, role: 'secretary' })
    expect(await epoch(u.id)).toBe(2)
    expect((await call('GET', '/api/me', undefined, token)).statusCode).toBe(200)
    // A rename leaves the grant, the role and the state alone.
    expect((await call('PATCH', `/api/admin/users/${u.id}`, { name: '授权甲' })).json()).toMatchObject({ name: '授权甲', sensitiveTags: true, role: 'secretary', active: true })
    expect(await userById(u.id)).toMatchObject({ name: '授权甲', sensitiveTags: true, role: 'secretary', active: true })
    expect(await epoch(u.id)).toBe(2)
    const back = await audited(() => call('PATCH', `/api/admin/users/${u.id}`, { sensitiveTags: false }))
    expect(back[0]!.details).toEqual({ username: 'grant.me', changed: { sensitiveTags: { from: true, to: false } } })
    expect(await epoch(u.id)).toBe(3)
  })

  it('a worker made secretary leaves their grid cells (each unassignment audited) and starts over', async () => {
    const g5 = workerOf(s.community, 'grid05')
    const before = await epoch(g5.id)
    const entries = await audited(async () => {
      const res = await call('PATCH', `/api/admin/users/${g5.id}`, { role: 'secretary' })
      expect(res.json()).toMatchObject({ role: 'secretary', gridIds: [] })
    })
    expect(entries).toEqual([
      ...g5.gridIds.map((g) => ({ by: adminId(), action: 'unassign_grid', subject: `grid:${g}`, details: { workerId: g5.id } })),
      { by: adminId(), action: 'user_update', subject: `user:${g5.id}`, details: { username: 'grid05', changed: { role: { from: 'worker', to: 'secretary' } } } },
    ])
    // Once for the role, once for the cells it lost.
    expect(await epoch(g5.id)).toBe(before + 2)
    const open = await s.store.selectFrom('grid_assignments').select('grid_id').where('user_id', '=', g5.id).where('unassigned_at', 'is', null).execute()
    expect(open).toEqual([])
  })

  it('a secretary made worker keeps nothing to close; made admin, the same', async () => {
    const u = await createUser({ username: 'to.worker', name: '转岗', role: 'secretary' })
    const entries = await audited(() => call('PATCH', `/api/admin/users/${u.id}`, { role: 'worker' }))
    expect(entries.map((e) => e.action)).toEqual(['user_update'])
    expect(await epoch(u.id)).toBe(2)
  })

  it('deactivating ends the sessions at once; reactivating lets them log in again', async () => {
    const u = await createUser({ username: 'leave.soon', name: '离职', role: 'worker' })
    await s.login('leave.soon', 'password1')
    await s.login('leave.soon', 'password1')
    expect(await sessions(u.id)).toBe(2)
    const entries = await audited(async () => expect((await call('PATCH', `/api/admin/users/${u.id}`, { active: false })).json()).toMatchObject({ active: false }))
    expect(entries.map((e) => e.details)).toEqual([{ username: 'leave.soon', changed: { active: { from: true, to: false } } }])
    expect(await sessions(u.id)).toBe(0)
    expect(await epoch(u.id)).toBe(1)
    await call('PATCH', `/api/admin/users/${u.id}`, { active: true })
    await s.login('leave.soon', 'password1')
  })

  it('the admin cannot lock themselves out, but may rename themselves', async () => {
    for (const patch of [{ active: false }, { role: 'secretary' }, { role: 'worker', name: '我' }]) {
      const res = await call('PATCH', `/api/admin/users/${adminId()}`, patch)
      expect([res.statusCode, ErrorBody.parse(res.json()).error.message]).toEqual([400, '不能停用自己的账号，也不能取消自己的管理员角色'])
    }
    const me = await call('PATCH', `/api/admin/users/${adminId()}`, { role: 'admin', name: '管理员甲' })
    expect(me.json()).toMatchObject({ role: 'admin', name: '管理员甲', active: true })
    const renamed = await call('PATCH', `/api/admin/users/${adminId()}`, { name: '管理员' })
    expect([renamed.statusCode, renamed.json()]).toMatchObject([200, { role: 'admin', name: '管理员', active: true }])
    // Another admin may be deactivated.
    const other = await createUser({ username: 'admin2', name: '管理员乙', role: 'admin' })
    expect((await call('PATCH', `/api/admin/users/${other.id}`, { active: false })).json()).toMatchObject({ active: false })
  })

  it('an unknown account is 404 for every change', async () => {
    const id = uuidv7()
    for (const [method, url, body] of [
      ['PATCH', `/api/admin/users/${id}`, { name: '某' }],
      ['POST', `/api/admin/users/${id}/password`, { password: 'password9' }],
      ['PUT', `/api/admin/users/${id}/grids`, { gridIds: [] }],
    ] as const) {
      const res = await call(method, url, body)
      expect([url, res.statusCode, ErrorBody.parse(res.json()).error]).toEqual([url, 404, { code: 'NOT_FOUND', message: '没有这个用户' }])
    }
  })
})

describe('resetting a password', () => {
  it('ends the sessions, is audited by username, and never records the password', async () => {
    const u = await createUser({ username: 'forgot.it', name: '忘了', role: 'worker' })
    await s.login('forgot.it', 'password1')
    const entries = await audited(async () => expect((await call('POST', `/api/admin/users/${u.id}/password`, { password: 'brand-new-9' })).statusCode).toBe(204))
    expect(entries).toEqual([{ by: adminId(), action: 'password_reset', subject: `user:${u.id}`, details: { username: 'forgot.it' } }])
    expect(JSON.stringify(entries)).not.toContain('brand-new-9')
    expect(await sessions(u.id)).toBe(0)
    await s.login('forgot.it', 'brand-new-9')
  })
})

describe('assigning grid cells', () => {
  it('a free cell: assigned, audited with no previous holder, the worker starts over', async () => {
    const u = await createUser({ username: 'new.worker', name: '新网格员', role: 'worker' })
    // grid05 became a secretary above: their cells are free.
    const free = workerOf(s.community, 'grid05').gridIds[0]!
    const entries = await audited(async () => expect((await call('PUT', `/api/admin/users/${u.id}/grids`, { gridIds: [free] })).json()).toMatchObject({ gridIds: [free] }))
    expect(entries).toEqual([{ by: adminId(), action: 'assign_grid', subject: `grid:${free}`, details: { workerId: u.id, from: [] } }])
    expect(await epoch(u.id)).toBe(2)
  })

  it('a cell held by another worker moves: closed for them (their epoch moves), the previous holder named', async () => {
    const g6 = workerOf(s.community, 'grid06')
    const g7 = workerOf(s.community, 'grid07')
    const [e6, e7] = [await epoch(g6.id), await epoch(g7.id)]
    const cell = g6.gridIds[0]!
    const entries = await audited(() => call('PUT', `/api/admin/users/${g7.id}/grids`, { gridIds: [...g7.gridIds, cell] }))
    expect(entries).toEqual([
      { by: adminId(), action: 'unassign_grid', subject: `grid:${cell}`, details: { workerId: g6.id } },
      { by: adminId(), action: 'assign_grid', subject: `grid:${cell}`, details: { workerId: g7.id, from: [g6.id] } },
    ])
    expect([await epoch(g6.id), await epoch(g7.id)]).toEqual([e6 + 1, e7 + 1])
    expect((await userById(g6.id)).gridIds).toEqual(g6.gridIds.filter((g) => g !== cell))
    expect((await userById(g7.id)).gridIds).toEqual([...g7.gridIds, cell].sort())
  })

  it('the same cells again change nothing; dropping one closes it only', async () => {
    const g8 = workerOf(s.community, 'grid08')
    const e = await epoch(g8.id)
    expect(await audited(() => call('PUT', `/api/admin/users/${g8.id}/grids`, { gridIds: g8.gridIds }))).toEqual([])
    expect(await epoch(g8.id)).toBe(e)
    const entries = await audited(async () => expect((await call('PUT', `/api/admin/users/${g8.id}/grids`, { gridIds: [] })).json()).toMatchObject({ gridIds: [] }))
    expect(entries).toEqual(g8.gridIds.map((g) => ({ by: adminId(), action: 'unassign_grid', subject: `grid:${g}`, details: { workerId: g8.id } })))
    expect(await epoch(g8.id)).toBe(e + 1)
    // The history stays: the closed assignment keeps its dates.
    const rows = await s.store.selectFrom('grid_assignments').selectAll().where('user_id', '=', g8.id).execute()
    expect(rows.length).toBe(g8.gridIds.length)
    expect(rows.every((r) => r.unassigned_at !== null)).toBe(true)
  })

  it('refuses cells that do not exist (naming them) and accounts that are not workers', async () => {
    const g9 = workerOf(s.community, 'grid09')
    const [missing1, missing2] = [uuidv7(), uuidv7()]
    const res = await call('PUT', `/api/admin/users/${g9.id}/grids`, { gridIds: [g9.gridIds[0], missing1, missing2] })
    expect(res.statusCode).toBe(400)
    expect(ErrorBody.parse(res.json()).error).toEqual({ code: 'VALIDATION_FAILED', message: `没有这个网格：${missing1}、${missing2}`, details: { gridIds: [missing1, missing2] } })
    const sec = await call('PUT', `/api/admin/users/${workerOf(s.community, 'secretary').id}/grids`, { gridIds: [g9.gridIds[0]] })
    expect(ErrorBody.parse(sec.json()).error).toEqual({ code: 'VALIDATION_FAILED', message: '只有网格员可以分配网格' })
    expect((await userById(g9.id)).gridIds).toEqual(g9.gridIds)
  })
})

describe('revealing an ID number', () => {
  it('audits which resident, household and grid cell; a resident no longer on the register is 404, nothing logged', async () => {
    const withId = s.community.residents.filter((r) => r.idNumber)
    const [shown, gone] = [withId[0]!, withId[1]!]
    const entries = await audited(async () => {
      const res = await call('GET', `/api/residents/${shown.id}/id-number`)
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.json()).toEqual({ idNumber: shown.idNumber })
    })
    expect(entries).toEqual([{ by: adminId(), action: 'reveal_id_number', subject: `resident:${shown.id}`, details: { householdId: shown.householdId, gridId: shown.gridId } }])
    await s.store.updateTable('residents').set({ deleted: 1 }).where('id', '=', gone.id).execute()
    const none = await audited(async () => {
      const res = await call('GET', `/api/residents/${gone.id}/id-number`)
      expect([res.statusCode, res.json().error]).toEqual([404, { code: 'NOT_FOUND', message: '没有这位居民' }])
      expect(res.body).not.toContain(gone.idNumber!)
    })
    expect(none).toEqual([])
  })
})
