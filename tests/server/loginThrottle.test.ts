import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { parseTrustProxy } from '../../src/server/config'
import { ADDRESS_RULE, beginLoginAttempt, delayAfter, USER_RULE } from '../../src/server/services/loginThrottle'
import { startTestServer, type TestServer } from '../support/server'

// Password guessing: a growing delay per username and per address, counted before the password
// is checked, in the database; X-Forwarded-For believed only from a configured proxy.

let s: TestServer
beforeAll(async () => {
  s = await startTestServer(200)
})
afterAll(() => s.close())

type App = TestServer['app']
const login = (app: App, username: string, password: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers })
const failedChecks = async (username: string) =>
  (await s.store.selectFrom('audit_log').select('details').where('action', '=', 'login_failed').execute()).filter(
    (r) => (JSON.parse(r.details) as { username?: string }).username === username,
  ).length
const clearThrottles = () => s.store.deleteFrom('login_throttle').execute()

describe('login throttling over HTTP', () => {
  it('X-Forwarded-For from an unconfigured client changes nothing: the username is slowed down whatever address it claims', async () => {
    await clearThrottles()
    const answers: number[] = []
    for (let i = 0; i < USER_RULE.free + 3; i++)
      answers.push((await login(s.app, 'grid01', `guess-${i}`, { 'x-forwarded-for': `203.0.113.${i}` })).statusCode)
    expect(answers.slice(0, USER_RULE.free)).toEqual(Array(USER_RULE.free).fill(401))
    expect(answers.slice(USER_RULE.free)).toEqual([429, 429, 429])
    // Only the first `free` guesses reached the password check.
    expect(await failedChecks('grid01')).toBe(USER_RULE.free)
  })

  it('a burst of parallel guesses does not slip through before the first failure is written', async () => {
    await clearThrottles()
    const before = await failedChecks('grid02')
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(s.app, 'grid02', `burst-${i}`)))
    expect(answers.filter((a) => a.statusCode === 401)).toHaveLength(USER_RULE.free)
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(40 - USER_RULE.free)
    expect((await failedChecks('grid02')) - before).toBe(USER_RULE.free)
  })

  it('the 429 says in Retry-After exactly when the next try is checked, in the one error shape', async () => {
    await clearThrottles()
    for (let i = 0; i < USER_RULE.free; i++) await login(s.app, 'grid03', `guess-${i}`)
    const res = await login(s.app, 'grid03', 'zoufang')
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBe(String(delayAfter(USER_RULE.free, USER_RULE) / 1000))
    expect(res.json()).toMatchObject({ error: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 1 } } })
    expect(res.json().error.message).toContain('1 秒')
    // Waiting as long as it said is enough: the right password is then accepted.
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers['retry-after']) + 50))
    expect((await login(s.app, 'grid03', 'zoufang')).statusCode).toBe(200)
  })

  it('a colleague behind the same office address is not locked out by someone else mistyping', async () => {
    await clearThrottles()
    for (let i = 0; i < 12; i++) await login(s.app, 'grid04', `typo-${i}`)
    expect((await login(s.app, 'grid04', 'zoufang')).statusCode).toBe(429)
    expect((await login(s.app, 'grid05', 'zoufang')).statusCode).toBe(200)
  })

  it('a right password starts the username over', async () => {
    await clearThrottles()
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < USER_RULE.free - 1; i++) expect((await login(s.app, 'grid06', `typo-${i}`)).statusCode).toBe(401)
      expect((await login(s.app, 'grid06', 'zoufang')).statusCode).toBe(200)
    }
  })

  it('spraying many usernames from one address is slowed down by the address, for a minute at most, whatever X-Forwarded-For claims', async () => {
    await clearThrottles()
    const answers: number[] = []
    for (let i = 0; i < ADDRESS_RULE.free + 2; i++)
      answers.push((await login(s.app, `nobody${i}`, 'zoufang', { 'x-forwarded-for': `192.0.2.${i}` })).statusCode)
    expect(answers.slice(0, ADDRESS_RULE.free).every((c) => c === 401)).toBe(true)
    const blocked = await login(s.app, 'grid07', 'zoufang')
    expect(blocked.statusCode).toBe(429)
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(ADDRESS_RULE.maxMs / 1000)
  })

  it('behind a configured proxy, the address it forwards is the one counted', async () => {
    await clearThrottles()
    const proxied = await buildApp({ store: s.store, trustProxy: '127.0.0.1' })
    try {
      for (let i = 0; i < ADDRESS_RULE.free; i++) await login(proxied, `sprayed${i}`, 'x', { 'x-forwarded-for': '198.51.100.7' })
      expect((await login(proxied, 'grid08', 'zoufang', { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(429)
      // Another client behind the same proxy is someone else.
      expect((await login(proxied, 'grid08', 'zoufang', { 'x-forwarded-for': '198.51.100.8' })).statusCode).toBe(200)
    } finally {
      await proxied.close()
    }
  })
})

describe('the delay grows with each failure, and is forgotten after an hour without one', () => {
  it('free tries, then 1 s, 2 s, 4 s … up to the rule’s maximum', () => {
    expect(Array.from({ length: USER_RULE.free }, (_, i) => delayAfter(i, USER_RULE))).toEqual(Array(USER_RULE.free).fill(0))
    expect([5, 6, 7, 8].map((n) => delayAfter(n, USER_RULE))).toEqual([1000, 2000, 4000, 8000])
    expect(delayAfter(40, USER_RULE)).toBe(USER_RULE.maxMs)
    expect(delayAfter(100, ADDRESS_RULE)).toBe(60_000)
  })

  it('each attempt waits exactly as long as the last failure asked, per username', async () => {
    await clearThrottles()
    let t = Date.parse('2026-12-01T08:00:00Z')
    for (let i = 0; i < USER_RULE.free; i++) await beginLoginAttempt(s.store, 'grid09', '10.0.0.1', new Date(t))
    for (const wait of [1000, 2000, 4000, 8000]) {
      await expect(beginLoginAttempt(s.store, 'grid09', '10.0.0.1', new Date(t + wait - 1))).rejects.toMatchObject({ code: 'RATE_LIMITED' })
      t += wait
      await beginLoginAttempt(s.store, 'grid09', '10.0.0.1', new Date(t))
    }
    // An hour with no failure: the username starts over.
    t += 61 * 60_000
    await beginLoginAttempt(s.store, 'grid09', '10.0.0.1', new Date(t))
    await beginLoginAttempt(s.store, 'grid09', '10.0.0.1', new Date(t))
  })
})

describe('TRUST_PROXY', () => {
  it('trusts no proxy unless told which', () => {
    expect(parseTrustProxy(undefined)).toBe(false)
    expect(parseTrustProxy('')).toBe(false)
    expect(parseTrustProxy('false')).toBe(false)
    expect(parseTrustProxy('1')).toBe(1)
    expect(parseTrustProxy('127.0.0.1')).toBe('127.0.0.1')
    expect(parseTrustProxy(' 10.0.0.0/8,127.0.0.1 ')).toBe('10.0.0.0/8,127.0.0.1')
    expect(parseTrustProxy('true')).toBe(true)
  })
})
