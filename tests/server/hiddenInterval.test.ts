import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Change, Household, PullResponse, Tag, VisitRule } from '../../src/domain'
import { DEFAULT_VISIT_RULES, intervalDays, isSensitiveTag, PROTOCOL_VERSION, SETTINGS_ID, uuidv7 } from '../../src/domain'
import { startTestServer, type TestServer } from '../support/server'

// A household with a 政法 tag, on the phone of a worker who may not see it: the tag stays on the
// server, but the visit interval it calls for travels with the copy, so the worker's list and the
// office's figures agree (issue 10 part 5) — and follow the admin's rules when they change.

let s: TestServer
let h: Household
let worker: string
const tokens: Record<string, string> = {}

beforeAll(async () => {
  s = await startTestServer(200)
  const c = s.community
  // One whose visible tags alone would give another interval: where the bug showed.
  const found = c.households.find(
    (x) =>
      x.tags.some(isSensitiveTag) &&
      intervalDays({ tags: x.tags.filter((t) => !isSensitiveTag(t)), attention: x.attention }, DEFAULT_VISIT_RULES) !== intervalDays(x, DEFAULT_VISIT_RULES) &&
      c.users.some((u) => u.role === 'worker' && !u.sensitiveTags && u.gridIds.includes(x.gridId)),
  )
  if (!found) throw new Error('the demo has no 政法 household in a plain worker’s cell')
  h = found
  worker = c.users.find((u) => u.role === 'worker' && !u.sensitiveTags && u.gridIds.includes(h.gridId))!.username
  for (const u of [worker, 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

async function pull(username: string, cursor?: string): Promise<{ changes: Change[]; cursor: string }> {
  const changes: Change[] = []
  for (let at = cursor; ; ) {
    const q = new URLSearchParams({ limit: '2000', ...(at ? { cursor: at } : {}) })
    const body = (await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${tokens[username]}` } })).json() as PullResponse
    if ('reset' in body) throw new Error('unexpected reset')
    changes.push(...body.changes)
    if (!body.hasMore) return { changes, cursor: body.cursor }
    at = body.cursor
  }
}
const copyOf = (changes: Change[]) => changes.filter((c) => c.id === h.id).at(-1)?.data as Household | undefined

describe('a 政法 household on a worker’s phone', () => {
  let cursor = ''
  it('comes without its 政法 tags but with the interval its full tags call for', async () => {
    const got = await pull(worker)
    cursor = got.cursor
    const copy = copyOf(got.changes)!
    expect(copy.tags.some((t: Tag) => isSensitiveTag(t))).toBe(false)
    const full = intervalDays({ tags: h.tags, attention: h.attention }, DEFAULT_VISIT_RULES)
    expect(copy.hiddenInterval).toBe(full)
    // Worked out from what the phone has, the interval would be another (that was the bug).
    expect(intervalDays({ tags: copy.tags, attention: copy.attention }, DEFAULT_VISIT_RULES)).not.toBe(full)
    expect(intervalDays(copy, DEFAULT_VISIT_RULES)).toBe(full)
  })

  it('the secretary, who may see the tags, gets them and no interval of the server’s', async () => {
    const copy = copyOf((await pull('secretary')).changes)!
    expect(copy.tags).toEqual(h.tags)
    expect('hiddenInterval' in copy).toBe(false)
  })

  it('when the admin changes the rules, the household is sent again with the new interval', async () => {
    const rules: VisitRule[] = [...DEFAULT_VISIT_RULES.map((r) => ({ ...r })), { tag: h.tags.find(isSensitiveTag)!, attention: 'any', days: 3 }]
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), entity: 'settings', id: SETTINGS_ID, op: 'patch', data: { visitRules: rules }, at: new Date().toISOString() }] },
    })
    expect(res.json().results[0].status).toBe('applied')
    const next = await pull(worker, cursor)
    expect(copyOf(next.changes)?.hiddenInterval).toBe(3)
    // Households without 政法 tags are not sent again for it.
    expect(next.changes.filter((c) => c.entity === 'household').every((c) => (s.community.households.find((x) => x.id === c.id)?.tags ?? []).some(isSensitiveTag))).toBe(true)
  })
})
