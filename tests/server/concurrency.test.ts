import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Household, type MutationResult, PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// Pushes that arrive at the same moment (two phones, or one phone retrying before its first
// request was answered): on SQLite the transactions run one at a time; on PostgreSQL they run
// side by side, and must still give the answers one at a time would.

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(200)
  for (const u of ['grid01', 'secretary']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

async function push(u: string, mutations: unknown[], device: string) {
  return s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens[u]}` },
    payload: { deviceId: device, protocolVersion: PROTOCOL_VERSION, mutations },
  })
}
const versionOf = async (id: string) => Number((await s.store.selectFrom('households').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version)

describe('concurrent pushes', () => {
  it('the same mutation sent 8 times at once is applied once, the others answered duplicate', async () => {
    // Ten rounds: the answer depends on how the eight interleave, and one round rarely hits the
    // narrow window (a push that read the ledger before another committed, then saw its visit).
    for (let round = 0; round < 10; round++) {
      const device = uuidv7()
      const v = makeVisit(s.community, householdOf(s.community, 'grid01'), workerOf(s.community, 'grid01').id)
      const m = visitMutation(v)
      const answers = await Promise.all(Array.from({ length: 8 }, () => push('grid01', [m], device)))
      expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200))
      const results = answers.map((a) => (a.json() as { results: MutationResult[] }).results[0]!)
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.find((r) => r.status === 'rejected'))).toEqual(['applied', ...Array(7).fill('duplicate')])
    }
  })

  it('two people changing one field from the same version at once: one applied, one conflict', async () => {
    const h: Household = householdOf(s.community, 'grid01', 3)
    const base = await versionOf(h.id)
    const patch = (phone: string) => ({ mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', baseVersion: base, data: { phone }, at: new Date().toISOString() })
    const [a, b] = await Promise.all([push('grid01', [patch('13011112222')], uuidv7()), push('secretary', [patch('13033334444')], uuidv7())])
    const statuses = [a, b].map((r) => (r.json() as { results: MutationResult[] }).results[0]!.status).sort()
    expect(statuses).toEqual(['applied', 'conflict'])
  })
})
