import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CASE_DEADLINES, ErrorBody, PROTOCOL_VERSION, SETTINGS_ID, uuidv7 } from '../../src/domain'
import { householdOf } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
let admin: string

beforeAll(async () => {
  s = await startTestServer()
  admin = await s.login('admin')
})
afterAll(() => s.close())

const get = (url: string, token: string) => s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })

/** Runs `act` and returns the audit rows it added. */
async function added(act: () => Promise<unknown>) {
  const { max } = await s.store.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow()
  const t0 = new Date().toISOString()
  await act()
  const rows = await s.store.selectFrom('audit_log').selectAll().where('id', '>', Number(max ?? 0)).orderBy('id').execute()
  for (const r of rows) {
    expect(r.at >= t0 && r.at <= new Date().toISOString(), 'when').toBe(true)
  }
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }))
}

const residentOf = (username: string) => s.community.residents.find((r) => r.householdId === householdOf(s.community, username).id)!

describe('audit log', () => {
  it('a successful login leaves one entry: who, what, when', async () => {
    const grid01 = workerOf(s.community, 'grid01')
    const rows = await added(() => s.login('grid01'))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ user_id: grid01.id, action: 'login', subject_type: 'user', subject_id: grid01.id })
  })

  it('a failed login leaves one entry, never the password', async () => {
    const grid01 = workerOf(s.community, 'grid01')
    const rows = await added(() => s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'grid01', password: 'wrong-pass-xyz' } }))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ user_id: grid01.id, action: 'login_failed', details: { username: 'grid01' } })
    expect(JSON.stringify(rows[0])).not.toContain('wrong-pass-xyz')
    const unknown = await added(() => s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'whatever1' } }))
    expect(unknown).toHaveLength(1)
    expect(unknown[0]).toMatchObject({ user_id: null, action: 'login_failed', details: { username: 'nobody' } })
  })

  it('reveals the full ID number to allowed roles only, each reveal one entry', async () => {
    const resident = residentOf('grid01')
    const url = `/api/residents/${resident.id}/id-number`
    for (const username of ['secretary', 'admin', 'grid01']) {
      const token = await s.login(username)
      const rows = await added(async () => {
        const res = await get(url, token)
        expect(res.statusCode, username).toBe(200)
        expect(res.json()).toEqual({ idNumber: resident.idNumber })
      })
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ user_id: workerOf(s.community, username).id, action: 'reveal_id_number', subject_type: 'resident', subject_id: resident.id })
      expect(JSON.stringify(rows[0])).not.toContain(resident.idNumber!)
    }
    // A worker of another grid cell: refused, nothing revealed, nothing logged as a reveal.
    const other = await s.login('grid02')
    const rows = await added(async () => {
      const res = await get(url, other)
      expect(res.statusCode).toBe(403)
      expect(ErrorBody.parse(res.json()).error.code).toBe('OUT_OF_SCOPE')
      expect(res.body).not.toContain(resident.idNumber!)
    })
    expect(rows).toEqual([])
    const missing = await get(`/api/residents/${uuidv7()}/id-number`, admin)
    expect(missing.statusCode).toBe(404)
    expect(ErrorBody.parse(missing.json()).error.code).toBe('NOT_FOUND')
  })

  it('an export leaves one entry next to its exports_log row', async () => {
    const secretary = await s.login('secretary')
    const rows = await added(async () => {
      const res = await get('/api/exports/visits.csv?from=2026-01-01&to=2026-12-31', secretary)
      expect(res.statusCode).toBe(200)
    })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ user_id: workerOf(s.community, 'secretary').id, action: 'export', details: { kind: 'visits', format: 'csv' } })
  })

  it('a settings change leaves one entry', async () => {
    const rows = await added(async () => {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: { authorization: `Bearer ${admin}` },
        payload: {
          deviceId: uuidv7(),
          protocolVersion: PROTOCOL_VERSION,
          mutations: [
            { mutationId: uuidv7(), entity: 'settings', id: SETTINGS_ID, op: 'patch', data: { caseDeadlines: { ...DEFAULT_CASE_DEADLINES, redHours: 3 } }, at: new Date().toISOString() },
          ],
        },
      })
      expect((res.json() as { results: Array<{ status: string }> }).results[0]!.status).toBe('applied')
    })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ user_id: workerOf(s.community, 'admin').id, action: 'settings_change', subject_id: SETTINGS_ID })
  })

  it('a reassignment leaves one entry per change', async () => {
    const g1 = workerOf(s.community, 'grid01')
    const g2 = workerOf(s.community, 'grid02')
    const cell = g1.gridIds[0]!
    const rows = await added(() =>
      s.app.inject({ method: 'PUT', url: `/api/admin/users/${g2.id}/grids`, headers: { authorization: `Bearer ${admin}` }, payload: { gridIds: [...g2.gridIds, cell] } }),
    )
    expect(rows.map((r) => [r.action, r.subject_id, r.details.workerId])).toEqual([
      ['unassign_grid', cell, g1.id],
      ['assign_grid', cell, g2.id],
    ])
    expect(rows.every((r) => r.user_id === workerOf(s.community, 'admin').id)).toBe(true)
  })

  it('lists entries newest first with filters, and as a CSV with a BOM that is itself an export', async () => {
    const res = await get('/api/admin/audit?action=login&limit=5', admin)
    expect(res.statusCode).toBe(200)
    const page = res.json() as { entries: Array<{ id: number; at: string; action: string }>; total: number }
    expect(page.entries.length).toBeGreaterThan(0)
    expect(page.entries.every((e) => e.action === 'login')).toBe(true)
    const ats = page.entries.map((e) => e.at)
    expect([...ats].sort().reverse()).toEqual(ats)
    const bad = await get('/api/admin/audit?action=nope', admin)
    expect(bad.statusCode).toBe(400)

    const rows = await added(async () => {
      const csv = await get('/api/admin/audit.csv?action=reveal_id_number', admin)
      expect(csv.statusCode).toBe(200)
      expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
      expect(csv.body).toContain('reveal_id_number')
    })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ action: 'export', details: { kind: 'audit', format: 'csv' } })
  })
})
