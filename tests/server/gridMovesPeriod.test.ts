import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GridMovesResponse, uuidv7 } from '../../src/domain'
import { setGrids } from '../../src/server/services/admin'
import { record } from '../../src/server/services/audit'
import { loadUser, type SessionUser } from '../../src/server/services/auth'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 统计 → 网格调整: which grid cells moved between workers in the period the secretary picked
// (China calendar days, both ends included), newest first, with names a person can read.

let s: TestServer
let admin: SessionUser
let token: string
beforeAll(async () => {
  s = await startTestServer(40)
  admin = (await loadUser(s.store, workerOf(s.community, 'admin').id))!
  token = await s.login('secretary')
})
afterAll(() => s.close())

const moves = async (from: string, to: string) => {
  const res = await s.app.inject({ method: 'GET', url: `/api/stats/grid-moves?from=${from}&to=${to}`, headers: { authorization: `Bearer ${token}` } })
  expect(res.statusCode, res.body).toBe(200)
  return GridMovesResponse.parse(res.json())
}
const cellName = (id: string) => s.community.gridCells.find((g) => g.id === id)!.name

describe('grid moves in a period', () => {
  it('count by China day: from 00:00 of the first day to 24:00 of the last, newest first', async () => {
    const g1 = workerOf(s.community, 'grid01')
    const g2 = workerOf(s.community, 'grid02')
    const cell = g1.gridIds[0]!
    // Each move: the cell goes to the other worker (unassigned from one, assigned to the other).
    const at = ['2026-03-09T15:59:59.999Z', '2026-03-09T16:00:00.000Z', '2026-03-12T15:59:59.999Z', '2026-03-12T16:00:00.000Z']
    let holder = g1
    for (const t of at) {
      const next = holder === g1 ? g2 : g1
      const current = (await loadUser(s.store, next.id))!.gridIds
      await setGrids(s.store, admin, next.id, [...current, cell], new Date(t))
      holder = next
    }
    // A login in the period is no move.
    await record(s.store, { userId: g1.id, action: 'login', subject: { type: 'user', id: g1.id }, at: '2026-03-11T01:00:00.000Z' })

    const res = await moves('2026-03-10', '2026-03-12')
    expect(res.from).toBe('2026-03-10')
    expect(res.to).toBe('2026-03-12')
    const move = (t: string, action: 'assign' | 'unassign', w: typeof g1) => ({ at: t, action, gridId: cell, gridName: cellName(cell), workerId: w.id, workerName: w.name, byName: admin.name })
    // Second move (03-10 00:00 China): to grid01 from grid02; third (03-12 23:59:59.999): to grid02.
    expect(res.moves).toEqual([
      move(at[2]!, 'assign', g2),
      move(at[2]!, 'unassign', g1),
      move(at[1]!, 'assign', g1),
      move(at[1]!, 'unassign', g2),
    ])
    // One day each side.
    expect((await moves('2026-03-09', '2026-03-09')).moves.map((m) => [m.at, m.action])).toEqual([[at[0], 'assign'], [at[0], 'unassign']])
    expect((await moves('2026-03-13', '2026-03-13')).moves.map((m) => [m.at, m.action])).toEqual([[at[3], 'assign'], [at[3], 'unassign']])
    expect((await moves('2026-03-11', '2026-03-11')).moves).toEqual([])
  })

  it('names what it can, and shows the raw id for a cell or worker no longer known', async () => {
    const g3 = workerOf(s.community, 'grid03')
    const day = '2026-04-01'
    const [goneCell, goneWorker, goneAdmin] = [uuidv7(), uuidv7(), uuidv7()]
    await record(s.store, { userId: goneAdmin, action: 'unassign_grid', subject: { type: 'grid', id: goneCell }, details: { workerId: goneWorker }, at: '2026-04-01T02:00:00.000Z' })
    await record(s.store, { userId: admin.id, action: 'assign_grid', subject: { type: 'grid', id: g3.gridIds[0]! }, details: { workerId: g3.id }, at: '2026-04-01T12:30:00+08:00' })
    expect((await moves(day, day)).moves).toEqual([
      { at: '2026-04-01T04:30:00.000Z', action: 'assign', gridId: g3.gridIds[0], gridName: cellName(g3.gridIds[0]!), workerId: g3.id, workerName: g3.name, byName: admin.name },
      { at: '2026-04-01T02:00:00.000Z', action: 'unassign', gridId: goneCell, gridName: goneCell, workerId: goneWorker, workerName: goneWorker, byName: null },
    ])
  })
})
