import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GridMovesResponse } from '../../src/domain'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// The secretary sees what moved: grid cells reassigned between workers, with who and when.
let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer()
  for (const u of ['admin', 'secretary', 'grid01']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
const moves = (u: string) => s.app.inject({ method: 'GET', url: `/api/stats/grid-moves?from=${day}&to=${day}`, headers: { authorization: `Bearer ${tokens[u]}` } })

describe('grid moves', () => {
  it('lists a reassignment for the secretary: which cell, from whom, to whom, by whom', async () => {
    expect(GridMovesResponse.parse((await moves('secretary')).json()).moves).toEqual([])
    const grid02 = workerOf(s.community, 'grid02')
    const cell01 = workerOf(s.community, 'grid01').gridIds[0]!
    const res = await s.app.inject({
      method: 'PUT',
      url: `/api/admin/users/${grid02.id}/grids`,
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: { gridIds: [...grid02.gridIds, cell01] },
    })
    expect(res.statusCode).toBe(200)
    const list = GridMovesResponse.parse((await moves('secretary')).json()).moves
    const cellName = s.community.gridCells.find((g) => g.id === cell01)!.name
    expect(list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'assign', gridId: cell01, gridName: cellName, workerName: grid02.name, byName: s.community.users.find((u) => u.username === 'admin')!.name }),
        expect.objectContaining({ action: 'unassign', gridId: cell01, workerName: workerOf(s.community, 'grid01').name }),
      ]),
    )
  })

  it('is not for workers', async () => {
    const res = await moves('grid01')
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
  })
})
