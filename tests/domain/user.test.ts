import { describe, expect, it } from 'vitest'
import { CellLeft, LoginRequest, LoginResponse, PullResponse, User } from '../../src/domain'
import { messagesOf } from './messagesOf'
import { validUser } from '../support/fixtures'

describe('User', () => {
  it('accepts a worker and a community-wide secretary with no grid cells', () => {
    expect(User.safeParse(validUser()).success).toBe(true)
    expect(User.safeParse(validUser({ role: 'secretary', gridIds: [] })).success).toBe(true)
  })

  it('rejects an unknown role and a grid id that is not a UUID', () => {
    expect(User.safeParse({ ...validUser(), role: 'boss' }).success).toBe(false)
    expect(messagesOf(User.safeParse(validUser({ gridIds: ['G01'] })))).toEqual(['编号格式不对 (expected a UUID)'])
  })
})

describe('LoginRequest', () => {
  it('accepts a login and trims the username but not the password', () => {
    expect(LoginRequest.parse({ username: ' grid01 ', password: ' zoufang ' })).toEqual({ username: 'grid01', password: ' zoufang ' })
  })

  it('asks for a username and a password', () => {
    expect(messagesOf(LoginRequest.safeParse({ username: '  ', password: 'x' }))).toEqual(['请输入用户名'])
    expect(messagesOf(LoginRequest.safeParse({ username: 'grid01', password: '' }))).toEqual(['请输入密码'])
  })
})

describe('User and LoginRequest at their bounds', () => {
  it('a username of 1 to 40 characters and a name of 1 to 30', () => {
    expect(User.safeParse(validUser({ username: 'u'.repeat(40), name: '名'.repeat(30) })).success).toBe(true)
    for (const over of [{ username: '' }, { username: 'u'.repeat(41) }, { name: '' }, { name: '名'.repeat(31) }]) expect(User.safeParse(validUser(over)).success, JSON.stringify(over)).toBe(false)
    for (const role of ['worker', 'secretary', 'admin'] as const) expect(User.safeParse(validUser({ role })).success, role).toBe(true)
  })

  it('a login answers a token, when it expires, and the user', () => {
    const answer = { token: 't0k3n', expiresAt: '2026-11-28T00:00:00.000Z', user: validUser() }
    expect(LoginResponse.parse(answer)).toEqual(answer)
    expect(LoginResponse.safeParse({ ...answer, token: undefined }).success).toBe(false)
    expect(LoginResponse.safeParse({ ...answer, user: { ...validUser(), role: 'boss' } }).success).toBe(false)
  })

  it('a login of up to 40 and 200 characters', () => {
    expect(LoginRequest.safeParse({ username: 'u'.repeat(40), password: 'p'.repeat(200) }).success).toBe(true)
    expect(LoginRequest.safeParse({ username: 'u'.repeat(41), password: 'x' }).success).toBe(false)
    expect(LoginRequest.safeParse({ username: 'grid01', password: 'p'.repeat(201) }).success).toBe(false)
  })
})

describe('CellLeft, in a pull answer', () => {
  const left = { gridId: '0190a000-0000-7000-8000-000000000001', gridName: '幸福里第一网格', at: '2026-12-01T02:20:00.000Z', toName: '王芳' }
  const page = { changes: [], cursor: '1.2.10', hasMore: false }

  it('names the cell, when, and who holds it now — or nobody', () => {
    expect(CellLeft.parse(left)).toEqual(left)
    expect(CellLeft.parse({ ...left, toName: null }).toName).toBeNull()
  })

  it('refuses one without a time or a holder field, and is optional in the answer (older servers send none)', () => {
    const { at: _at, ...noTime } = left
    const { toName: _to, ...noHolder } = left
    expect(CellLeft.safeParse(noTime).success).toBe(false)
    expect(CellLeft.safeParse(noHolder).success).toBe(false)
    expect(PullResponse.parse(page)).toEqual(page)
    expect(PullResponse.parse({ ...page, cellsLeft: [left] })).toEqual({ ...page, cellsLeft: [left] })
    expect(PullResponse.safeParse({ ...page, cellsLeft: [{ ...left, at: 'yesterday' }] }).success).toBe(false)
  })
})
