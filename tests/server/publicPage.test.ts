import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chinaDay, PROTOCOL_VERSION, PublicCommunityResponse, SETTINGS_ID, uuidv7 } from '../../src/domain'
import { buildApp } from '../../src/server/app'
import { PUBLIC_POLICY } from '../../src/server/securityHeaders'
import { startTestServer, type TestServer } from '../support/server'

// 公开 on the server: the page anyone may open, with nothing personal on it. Every public answer
// is checked against every resident's name and phone and every flat of the demo community;
// counts of small scopes are left out; it is read-only, takes no credentials, and is limited.

let s: TestServer
let secretary: string
beforeAll(async () => {
  s = await startTestServer(400)
  secretary = await s.login('secretary')
})
afterAll(() => s.close())

const get = (url: string, headers: Record<string, string> = {}, remoteAddress = '10.1.0.1') => s.app.inject({ method: 'GET', url, headers, remoteAddress })

async function community(): Promise<PublicCommunityResponse> {
  const res = await get('/api/public/community')
  expect(res.statusCode, res.body).toBe(200)
  return PublicCommunityResponse.parse(res.json())
}

describe('the public page’s data', () => {
  it('has the community, the menu, the projects and the closed vote with its tally', async () => {
    const c = await community()
    expect(c.community).toBe(s.community.name)
    expect(c.minHouseholds).toBe(5)
    expect(c.menu.length).toBeGreaterThan(0)
    expect(c.projects.length).toBe(s.community.projects.length)
    const vote = s.community.campaigns.find((x) => x.kind === 'vote' && x.status === 'closed')!
    const shown = c.votes.find((v) => v.title === vote.title)!
    expect(shown.tally?.households.total).toBe(vote.results!.vote!.tally.households.total)
    // A draft or a running campaign is never on it.
    expect(c.votes).toHaveLength(s.community.campaigns.filter((x) => x.kind === 'vote' && x.status === 'closed').length)
  })

  it('holds no resident’s name or phone, no flat, no staff or volunteer name, no contact', async () => {
    const body = (await get('/api/public/community')).body
    const c = s.community
    const leaks: string[] = []
    const check = (what: string, value: string | null | undefined) => {
      if (value && value.length >= 2 && body.includes(value)) leaks.push(`${what}: ${value}`)
    }
    for (const r of c.residents) {
      check('resident', r.name)
      check('phone', r.phone)
      check('id', r.idNumber)
    }
    for (const h of c.households) {
      check('address', h.address)
      check('head', h.headName)
      check('phone', h.phone)
      const b = c.buildings.find((x) => x.id === h.buildingId)
      if (b && h.room) check('flat', `${b.number}${h.unit ? `${h.unit}单元` : ''}${h.room}`)
    }
    for (const u of c.users) check('user', u.name)
    for (const r of c.resources) {
      // A team named after its founder (桂兰聊天室) carries the name by its own choice: the name of
      // the team is public, its contact is not.
      if (!r.name.includes(r.contactName)) check('contact', r.contactName)
      check('contact phone', r.contactPhone)
      if (r.kind === 'volunteer') check('volunteer', r.name)
    }
    for (const p of c.projects) check('lead', p.leadName)
    expect(leaks).toEqual([])
  })

  it('leaves out the counts of scopes smaller than the setting says', async () => {
    const before = await community()
    const vote = before.votes.find((v) => v.tally)!
    const total = vote.tally!.households.total
    const patch = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${await s.login('admin')}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), at: new Date().toISOString(), entity: 'settings', id: SETTINGS_ID, op: 'patch', data: { publicMinHouseholds: Math.min(50, total + 1) } }] },
    })
    expect(patch.json<{ results: Array<{ status: string }> }>().results[0]!.status, patch.body).toBe('applied')
    const after = await community()
    expect(after.minHouseholds).toBe(Math.min(50, total + 1))
    expect(after.votes.find((v) => v.title === vote.title)!.tally).toBeNull()
    // Projects serving fewer households say only that they serve some.
    for (const p of after.projects) if (p.householdsServed !== null) expect(p.householdsServed).toBeGreaterThanOrEqual(after.minHouseholds)
  })
})

