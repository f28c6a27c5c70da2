import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorBody, Health } from '../../src/domain'
import { startTestServer, type TestServer } from '../support/server'

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s.close())

describe('login', () => {
  it('gives a token and the worker with their grid cell for the right password', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'grid01', password: 'zoufang' } })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.token).toMatch(/^main\.[A-Za-z0-9_-]{40,}$/)
    expect(body.user).toMatchObject({ username: 'grid01', role: 'worker' })
    expect(body.user.gridIds).toEqual([s.community.users.find((u) => u.username === 'grid01')!.gridIds[0]])
    expect(body.user).not.toHaveProperty('password_hash')
  })

  it('refuses a wrong password and an unknown user alike, with the error shape', async () => {
    for (const payload of [
      { username: 'grid01', password: 'wrong' },
      { username: 'nobody', password: 'zoufang' },
    ]) {
      const res = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload })
      expect(res.statusCode).toBe(401)
      expect(ErrorBody.parse(res.json()).error.code).toBe('BAD_CREDENTIALS')
      expect(res.json().error.message).toContain('密码')
    }
  })

  it('stores only a hash of the session token', async () => {
    const token = await s.login('grid02')
    const rows = await s.store.selectFrom('sessions').select('token_hash').execute()
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.some((r) => r.token_hash === token)).toBe(false)
  })

  it('/api/me answers the logged-in user and 401 without or with a bad token', async () => {
    const token = await s.login('secretary')
    const me = await s.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } })
    expect(me.statusCode).toBe(200)
    expect(me.json()).toMatchObject({ username: 'secretary', role: 'secretary', sensitiveTags: true })
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: 'Basic abc' }]) {
      const res = await s.app.inject({ method: 'GET', url: '/api/me', headers })
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('UNAUTHORIZED')
    }
  })

  it('an expired session is refused', async () => {
    const token = await s.login('grid03')
    await s.store.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute()
    const res = await s.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } })
    expect(res.statusCode).toBe(401)
  })

  it('logout ends the session', async () => {
    const token = await s.login('grid04')
    const headers = { authorization: `Bearer ${token}` }
    expect((await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(204)
    expect((await s.app.inject({ method: 'GET', url: '/api/me', headers })).statusCode).toBe(401)
  })

  it('slows down password guessing', async () => {
    let last = 0
    for (let i = 0; i < 12; i++) {
      const res = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'grid05', password: `guess${i}` } })
      last = res.statusCode
    }
    expect(last).toBe(429)
  })
})

describe('malformed requests get 4xx with the error shape, never 500', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['login without body', { method: 'POST', url: '/api/auth/login' }],
    ['login with broken JSON', { method: 'POST', url: '/api/auth/login', payload: '{"username":', headers: { 'content-type': 'application/json' } }],
    ['login with wrong types', { method: 'POST', url: '/api/auth/login', payload: { username: 5, password: [] } }],
    ['login with empty strings', { method: 'POST', url: '/api/auth/login', payload: { username: '', password: '' } }],
    ['login as text/plain', { method: 'POST', url: '/api/auth/login', payload: 'hello', headers: { 'content-type': 'text/plain' } }],
    ['unknown api route', { method: 'GET', url: '/api/nope' }],
  ]
  for (const [name, req] of cases) {
    it(name, async () => {
      const res = await s.app.inject(req as never)
      expect(res.statusCode).toBeGreaterThanOrEqual(400)
      expect(res.statusCode).toBeLessThan(500)
      const body = ErrorBody.parse(res.json())
      expect(body.error.message.length).toBeGreaterThan(0)
    })
  }

  it('health answers ready', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/health' })
    expect(Health.parse(res.json())).toMatchObject({ ok: true, store: 'ready', protocolVersion: 1 })
  })
})
