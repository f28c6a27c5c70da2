import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION, SETTINGS_ID, uuidv7 } from '../../src/domain'
import { startTestServer, type TestServer } from '../support/server'

// A fault the server did not expect (a table gone, a record it cannot read, a database that is
// closed) is the server's own business: the device gets 500 and the one plain sentence, and retries.
// What went wrong — SQL, table names, stack frames, file paths — stays in the server's log.

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(40)
  for (const u of ['grid01', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

const INTERNAL = { error: { code: 'INTERNAL', message: '服务器出错了，请稍后再试' } }
const LEAKS = ['no such table', 'SqliteError', 'SQLITE', 'select', 'insert', 'ZodError', 'Error:', 'stack', '    at ', '/work/', 'node_modules', 'src/server', '.ts:', 'zoufang-test-']

function expectInternal(res: { statusCode: number; body: string; headers: Record<string, unknown> }, hidden: string[] = []) {
  expect(res.statusCode, res.body).toBe(500)
  expect(String(res.headers['content-type'])).toContain('application/json')
  expect(JSON.parse(res.body)).toEqual(INTERNAL)
  for (const word of [...LEAKS, ...hidden]) expect(res.body.toLowerCase(), word).not.toContain(word.toLowerCase())
}

const request = (username: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  s.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[username]}` }, ...(payload ? { payload } : {}) })

/** Runs `act` with a table out of the way (renamed), then puts it back. */
async function withoutTable<T>(table: string, act: () => Promise<T>): Promise<T> {
  await sql`alter table ${sql.table(table)} rename to ${sql.table(`${table}_away`)}`.execute(s.store)
  try {
    return await act()
  } finally {
    await sql`alter table ${sql.table(`${table}_away`)} rename to ${sql.table(table)}`.execute(s.store)
  }
}

const PERIOD = 'from=2026-10-01&to=2026-10-31'

describe('an unexpected fault is a 500 with the one plain sentence', () => {
  it.each([
    ['the dashboard', 'secretary', 'GET', `/api/stats/dashboard?${PERIOD}`, 'cases'],
    ['an export', 'secretary', 'GET', `/api/exports/visits.csv?${PERIOD}`, 'exports_log'],
    ['the register export', 'admin', 'GET', '/api/exports/register.csv', 'residents'],
    ['the audit log', 'admin', 'GET', '/api/admin/audit', 'audit_log'],
    ['the users list', 'admin', 'GET', '/api/admin/users', 'grid_assignments'],
    ['a pull', 'grid01', 'GET', '/api/sync/pull', 'visits'],
    ['the grid moves', 'secretary', 'GET', `/api/stats/grid-moves?${PERIOD}`, 'audit_log'],
  ] as const)('%s with a table gone', async (_what, username, method, url, table) => {
    const ok = await request(username, method, url)
    expect(ok.statusCode, ok.body).toBe(200)
    const res = await withoutTable(table, () => request(username, method, url))
    expectInternal(res, [table])
    // Put back, the same request works again: the 500 was the fault, not the request.
    expect((await request(username, method, url)).statusCode).toBe(200)
  })

  it('a push whose write fails unexpectedly is a 500 for the whole batch (the device resends it), nothing applied', async () => {
    const visit = s.community.visits[0]!
    const comment = { mutationId: uuidv7(), entity: 'comment', id: uuidv7(), op: 'create', at: new Date().toISOString() }
    const payload = (c: typeof comment) => ({
      deviceId: uuidv7(),
      protocolVersion: PROTOCOL_VERSION,
      mutations: [{ ...c, data: { id: c.id, visitId: visit.id, text: '这次走访记录写得很清楚', at: new Date().toISOString() } }],
    })
    const res = await withoutTable('comments', () => request('secretary', 'POST', '/api/sync/push', payload(comment)))
    expectInternal(res, ['comments'])
    const after = await request('secretary', 'POST', '/api/sync/push', payload(comment))
    expect(after.statusCode, after.body).toBe(200)
    expect(after.json().results[0]).toMatchObject({ status: 'applied' })
  })

  it('a stored record the server cannot read (settings that fail their schema) is a 500, not its validation message', async () => {
    const before = await s.store.selectFrom('settings').select('data').where('id', '=', SETTINGS_ID).executeTakeFirst()
    const broken = JSON.stringify({ id: SETTINGS_ID, visitRules: 'kaputt-rules-text' })
    if (before) await s.store.updateTable('settings').set({ data: broken }).where('id', '=', SETTINGS_ID).execute()
    else await s.store.insertInto('settings').values({ id: SETTINGS_ID, version: 0, deleted: 0, grid_id: null, household_id: null, data: broken }).execute()
    try {
      const res = await request('secretary', 'GET', `/api/stats/coverage?${PERIOD}`)
      expectInternal(res, ['kaputt', 'visitRules', 'invalid', 'expected'])
    } finally {
      if (before) await s.store.updateTable('settings').set({ data: before.data }).where('id', '=', SETTINGS_ID).execute()
      else await s.store.deleteFrom('settings').where('id', '=', SETTINGS_ID).execute()
    }
    expect((await request('secretary', 'GET', `/api/stats/coverage?${PERIOD}`)).statusCode).toBe(200)
  })

  it('a database that has been closed under the app: 500 for a logged-in request, the same sentence', async () => {
    // Last: the store stays closed (afterAll closes it once more, which is harmless).
    await s.store.destroy()
    for (const [username, url] of [
      ['grid01', '/api/me'],
      ['secretary', `/api/stats/households?${PERIOD}`],
    ] as const)
      expectInternal(await request(username, 'GET', url), ['destroyed', 'driver'])
  })
})
