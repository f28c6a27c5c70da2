import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chinaDay, type Change, NewCommunityResponse, type PullResponse, StreetOverviewResponse } from '../../src/domain'
import { type Deployment, openDeployment } from '../../src/server/deployment'
import type { SessionUser } from '../../src/server/services/auth'
import { addCommunity } from '../../src/server/services/communities'
import { insertCommunity, listCommunities } from '../../src/server/store/directory'
import { startStreetServer, type StreetTestServer } from '../support/server'

// 新增社区 (docs/communities.md): the street office adds a community to the running deployment,
// and its first admin can log in and start from there — its name, the default checklists, nothing
// of anyone else's. A refused add leaves nothing behind: not the key, not the username.

let s: StreetTestServer
const tokens: Record<string, string> = {}
const auth = (token: string) => ({ authorization: `Bearer ${token}` })
beforeAll(async () => {
  s = await startStreetServer(2, 40)
  for (const u of ['street', 'admin', 'heping-admin']) tokens[u] = await s.login(u)
}, 120_000)
afterAll(() => s?.close())

let n = 0
/** A request for a community nobody has yet, with `over` replacing parts of it. */
function fresh(over: Record<string, unknown> = {}) {
  n++
  return { key: `dongfeng${n}`, name: `东风里${n}社区`, admin: { username: `dongfeng${n}-admin`, name: '刘主任', password: 'kaishi2026' }, ...over }
}

const add = (body: unknown, token = tokens.street!) => s.app.inject({ method: 'POST', url: '/api/street/communities', headers: auth(token), payload: body as Record<string, unknown> })

async function pullAll(token: string): Promise<Change[]> {
  const out: Change[] = []
  for (let cursor: string | undefined; ; ) {
    const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?limit=2000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: auth(token) })
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json<PullResponse>()
    if ('reset' in page) throw new Error('unexpected reset')
    out.push(...page.changes)
    if (!page.hasMore) return out
    cursor = page.cursor
  }
}

const overview = async () => {
  const q = { from: chinaDay(Date.now() - 30 * 86_400_000), to: chinaDay(Date.now()) }
  const res = await s.app.inject({ method: 'GET', url: '/api/street/overview', query: q, headers: auth(tokens.street!) })
  expect(res.statusCode, res.body).toBe(200)
  return StreetOverviewResponse.parse(res.json())
}

