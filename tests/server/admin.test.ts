import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorBody } from '../../src/domain'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
let admin: string
const tokens: Record<string, string> = {}

beforeAll(async () => {
  s = await startTestServer()
  admin = await s.login('admin')
  tokens.worker = await s.login('grid01')
  tokens.secretary = await s.login('secretary')
})
afterAll(() => s.close())

const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, token: string, payload?: unknown) =>
  s.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) })

const someId = () => workerOf(s.community, 'grid02').id

const ROUTES = (): Array<[method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown]> => [
  ['GET', '/api/admin/users'],
  ['POST', '/api/admin/users', { username: 'x1', name: '某某', role: 'worker', password: 'longenough' }],
  ['PATCH', `/api/admin/users/${someId()}`, { name: '改名' }],
  ['POST', `/api/admin/users/${someId()}/password`, { password: 'longenough' }],
  ['PUT', `/api/admin/users/${someId()}/grids`, { gridIds: [] }],
  ['GET', '/api/admin/audit'],
  ['GET', '/api/admin/audit.csv'],
]

describe('admin routes', () => {
  it.each(['worker', 'secretary'])('refuse a %s with 403 FORBIDDEN in the one error shape, changing nothing', async (role) => {
    const before = await s.store.selectFrom('audit_log').select('id').execute()
    for (const [method, url, body] of ROUTES()) {
      const res = await call(method, url, tokens[role]!, body)
      expect(res.statusCode, `${method} ${url}`).toBe(403)
      const parsed = ErrorBody.parse(res.json())
      expect(parsed.error.code).toBe('FORBIDDEN')
    }
    expect(await s.store.selectFrom('users').select('id').where('username', '=', 'x1').execute()).toEqual([])
    expect((await s.store.selectFrom('audit_log').select('id').execute()).length).toBe(before.length)
  })

  it('creates a user who can log in, refuses a taken username', async () => {
    const res = await call('POST', '/api/admin/users', admin, { username: 'newsec', name: '新书记', role: 'secretary', password: 'secret123', sensitiveTags: true })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ username: 'newsec', name: '新书记', role: 'secretary', sensitiveTags: true, active: true, gridIds: [] })
    await s.login('newsec', 'secret123')
    const again = await call('POST', '/api/admin/users', admin, { username: 'newsec', name: '又一个', role: 'worker', password: 'secret123' })
    expect(again.statusCode).toBe(409)
    expect(ErrorBody.parse(again.json()).error.code).toBe('ID_TAKEN')
    const list = await call('GET', '/api/admin/users', admin)
    expect((list.json() as { users: Array<{ username: string }> }).users.map((u) => u.username)).toContain('newsec')
  })

  it('patches a user; deactivating ends their sessions and refuses their login with a clear message', async () => {
    const created = (await call('POST', '/api/admin/users', admin, { username: 'temp01', name: '临时', role: 'worker', password: 'password1' })).json() as { id: string }
    const token = await s.login('temp01', 'password1')
    expect((await call('GET', '/api/me', token)).statusCode).toBe(200)
    const renamed = await call('PATCH', `/api/admin/users/${created.id}`, admin, { name: '临时工' })
    expect(renamed.json()).toMatchObject({ name: '临时工', active: true })

    const off = await call('PATCH', `/api/admin/users/${created.id}`, admin, { active: false })
    expect(off.statusCode).toBe(200)
    expect(off.json()).toMatchObject({ active: false })
    const me = await call('GET', '/api/me', token)
    expect(me.statusCode).toBe(401)
    expect(ErrorBody.parse(me.json()).error.code).toBe('UNAUTHORIZED')
    const login = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'temp01', password: 'password1' } })
    expect(login.statusCode).toBe(403)
    expect(ErrorBody.parse(login.json()).error.message).toContain('停用')

    await call('PATCH', `/api/admin/users/${created.id}`, admin, { active: true })
    await s.login('temp01', 'password1')
  })

  it('resets a password: old sessions end, the new password works, the old one does not', async () => {
    const created = (await call('POST', '/api/admin/users', admin, { username: 'temp02', name: '临时二', role: 'worker', password: 'password1' })).json() as { id: string }
    const token = await s.login('temp02', 'password1')
    const res = await call('POST', `/api/admin/users/${created.id}/password`, admin, { password: 'password2' })
    expect(res.statusCode).toBe(204)
    expect((await call('GET', '/api/me', token)).statusCode).toBe(401)
    await expect(s.login('temp02', 'password1')).rejects.toThrow(/401/)
    await s.login('temp02', 'password2')
  })

  it('assigns grid cells: the cell moves from its old worker, both epochs change', async () => {
    const g1 = workerOf(s.community, 'grid01')
    const g3 = workerOf(s.community, 'grid03')
    const epochs = async () =>
      Object.fromEntries((await s.store.selectFrom('users').select(['id', 'scope_epoch']).where('id', 'in', [g1.id, g3.id]).execute()).map((r) => [r.id, r.scope_epoch]))
    const before = await epochs()
    const res = await call('PUT', `/api/admin/users/${g3.id}/grids`, admin, { gridIds: [...g3.gridIds, g1.gridIds[0]] })
    expect(res.statusCode).toBe(200)
    expect((res.json() as { gridIds: string[] }).gridIds.sort()).toEqual([...g3.gridIds, g1.gridIds[0]].sort())
    const after = await epochs()
    expect(after[g1.id]).toBe(before[g1.id]! + 1)
    expect(after[g3.id]).toBe(before[g3.id]! + 1)
    const users = (await call('GET', '/api/admin/users', admin)).json() as { users: Array<{ id: string; gridIds: string[] }> }
    expect(users.users.find((u) => u.id === g1.id)!.gridIds).toEqual([])
    // Give it back.
    await call('PUT', `/api/admin/users/${g1.id}/grids`, admin, { gridIds: g1.gridIds })
    expect(((await call('GET', '/api/admin/users', admin)).json() as { users: Array<{ id: string; gridIds: string[] }> }).users.find((u) => u.id === g3.id)!.gridIds).toEqual(g3.gridIds)
  })

  it.each<[string, 'POST' | 'PATCH' | 'PUT', string, unknown]>([
    ['short password', 'POST', '/api/admin/users', { username: 'bad1', name: '某', role: 'worker', password: 'short' }],
    ['unknown role', 'POST', '/api/admin/users', { username: 'bad2', name: '某', role: 'boss', password: 'longenough' }],
    ['missing name', 'POST', '/api/admin/users', { username: 'bad3', role: 'worker', password: 'longenough' }],
    ['not an object', 'POST', '/api/admin/users', [1, 2]],
    ['empty patch', 'PATCH', '/api/admin/users/{id}', {}],
    ['unknown field', 'PATCH', '/api/admin/users/{id}', { password: 'longenough1' }],
    ['bad id', 'PATCH', '/api/admin/users/not-a-uuid', { name: '某' }],
    ['short reset', 'POST', '/api/admin/users/{id}/password', { password: '123' }],
    ['grids not ids', 'PUT', '/api/admin/users/{id}/grids', { gridIds: ['x'] }],
    ['grids missing', 'PUT', '/api/admin/users/{id}/grids', {}],
    ['unknown grid', 'PUT', '/api/admin/users/{id}/grids', { gridIds: ['01900000-0000-7000-8000-000000000000'] }],
    ['grids for a secretary', 'PUT', '/api/admin/users/{secretary}/grids', { gridIds: [] }],
  ])('a bad body (%s) is 400 VALIDATION_FAILED, never 500', async (_name, method, url, body) => {
    const secretary = workerOf(s.community, 'secretary').id
    const res = await call(method, url.replace('{id}', someId()).replace('{secretary}', secretary), admin, body)
    expect(res.statusCode).toBe(400)
    expect(ErrorBody.parse(res.json()).error.code).toBe('VALIDATION_FAILED')
  })

  it('an unknown user is 404', async () => {
    const res = await call('PATCH', '/api/admin/users/01900000-0000-7000-8000-000000000000', admin, { name: '某' })
    expect(res.statusCode).toBe(404)
    expect(ErrorBody.parse(res.json()).error.code).toBe('NOT_FOUND')
  })
})
