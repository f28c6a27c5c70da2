import { describe, expect, it } from 'vitest'
import { loginFailure } from '../../src/app/stores/session'
import { checkLoginResponse, checkMyConflictsResponse, checkPullResponse, checkPushResponse, readApiError } from '../../src/app/api/answerChecks'
import { loginRequest } from '../../src/app/api/auth'
import { ApiFailure } from '../../src/app/api/client'
import { ERROR_CODES, ErrorBody, LoginResponse, PullResponse, PushResponse } from '../../src/domain'
import { MyConflictsResponse } from '../../src/domain/schemas/conflicts'
import { ids, validUser } from '../support/fixtures'

// The answers on the way from the login screen to the home page are checked by hand, not by
// their zod schemas (zod stays off a new phone's first download): held here to the schemas, so
// a good answer comes out as the schema gives it, whatever the hand check refuses the schema
// refuses too, and a malformed answer is refused in words that say which field is wrong.

const login = { token: 'tok-1', expiresAt: '2026-12-31T16:00:00.000Z', user: validUser() }

/** Answers the server could not have given, and what the hand check says about each. */
const badLogins: Array<[string, unknown, string]> = [
  ['no body', null, '回答 应是对象'],
  ['a proxy page', '<html>502</html>', '回答 应是对象'],
  ['a list', [login], '回答 应是对象'],
  ['no token', { ...login, token: undefined }, '缺少 token'],
  ['a numeric token', { ...login, token: 42 }, 'token 应是文字'],
  ['no expiry', { ...login, expiresAt: undefined }, '缺少 expiresAt'],
  ['an expiry that is a number', { ...login, expiresAt: 1767196800000 }, 'expiresAt 应是文字'],
  ['no user', { token: 't', expiresAt: login.expiresAt }, '缺少 user'],
  ['a user as text', { ...login, user: 'grid01' }, 'user 应是对象'],
  ['no user id', { ...login, user: { ...login.user, id: undefined } }, '缺少 user.id'],
  ['an empty name', { ...login, user: { ...login.user, name: '' } }, 'user.name 不能为空'],
  ['an unknown role', { ...login, user: { ...login.user, role: 'boss' } }, 'user.role 应是 worker / secretary / admin / street / street_admin 之一'],
  ['no grid list', { ...login, user: { ...login.user, gridIds: undefined } }, '缺少 user.gridIds'],
  ['grid ids as text', { ...login, user: { ...login.user, gridIds: ids.grid } }, 'user.gridIds 应是列表'],
  ['a grid id that is a number', { ...login, user: { ...login.user, gridIds: [ids.grid, 7] } }, 'user.gridIds[1] 应是文字'],
  ['sensitive tags as text', { ...login, user: { ...login.user, sensitiveTags: 'no' } }, 'user.sensitiveTags 应是 true 或 false'],
]

describe('the login answer', () => {
  it('a good answer comes back as the schema gives it, unknown fields left behind', () => {
    for (const user of [validUser(), validUser({ role: 'secretary', gridIds: [], sensitiveTags: true }), validUser({ role: 'admin', gridIds: [] })]) {
      const body = { ...login, user: { ...user, extra: 1 }, extra: 'x' }
      expect(checkLoginResponse(body)).toEqual(LoginResponse.parse(body))
    }
  })

  it.each(badLogins)('%s: refused, by the schema too, saying which field', (_what, body, message) => {
    expect(() => checkLoginResponse(body)).toThrow(message)
    expect(LoginResponse.safeParse(body).success).toBe(false)
  })

  it('a malformed answer reaches the login page as a refusal in words, not a crash', async () => {
    const answering = (body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })
    const err = await loginRequest({ fetch: answering({ ...login, user: { ...login.user, role: 'boss' } }) }, 'grid01', 'zoufang').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiFailure)
    expect(err).toMatchObject({ kind: 'client', status: 200, message: '服务器的回答看不懂：user.role 应是 worker / secretary / admin / street / street_admin 之一' })
    // LoginPage shows "登录失败：" and this message (not "offline").
    expect(loginFailure(err)).toBe('refused')
    // Not JSON at all (a captive portal's page): said as an incomplete answer.
    const html: typeof fetch = async () => new Response('<html>登录 Wi-Fi</html>')
    await expect(loginRequest({ fetch: html }, 'grid01', 'zoufang')).rejects.toMatchObject({ kind: 'network', message: expect.stringMatching(/^响应不完整：/) })
    await expect(loginRequest({ fetch: answering(login) }, 'grid01', 'zoufang')).resolves.toEqual(login)
  })
})

const notice = {
  id: 3,
  householdId: ids.household,
  residentNameMasked: null,
  field: 'phone',
  mine: '13800000000',
  mineAt: '2026-11-30T02:00:00.000Z',
  standing: '13900000000',
  by: { id: ids.worker, name: '王芳' },
  at: '2026-11-30T03:00:00.000Z',
  settled: false,
}