describe('the street office adds a community', () => {
  it('its admin logs in to a community of its own: its name, the four default checklists, no one else’s records', async () => {
    const body = fresh({ key: 'dongfeng', name: '东风里社区', admin: { username: 'dongfeng-admin', name: '刘主任', password: 'kaishi2026' } })
    const res = await add(body)
    expect(res.statusCode, res.body).toBe(201)
    expect(NewCommunityResponse.parse(res.json())).toMatchObject({ key: 'dongfeng', name: '东风里社区', admin: { username: 'dongfeng-admin', name: '刘主任' } })

    const token = await s.login('dongfeng-admin', 'kaishi2026')
    const me = await s.app.inject({ method: 'GET', url: '/api/me', headers: auth(token) })
    expect(me.json()).toMatchObject({ role: 'admin', community: 'dongfeng' })
    const changes = await pullAll(token)
    const of = (entity: string) => changes.filter((c) => c.entity === entity).map((c) => c.data as Record<string, unknown>)
    expect(of('settings')).toEqual([expect.objectContaining({ communityName: '东风里社区' })])
    expect(of('checklistTemplate').map((t) => t.code).sort()).toEqual(['care', 'outreach', 'routine', 'safety'])
    // Nothing else: no household, resident, visit or case of the communities already there.
    expect(changes.length).toBe(5)
    const users = await s.app.inject({ method: 'GET', url: '/api/admin/users', headers: auth(token) })
    expect(users.json<{ users: Array<{ username: string }> }>().users.map((u) => u.username)).toEqual(['dongfeng-admin'])
    // Its log begins with who made it (then the admin's login).
    const audit = await s.app.inject({ method: 'GET', url: '/api/admin/audit', headers: auth(token) })
    const entries = audit.json<{ entries: Array<{ action: string; details: Record<string, unknown> }> }>().entries
    expect(entries.map((e) => e.action)).toEqual(['login', 'community_create'])
    expect(entries[1]!.details).toMatchObject({ by: '街道网格办', admin: 'dongfeng-admin' })

    // It is a community like the others: its admin makes a worker, whose username is the street's.
    const worker = await s.app.inject({ method: 'POST', url: '/api/admin/users', headers: auth(token), payload: { username: 'dongfeng-grid01', name: '王网格', role: 'worker', password: 'kaishi2026' } })
    expect(worker.statusCode, worker.body).toBe(201)
    const again = await s.app.inject({ method: 'POST', url: '/api/admin/users', headers: auth(tokens['heping-admin']!), payload: { username: 'dongfeng-grid01', name: '重名', role: 'worker', password: 'kaishi2026' } })
    expect(again.json()).toMatchObject({ error: { code: 'ID_TAKEN' } })

    // The street sees it beside the others, with nothing counted yet; the other communities do not.
    const view = await overview()
    expect(view.communities.map((c) => c.community)).toContain('dongfeng')
    expect(view.communities.find((c) => c.community === 'dongfeng')).toMatchObject({ name: '东风里社区', households: 0, gridCells: 0, visits: 0, openCases: 0, center: null })
    const heping = await pullAll(tokens['heping-admin']!)
    expect(JSON.stringify(heping)).not.toContain('东风里')
  })

  it('refuses a key that is not a key, a reserved one, a short name or a weak password, in words, and makes nothing', async () => {
    const before = await listCommunities(s.deployment.main)
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ key: 'Dong-Feng' }, /代号只能用小写字母/],
      [{ key: '1dongfeng' }, /代号只能用小写字母/],
      [{ key: 'street' }, /留作他用/],
      [{ key: 'main' }, /留作他用/],
      [{ name: '东' }, /社区名称/],
      [{ admin: { username: 'x-admin', name: '刘', password: 'short' } }, /密码至少 8 位/],
      [{ admin: { username: 'x admin', name: '刘', password: 'kaishi2026' } }, /用户名只能用/],
    ]
    for (const [over, message] of cases) {
      const res = await add(fresh(over))
      expect(res.statusCode, JSON.stringify(over)).toBe(400)
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(message) } })
    }
    expect(await listCommunities(s.deployment.main)).toEqual(before)
  })

  it('refuses a key, a name or an admin username already taken; the refused add holds on to nothing', async () => {
    const taken = [
      fresh({ key: 'heping' }),
      fresh({ name: s.street[1]!.name }),
      { ...fresh(), admin: { username: 'heping-admin', name: '刘', password: 'kaishi2026' } },
      { ...fresh(), admin: { username: 'admin', name: '刘', password: 'kaishi2026' } },
    ]
    for (const body of taken) {
      const res = await add(body)
      expect(res.statusCode, JSON.stringify(body)).toBe(409)
      expect(res.json()).toMatchObject({ error: { code: 'ID_TAKEN', message: expect.stringMatching(/已被使用|已有一个叫/) } })
    }
    // A username refused with a taken key stays free, and the key refused for a username too.
    const body = fresh()
    expect((await add({ ...body, key: 'heping' })).statusCode).toBe(409)
    expect((await add({ ...body, admin: { ...body.admin, username: 'admin' } })).statusCode).toBe(409)
    const ok = await add(body)
    expect(ok.statusCode, ok.body).toBe(201)
    expect(await s.login(body.admin.username, body.admin.password)).toEqual(expect.any(String))
  })

  it('the same key asked for twice at once: one community, one admin', async () => {
    const a = fresh()
    const b = { ...fresh(), key: a.key }
    const answers = await Promise.all([add(a), add(b)])
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409])
    const store = await s.deployment.storeOf(a.key)
    const admins = await store.selectFrom('users').select('username').execute()
    expect(admins.length).toBe(1)
    const settings = await store.selectFrom('settings').select('id').execute()
    expect(settings.length).toBe(1)
    // The loser's username is free again.
    const loser = answers[0]!.statusCode === 409 ? a : b
    const other = await add({ ...fresh(), admin: loser.admin })
    expect(other.statusCode, other.body).toBe(201)
  })

  it('the same name asked for twice at once, under two keys: one community, and the other told why', async () => {
    const a = fresh()
    const b = { ...fresh(), name: a.name }
    const answers = await Promise.all([add(a), add(b)])
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409])
    const loser = answers[0]!.statusCode === 409 ? answers[0]! : answers[1]!
    expect(loser.json()).toMatchObject({ error: { code: 'ID_TAKEN', message: `已有一个叫“${a.name}”的社区` } })
    expect((await listCommunities(s.deployment.main)).filter((c) => c.name === a.name)).toHaveLength(1)
  })

  it('only the street office adds communities', async () => {
    for (const who of ['admin', 'heping-admin']) {
      const res = await add(fresh(), tokens[who])
      expect(res.statusCode, who).toBe(403)
    }
    const none = await s.app.inject({ method: 'POST', url: '/api/street/communities', payload: fresh() })
    expect(none.statusCode).toBe(401)
  })

  it('a community whose store could not be set up is not listed, and its key can be tried again', async () => {
    const body = fresh()
    await expect(s.deployment.add({ key: body.key, name: body.name }, new Date(), async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full')
    expect((await listCommunities(s.deployment.main)).map((c) => c.key)).not.toContain(body.key)
    expect((await overview()).communities.map((c) => c.community)).not.toContain(body.key)
    const res = await add(body)
    expect(res.statusCode, res.body).toBe(201)
  })

  it('a failed add gives its admin’s username back, unless the community stayed listed: then its admin keeps it', async () => {
    const office = { id: 'street-office', name: '街道网格办', role: 'street' as const, community: 'street' } as unknown as SessionUser
    // Setting the store up fails; the key could not be given back either (the entry stays).
    const body = fresh()
    const stuck: Deployment = {
      ...s.deployment,
      add: async (entry, now = new Date()) => {
        await insertCommunity(s.deployment.main, { ...entry, kind: 'community', createdAt: now.toISOString() })
        throw new Error('disk full')
      },
    }
    await expect(addCommunity(stuck, office, body)).rejects.toThrow('disk full')
    expect(await s.deployment.communityOf(body.admin.username), 'the listed community keeps its admin’s name').toBe(body.key)
    expect((await add({ ...fresh(), admin: body.admin })).json()).toMatchObject({ error: { code: 'ID_TAKEN' } })
    // The key given back too: the username is free again.
    const other = fresh()
    const failing: Deployment = { ...s.deployment, add: async () => Promise.reject(new Error('disk full')) }
    await expect(addCommunity(failing, office, other)).rejects.toThrow('disk full')
    expect(await s.deployment.communityOf(other.admin.username)).toBe('main')
    expect((await add({ ...fresh(), admin: other.admin })).statusCode).toBe(201)
  })

  it('one added through another app server shows in the street’s figures at once', async () => {
    // A second app server: its own deployment over the same main store.
    const other = await openDeployment(s.deployment.main)
    try {
      const body = fresh()
      await other.add({ key: body.key, name: body.name })
      expect((await overview()).communities.map((c) => c.name)).toContain(body.name)
      expect((await add({ ...fresh(), key: body.key })).statusCode, 'its key is taken here too').toBe(409)
    } finally {
      await other.destroy({ keepMain: true })
    }
  })
})
