import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMaintenance } from '../../src/server/services/maintenance'
import { FORGET_AFTER_MS } from '../../src/server/services/loginThrottle'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// The hourly housekeeping: what it forgets and what it must keep (photos: photoScope.test.ts).

let s: TestServer
beforeAll(async () => {
  s = await startTestServer(40)
})
afterAll(() => s.close())

const NOW = new Date('2026-12-01T04:00:00.000Z')
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString()

describe('runMaintenance', () => {
  it('forgets login failures an hour quiet, keeps the recent ones (their delay still holds)', async () => {
    await s.store.deleteFrom('login_throttle').execute()
    await s.store
      .insertInto('login_throttle')
      .values([
        { key: 'user:old', failures: 9, last_failure_at: ago(FORGET_AFTER_MS + 60_000), next_allowed_at: ago(FORGET_AFTER_MS) },
        { key: 'user:recent', failures: 9, last_failure_at: ago(10 * 60_000), next_allowed_at: ago(-5 * 60_000) },
        { key: 'ip:edge', failures: 2, last_failure_at: ago(FORGET_AFTER_MS - 60_000), next_allowed_at: ago(FORGET_AFTER_MS - 60_000) },
      ])
      .execute()
    const report = await runMaintenance(s.deployment, s.attachmentsDir, NOW)
    expect(report.throttles).toBe(1)
    const left = (await s.store.selectFrom('login_throttle').select('key').orderBy('key').execute()).map((r) => r.key)
    expect(left).toEqual(['ip:edge', 'user:recent'])
  })

  it('removes expired sessions and keeps the live ones', async () => {
    const user = workerOf(s.community, 'grid01').id
    await s.store.deleteFrom('sessions').execute()
    await s.store
      .insertInto('sessions')
      .values([
        { token_hash: 'expired', user_id: user, created_at: ago(40 * 86_400_000), expires_at: ago(60_000) },
        { token_hash: 'live', user_id: user, created_at: ago(60_000), expires_at: ago(-30 * 86_400_000) },
      ])
      .execute()
    const report = await runMaintenance(s.deployment, s.attachmentsDir, NOW)
    expect(report).toMatchObject({ sessions: 1 })
    expect((await s.store.selectFrom('sessions').select('token_hash').execute()).map((r) => r.token_hash)).toEqual(['live'])
  })
})
