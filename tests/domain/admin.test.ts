import { describe, expect, it } from 'vitest'
import { AdminUser, AUDIT_ACTIONS, AuditEntry, AuditPage, AuditQuery, CreateUserRequest, PatchUserRequest, ResetPasswordRequest, RevealIdNumberResponse, SetGridsRequest } from '../../src/domain/schemas/admin'
import { ids } from '../support/fixtures'
import { messagesOf } from './messagesOf'

const newUser = (over: Record<string, unknown> = {}) => CreateUserRequest.safeParse({ username: 'grid14', name: '赵网格', role: 'worker', password: 'zoufang1', ...over })

describe('creating a user', () => {
  it('a username of letters, digits, _ . and -, up to 40, trimmed; sensitive tags off unless asked', () => {
    expect(CreateUserRequest.parse({ username: ' grid_14.a-b ', name: ' 赵网格 ', role: 'worker', password: 'zoufang1' })).toEqual({
      username: 'grid_14.a-b',
      name: '赵网格',
      role: 'worker',
      password: 'zoufang1',
      sensitiveTags: false,
    })
    expect(newUser({ username: 'u'.repeat(40) }).success).toBe(true)
    expect(newUser({ username: 'u'.repeat(41) }).success).toBe(false)
    expect(newUser({ sensitiveTags: true }).success).toBe(true)
    expect(newUser({ username: 'Secretary.Li' }).success).toBe(true)
  })

  it('says what is wrong with a username, in Chinese', () => {
    expect(messagesOf(newUser({ username: '  ' }))).toContain('请输入用户名')
    expect(messagesOf(newUser({ username: '网格员' }))).toEqual(['用户名只能用字母、数字、下划线、点和减号'])
    expect(messagesOf(newUser({ username: 'grid 14' }))).toEqual(['用户名只能用字母、数字、下划线、点和减号'])
    expect(messagesOf(newUser({ username: 'grid14!' }))).toEqual(['用户名只能用字母、数字、下划线、点和减号'])
    expect(messagesOf(newUser({ username: '@grid14' }))).toEqual(['用户名只能用字母、数字、下划线、点和减号'])
  })

  it('a name of 1 to 30 characters', () => {
    expect(messagesOf(newUser({ name: ' ' }))).toEqual(['请输入姓名'])
    expect(newUser({ name: '名'.repeat(30) }).success).toBe(true)
    expect(newUser({ name: '名'.repeat(31) }).success).toBe(false)
  })

  it('a password of 8 to 200 characters', () => {
    expect(newUser({ password: '12345678' }).success).toBe(true)
    expect(messagesOf(newUser({ password: '1234567' }))).toEqual(['密码至少 8 位'])
    expect(newUser({ password: 'p'.repeat(200) }).success).toBe(true)
    expect(newUser({ password: 'p'.repeat(201) }).success).toBe(false)
  })

  it('refuses fields it does not know (a grid cell is given separately)', () => {
    expect(newUser({ gridIds: [ids.grid] }).success).toBe(false)
  })
})

describe('changing a user', () => {
  it('changes name, role, sensitive tags or active, and must change something', () => {
    expect(PatchUserRequest.parse({ name: ' 新名 ' })).toEqual({ name: '新名' })
    expect(PatchUserRequest.safeParse({ role: 'secretary' }).success).toBe(true)
    expect(PatchUserRequest.safeParse({ sensitiveTags: false }).success).toBe(true)
    expect(PatchUserRequest.safeParse({ active: false }).success).toBe(true)
    expect(messagesOf(PatchUserRequest.safeParse({}))).toEqual(['没有要修改的内容'])
    expect(messagesOf(PatchUserRequest.safeParse({ name: undefined }))).toEqual(['没有要修改的内容'])
    expect(PatchUserRequest.safeParse({ name: '新名', role: undefined }).success).toBe(true)
    expect(PatchUserRequest.safeParse({ username: 'x' }).success).toBe(false)
    expect(PatchUserRequest.safeParse({ role: 'boss' }).success).toBe(false)
  })

  it('a new password of at least 8 characters, and nothing else', () => {
    expect(ResetPasswordRequest.safeParse({ password: '12345678' }).success).toBe(true)
    expect(messagesOf(ResetPasswordRequest.safeParse({ password: 'short' }))).toEqual(['密码至少 8 位'])
    expect(ResetPasswordRequest.safeParse({ password: '12345678', name: 'x' }).success).toBe(false)
  })

  it('up to 50 grid cells, each once', () => {
    const grid = (i: number) => `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`
    expect(SetGridsRequest.safeParse({ gridIds: [] }).success).toBe(true)
    expect(SetGridsRequest.safeParse({ gridIds: Array.from({ length: 50 }, (_, i) => grid(i)) }).success).toBe(true)
    expect(SetGridsRequest.safeParse({ gridIds: Array.from({ length: 51 }, (_, i) => grid(i)) }).success).toBe(false)
    expect(messagesOf(SetGridsRequest.safeParse({ gridIds: [grid(1), grid(2), grid(1)] }))).toEqual(['网格不能重复'])
  })
})