describe("a user's notices (the home page asks after each sync)", () => {
  it('good answers come back as the schema gives them', () => {
    const bodies = [
      { notices: [] },
      { notices: [notice, { ...notice, id: 4, residentNameMasked: '张*', mine: ['dibao'], mineAt: null, standing: null, by: null, at: null, settled: true, extra: 1 }] },
      // An older server that does not send residentNameMasked: null, as the schema's default.
      { notices: [{ ...notice, residentNameMasked: undefined }] },
    ]
    for (const body of bodies) expect(checkMyConflictsResponse(body)).toEqual(MyConflictsResponse.parse(body))
  })

  it.each<[string, unknown, string]>([
    ['no body', null, '回答 应是对象'],
    ['no list', {}, '缺少 notices'],
    ['an id that is no number', { notices: [{ ...notice, id: '3' }] }, 'notices[0].id 应是正整数'],
    ['a fractional id', { notices: [notice, { ...notice, id: 1.5 }] }, 'notices[1].id 应是正整数'],
    ['no household', { notices: [{ ...notice, householdId: undefined }] }, '缺少 notices[0].householdId'],
    ['a time that is no time', { notices: [{ ...notice, at: 'soon' }] }, 'notices[0].at 应是时间'],
    ['a missing time', { notices: [{ ...notice, mineAt: undefined }] }, '缺少 notices[0].mineAt'],
    ['a person without a name', { notices: [{ ...notice, by: { id: ids.worker } }] }, '缺少 notices[0].by.name'],
    ['settled as text', { notices: [{ ...notice, settled: 'yes' }] }, 'notices[0].settled 应是 true 或 false'],
  ])('%s: refused, by the schema too, saying which field', (_what, body, message) => {
    expect(() => checkMyConflictsResponse(body)).toThrow(message)
    expect(MyConflictsResponse.safeParse(body).success).toBe(false)
  })
})

describe('a refusal', () => {
  it('reads the error as ErrorBody does, and nothing from a body that is not one', () => {
    const bodies: unknown[] = [
      ...ERROR_CODES.map((code) => ({ error: { code, message: '出错了' } })),
      { error: { code: 'VALIDATION_FAILED', message: '不对', details: { field: 'name' }, extra: 1 } },
      { error: { code: 'NO_SUCH_CODE', message: '?' } },
      { error: { code: 'INTERNAL' } },
      { error: 'INTERNAL' },
      { error: null },
      { message: 'plain' },
      null,
      'oops',
    ]
    for (const body of bodies) expect(readApiError(body), JSON.stringify(body)).toEqual(ErrorBody.safeParse(body).data?.error)
  })
})

describe('push and pull answers (the engine reads them on the home page)', () => {
  const mutationId = ids.visit
  const goodPushes = [
    { results: [] },
    { results: [{ mutationId, status: 'applied', version: 12 }] },
    { results: [{ mutationId, status: 'rejected', error: { code: 'VALIDATION_FAILED', message: '不对' } }] },
  ]
  const badPushes: Array<[string, unknown, string]> = [
    ['a proxy page', '<html>502</html>', '回答 应是对象'],
    ['no results', {}, '缺少 results'],
    ['an unknown status', { results: [{ mutationId, status: 'done' }] }, 'results[0].status 应是 applied / duplicate / rejected / conflict 之一'],
    ['a version as text', { results: [{ mutationId, status: 'applied', version: '12' }] }, 'results[0].version 应是整数'],
    ['an error of no known shape', { results: [{ mutationId, status: 'rejected', error: { code: 'NOPE', message: 'x' } }] }, 'results[0].error 应是 { code, message }'],
  ]
  const change = { entity: 'household', id: ids.household, version: 3, deleted: false, data: { id: ids.household } }
  const goodPulls = [
    { reset: true },
    { changes: [], cursor: '1.0.0', hasMore: false },
    { changes: [change, { ...change, deleted: true, data: null }], cursor: '1.0.3', hasMore: true, total: 2, visitsFrom: '2026-09-01T00:00:00.000Z' },
  ]
  const badPulls: Array<[string, unknown, string]> = [
    ['no body', null, '回答 应是对象'],
    ['no changes', { cursor: 'c', hasMore: false }, '缺少 changes'],
    ['no cursor', { changes: [], hasMore: false }, '缺少 cursor'],
    ['hasMore as text', { changes: [], cursor: 'c', hasMore: 'no' }, 'hasMore 应是 true 或 false'],
    ['a change without a version', { changes: [{ ...change, version: undefined }], cursor: 'c', hasMore: false }, '缺少 changes[0].version'],
    ['a record as text', { changes: [{ ...change, data: 'x' }], cursor: 'c', hasMore: false }, 'changes[0].data 应是对象'],
  ]

  it('good answers pass as the schema passes them', () => {
    for (const body of goodPushes) expect(checkPushResponse(body)).toEqual(PushResponse.parse(body))
    for (const body of goodPulls) expect(checkPullResponse(body)).toEqual(PullResponse.parse(body))
  })

  it.each([...badPushes.map((b) => ['push', ...b] as const), ...badPulls.map((b) => ['pull', ...b] as const)])('%s, %s: refused, by the schema too, saying which field', (kind, _what, body, message) => {
    const [check, schema] = kind === 'push' ? [checkPushResponse, PushResponse] : [checkPullResponse, PullResponse]
    expect(() => check(body)).toThrow(message)
    expect(schema.safeParse(body).success).toBe(false)
  })
})
