import { describe, expect, it } from 'vitest'
import { LoginRequest, User } from '../../src/domain'
import { messagesOf, validUser } from './fixtures'

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