describe('the audit log', () => {
  it('records logins, failed logins, ID reveals, exports, imports, grid moves, users, passwords, settings, register changes, settled conflicts, campaigns and communities added', () => {
    const actions = ['login', 'login_failed', 'reveal_id_number', 'export', 'import', 'assign_grid', 'unassign_grid', 'user_create', 'user_update', 'password_reset', 'settings_change']
    actions.push('register_change', 'conflict_settle', 'campaign_change', 'community_create')
    expect([...AUDIT_ACTIONS].sort()).toEqual([...actions].sort())
    for (const action of actions) expect(AuditQuery.safeParse({ action }).success, action).toBe(true)
    expect(AuditQuery.safeParse({ action: 'delete_everything' }).success).toBe(false)
  })

  it('a query pages 100 entries from the start unless told, up to 1000', () => {
    expect(AuditQuery.parse({})).toEqual({ limit: 100, offset: 0 })
    expect(AuditQuery.parse({ limit: '1', offset: '0' })).toEqual({ limit: 1, offset: 0 })
    expect(AuditQuery.parse({ limit: '1000', offset: '250' })).toEqual({ limit: 1000, offset: 250 })
    for (const q of [{ limit: '0' }, { limit: '1001' }, { offset: '-1' }, { limit: '2.5' }]) expect(AuditQuery.safeParse(q).success, JSON.stringify(q)).toBe(false)
  })

  it('filters by a time range with an offset, and by a user', () => {
    expect(AuditQuery.safeParse({ from: '2026-11-01T00:00:00+08:00', to: '2026-11-30T23:59:59Z', userId: ids.worker }).success).toBe(true)
    expect(AuditQuery.safeParse({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00+08:00' }).success).toBe(true)
    expect(AuditQuery.safeParse({ to: '2026-12-01' }).success).toBe(false)
    expect(AuditQuery.safeParse({ from: '2026-11-01' }).success).toBe(false)
    expect(AuditQuery.safeParse({ userId: 'admin' }).success).toBe(false)
  })

  it('an entry names who did what to what, when', () => {
    const entry = { id: 1, at: '2026-11-21T09:00:00.000Z', userId: ids.worker, userName: '管理员', action: 'reveal_id_number', subjectType: 'resident', subjectId: ids.resident, details: {} }
    expect(AuditPage.safeParse({ entries: [entry, { ...entry, id: 2, userId: null, userName: null, subjectType: null, subjectId: null }], total: 2 }).success).toBe(true)
    expect(AuditEntry.safeParse({ ...entry, id: 1.5 }).success).toBe(false)
    expect(AuditEntry.safeParse({ ...entry, action: 'peek' }).success).toBe(false)
  })

  it('a revealed ID number, or none on record', () => {
    expect(RevealIdNumberResponse.safeParse({ idNumber: '110105195601010016' }).success).toBe(true)
    expect(RevealIdNumberResponse.safeParse({ idNumber: null }).success).toBe(true)
    expect(RevealIdNumberResponse.safeParse({}).success).toBe(false)
  })

  it('a page of entries has its total', () => {
    expect(AuditPage.safeParse({ entries: [] }).success).toBe(false)
    expect(AuditPage.safeParse({ entries: [], total: 0.5 }).success).toBe(false)
  })
})

describe('the admin\'s list of users', () => {
  it('shows each user with role, grid cells, sensitive tags, active and when created', () => {
    const user = { id: ids.worker, username: 'grid01', name: '李网格', role: 'worker', gridIds: [ids.grid], sensitiveTags: false, active: true, createdAt: '2026-11-01T00:00:00.000Z' }
    expect(AdminUser.parse(user)).toEqual(user)
    expect(AdminUser.safeParse({ ...user, role: 'boss' }).success).toBe(false)
    expect(AdminUser.safeParse({ ...user, active: undefined }).success).toBe(false)
  })
})