describe('matters on the public page', () => {
  it('a matter the office raised is on it with its stage and day, and nothing of who did it', async () => {
    const building = s.community.buildings[0]!
    const id = uuidv7()
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${secretary}` },
      payload: {
        deviceId: uuidv7(),
        protocolVersion: PROTOCOL_VERSION,
        mutations: [
          {
            mutationId: uuidv7(),
            at: new Date().toISOString(),
            entity: 'matter',
            id,
            op: 'create',
            data: { id, title: '小区停车位重新划线（公开测试）', description: '', scope: { kind: 'compound', compound: building.compound }, origin: { kind: 'office' }, raisedByName: '业委会', raisedAt: new Date().toISOString() },
          },
        ],
      },
    })
    expect(res.json<{ results: Array<{ status: string }> }>().results[0]!.status, res.body).toBe('applied')
    const c = await community()
    const m = c.matters.find((x) => x.title === '小区停车位重新划线（公开测试）')!
    expect(m).toMatchObject({ stage: 'raised', scope: building.compound, raisedBy: '业委会', funding: null, decision: null })
    expect(m.steps).toEqual([{ to: 'raised', day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }])
    const body = (await get('/api/public/community')).body
    const secretaryName = s.community.users.find((u) => u.username === 'secretary')!.name
    expect(body).not.toContain(secretaryName)
  })
})

async function push(entity: string, id: string, op: string, data: object) {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${secretary}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), at: new Date().toISOString(), entity, id, op, data }] },
  })
  return res.json<{ results: Array<{ status: string; error?: { code: string; message: string } }> }>().results[0]!
}
const today = () => chinaDay(Date.now())

describe('notices (公告) on the public page', () => {
  it('one the office publishes for a compound is on it, with its compound, until it is withdrawn', async () => {
    const compound = s.community.buildings[0]!.compound
    const id = uuidv7()
    const sent = await push('notice', id, 'create', { id, title: '停水通知（公开测试）', body: '明天9时至15时停水，请提前储水。', category: 'service', compound, fromDay: today(), untilDay: null })
    expect(sent.status, JSON.stringify(sent)).toBe('applied')
    const c = await community()
    expect(c.compounds).toContain(compound)
    expect(c.notices.find((n) => n.title === '停水通知（公开测试）')).toEqual({ title: '停水通知（公开测试）', body: '明天9时至15时停水，请提前储水。', category: 'service', compound, fromDay: today(), untilDay: null })
    expect((await push('notice', id, 'patch', { withdrawn: true })).status).toBe('applied')
    expect((await community()).notices.map((n) => n.title)).not.toContain('停水通知（公开测试）')
  })

  it('one carrying a resident’s phone or name is refused with the reason, and nothing is written', async () => {
    const resident = s.community.residents.find((r) => r.phone && r.name.length >= 2)!
    for (const body of [`有事联系 ${resident.phone}`, `感谢${resident.name}热心帮忙`]) {
      const id = uuidv7()
      const r = await push('notice', id, 'create', { id, title: '感谢信（公开测试）', body, category: 'service', compound: null, fromDay: today(), untilDay: null })
      expect(r.status).toBe('rejected')
      expect(r.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/公告里有(手机号码|居民的姓名)/) })
      expect(await s.store.selectFrom('notices').select('id').where('id', '=', id).execute()).toEqual([])
    }
    expect((await community()).notices.map((n) => n.title)).not.toContain('感谢信（公开测试）')
  })

  it('one for a compound the register does not have is refused', async () => {
    const id = uuidv7()
    const r = await push('notice', id, 'create', { id, title: '通知', body: '内容', category: 'party', compound: '不存在小区', fromDay: today(), untilDay: null })
    expect(r.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('「不存在小区」不是本社区的小区') })
  })
})

describe('the public page’s data is built once per change', () => {
  it('answers a crowd from one build until something is written, then builds it again', async () => {
    const first = await community()
    const again = await community()
    expect(again.generatedAt, 'nothing written: the same build').toBe(first.generatedAt)
    await new Promise((r) => setTimeout(r, 5))
    const id = uuidv7()
    expect((await push('notice', id, 'create', { id, title: '缓存测试通知', body: '内容', category: 'affairs', compound: null, fromDay: today(), untilDay: null })).status).toBe('applied')
    const after = await community()
    expect(after.generatedAt).not.toBe(first.generatedAt)
    expect(after.notices.map((n) => n.title)).toContain('缓存测试通知')
  })
})

describe('the public routes are public and nothing more', () => {
  it('refuse a request carrying a token, even a good one', async () => {
    const res = await get('/api/public/community', { authorization: `Bearer ${secretary}` })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('不用登录') } })
  })

  it('take no method but GET', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await s.app.inject({ method, url: '/api/public/community', payload: {}, remoteAddress: '10.1.0.2' })
      expect(res.statusCode, method).toBeGreaterThanOrEqual(400)
      expect(res.statusCode, method).toBeLessThan(500)
    }
  })

  it('may be cached a minute, and are limited per address: the 121st request in a minute waits', async () => {
    const first = await get('/api/public/community', {}, '10.9.9.9')
    expect(first.headers['cache-control']).toBe('public, max-age=60')
    for (let i = 1; i < 120; i++) expect((await get('/api/public/community', {}, '10.9.9.9')).statusCode).toBe(200)
    const limited = await get('/api/public/community', {}, '10.9.9.9')
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // Someone else is not held up by it.
    expect((await get('/api/public/community', {}, '10.9.9.10')).statusCode).toBe(200)
  })
})

describe('the page itself', () => {
  let app: FastifyInstance
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zoufang-public-'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>')
    writeFileSync(join(dir, 'public.html'), '<!doctype html><title>公开栏</title>')
    app = await buildApp({ store: s.store, staticDir: dir })
  })
  afterAll(async () => {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('is served at /public with its own strict policy, not the app shell', async () => {
    const res = await app.inject({ method: 'GET', url: '/public' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('公开栏')
    expect(res.headers['content-security-policy']).toBe(PUBLIC_POLICY)
    expect(PUBLIC_POLICY).toContain("default-src 'none'")
    expect(PUBLIC_POLICY).toContain("form-action 'none'")
    expect((await app.inject({ method: 'GET', url: '/public', headers: { authorization: 'Bearer x' } })).statusCode).toBe(400)
  })
})
