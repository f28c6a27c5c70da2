import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chinaDay, StreetStaffMember, StreetStaffResponse } from '../../src/domain'
import { startStreetServer, type StreetTestServer } from '../support/server'

// The street office's own accounts (docs/communities.md): its admin (street_admin, the demo's
// `street`) makes and keeps them; its staff (`street-staff`) see and answer what the admin does
// but add no community and keep no account; a community's admin reaches none of it.

let s: StreetTestServer
const tokens: Record<string, string> = {}
const auth = (token: string) => ({ authorization: `Bearer ${token}` })
beforeAll(async () => {
  s = await startStreetServer(2, 40)
  for (const u of ['street', 'street-staff', 'admin', 'heping-admin']) tokens[u] = await s.login(u)
}, 120_000)
afterAll(() => s?.close())

type Method = 'GET' | 'POST' | 'PATCH'
const call = (method: Method, url: string, token: string, payload?: Record<string, unknown>) => s.app.inject({ method, url, headers: auth(token), ...(payload ? { payload } : {}) })
const staff = async () => StreetStaffResponse.parse((await call('GET', '/api/street/staff', tokens.street!)).json()).staff
const overview = (token: string) => call('GET', `/api/street/overview?from=${chinaDay(Date.now() - 7 * 86_400_000)}&to=${chinaDay(Date.now())}`, token)

describe('the street office’s accounts', () => {
  it('its admin adds one; the new account logs in to the street, sees its figures, and may add no community', async () => {
    expect((await staff()).map((u) => [u.username, u.role])).toEqual([
      ['street', 'street_admin'],
      ['street-staff', 'street'],
    ])
    const res = await call('POST', '/api/street/staff', tokens.street!, { username: 'street-li', name: '李干事', role: 'street', password: 'kaishi2026' })
    expect(res.statusCode, res.body).toBe(201)
    expect(StreetStaffMember.parse(res.json())).toMatchObject({ username: 'street-li', name: '李干事', role: 'street', active: true })
    // In the street office's own log, under its admin.
    const office = await s.deployment.storeOf('street')
    const admin = (await staff()).find((u) => u.username === 'street')!
    const logged = await office.selectFrom('audit_log').select(['user_id', 'action', 'subject_id']).where('action', '=', 'user_create').execute()
    expect(logged).toEqual([{ user_id: admin.id, action: 'user_create', subject_id: res.json<{ id: string }>().id }])
    const token = await s.login('street-li', 'kaishi2026')
    expect(token).toMatch(/^street\./)
    expect((await overview(token)).statusCode).toBe(200)
    const add = await call('POST', '/api/street/communities', token, { key: 'dongfeng', name: '东风里社区', admin: { username: 'dongfeng-admin', name: '刘主任', password: 'kaishi2026' } })
    expect(add.statusCode).toBe(403)
    expect((await call('GET', '/api/street/staff', token)).statusCode).toBe(403)
    // Usernames are the deployment's: a community's taken name is refused, and the new one is taken for communities too.
    expect((await call('POST', '/api/street/staff', tokens.street!, { username: 'heping-admin', name: '王', role: 'street', password: 'kaishi2026' })).json()).toMatchObject({ error: { code: 'ID_TAKEN' } })
    const taken = await call('POST', '/api/admin/users', tokens['heping-admin']!, { username: 'street-li', name: '李', role: 'worker', password: 'kaishi2026' })
    expect(taken.json()).toMatchObject({ error: { code: 'ID_TAKEN' } })
  })

  it('staff answer escalated cases and read the figures, but keep no accounts', async () => {
    expect((await overview(tokens['street-staff']!)).statusCode).toBe(200)
    expect((await call('GET', '/api/street/cases', tokens['street-staff']!)).statusCode).toBe(200)
    expect((await call('POST', '/api/street/staff', tokens['street-staff']!, { username: 'street-x', name: '某', role: 'street_admin', password: 'kaishi2026' })).statusCode).toBe(403)
  })

  it('停用 ends the account’s sessions and its logins; a new password replaces the old; its admin cannot stop itself', async () => {
    const made = StreetStaffMember.parse((await call('POST', '/api/street/staff', tokens.street!, { username: 'street-zhao', name: '赵干事', role: 'street', password: 'kaishi2026' })).json())
    const token = await s.login('street-zhao', 'kaishi2026')
    const reset = await call('POST', `/api/street/staff/${made.id}/password`, tokens.street!, { password: 'xinmima2026' })
    expect(reset.statusCode, reset.body).toBe(204)
    expect((await overview(token)).statusCode, 'the old session ended').toBe(401)
    const fresh = await s.login('street-zhao', 'xinmima2026')
    const off = await call('PATCH', `/api/street/staff/${made.id}`, tokens.street!, { active: false })
    expect(StreetStaffMember.parse(off.json()).active).toBe(false)
    expect((await overview(fresh)).statusCode).toBe(401)
    const again = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'street-zhao', password: 'xinmima2026' } })
    expect(again.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: '这个账号已停用，请联系街道管理员' } })
    // Made an admin: they may now keep accounts.
    const on = await call('PATCH', `/api/street/staff/${made.id}`, tokens.street!, { active: true, role: 'street_admin' })
    expect(StreetStaffMember.parse(on.json())).toMatchObject({ active: true, role: 'street_admin' })
    expect((await call('GET', '/api/street/staff', await s.login('street-zhao', 'xinmima2026'))).statusCode).toBe(200)
    const me = (await staff()).find((u) => u.username === 'street')!
    for (const patch of [{ active: false }, { role: 'street' }]) {
      const res = await call('PATCH', `/api/street/staff/${me.id}`, tokens.street!, patch)
      expect(res.json(), JSON.stringify(patch)).toMatchObject({ error: { code: 'VALIDATION_FAILED' } })
    }
  })

  it('a community’s account is not the street’s to change, nor a community role its to give', async () => {
    const admin = s.street[0]!.community.users.find((u) => u.username === 'admin')!
    const res = await call('PATCH', `/api/street/staff/${admin.id}`, tokens.street!, { active: false })
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
    expect((await s.app.inject({ method: 'GET', url: '/api/me', headers: auth(tokens.admin!) })).statusCode, 'A’s admin still logged in').toBe(200)
    const worker = await call('POST', '/api/street/staff', tokens.street!, { username: 'street-w', name: '某', role: 'worker', password: 'kaishi2026' })
    expect(worker.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } })
    expect((await call('GET', '/api/street/staff', tokens.admin!)).statusCode).toBe(403)
  })
})
