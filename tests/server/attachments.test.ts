import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { householdOf, makeVisit, visitMutation } from '../support/factories'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer()
  for (const u of ['grid01', 'grid02', 'secretary']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

const jpeg = (n = 2000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(n)])
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const put = (user: string, body: Buffer, type = 'image/jpeg', id = sha(body)) =>
  s.app.inject({ method: 'PUT', url: `/api/attachments/${id}`, headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': type }, payload: body })
const get = (user: string, id: string) => s.app.inject({ method: 'GET', url: `/api/attachments/${id}`, headers: { authorization: `Bearer ${tokens[user]}` } })
const count = async (id: string) => (await s.store.selectFrom('attachments').select('sha256').where('sha256', '=', id).execute()).length

describe('photo upload', () => {
  it('stores a photo once, however often it is sent', async () => {
    const bytes = jpeg()
    const first = await put('grid01', bytes)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({ sha256: sha(bytes), size: bytes.length, mime: 'image/jpeg' })
    expect((await put('grid01', bytes)).statusCode).toBe(200)
    expect(await count(sha(bytes))).toBe(1)
    const back = await get('grid01', sha(bytes))
    expect(back.statusCode).toBe(200)
    expect(back.rawPayload.equals(bytes)).toBe(true)
  })

  it('refuses what is not a photo, is too big, or does not match its name — storing nothing', async () => {
    const text = Buffer.from('hello, not a photo')
    const cases: Array<[Buffer, string, string | undefined, number, string]> = [
      [text, 'text/plain', undefined, 415, 'UNSUPPORTED_MEDIA'],
      [text, 'image/jpeg', undefined, 415, 'UNSUPPORTED_MEDIA'],
      [jpeg(), 'image/jpeg', sha(jpeg()), 400, 'VALIDATION_FAILED'],
      [jpeg(3 * 1024 * 1024), 'image/jpeg', undefined, 413, 'PAYLOAD_TOO_LARGE'],
    ]
    for (const [body, type, id, status, code] of cases) {
      const res = await put('grid01', body, type, id)
      expect(res.statusCode, code).toBe(status)
      expect(res.json().error.code).toBe(code)
      expect(await count(id ?? sha(body))).toBe(0)
    }
    expect((await s.app.inject({ method: 'PUT', url: '/api/attachments/not-a-hash', headers: { authorization: `Bearer ${tokens.grid01}`, 'content-type': 'image/jpeg' }, payload: jpeg() })).statusCode).toBe(400)
  })

  it('is scoped: other grids cannot see a photo; the grid and the office can once a visit shows it', async () => {
    const bytes = jpeg()
    await put('grid01', bytes)
    expect((await get('grid02', sha(bytes))).statusCode).toBe(404)
    const visit = makeVisit(s.community, householdOf(s.community, 'grid01'), workerOf(s.community, 'grid01').id, { photoIds: [sha(bytes)] })
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.grid01}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [visitMutation(visit)] },
    })
    expect(res.json().results[0].status).toBe('applied')
    expect((await get('secretary', sha(bytes))).statusCode).toBe(200)
    expect((await get('grid02', sha(bytes))).statusCode).toBe(404)
  })

  it('a visit showing a photo the server does not have waits: ATTACHMENT_MISSING, nothing stored', async () => {
    const visit = makeVisit(s.community, householdOf(s.community, 'grid01'), workerOf(s.community, 'grid01').id, { photoIds: [sha(jpeg())] })
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.grid01}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [visitMutation(visit)] },
    })
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', error: { code: 'ATTACHMENT_MISSING' } })
    expect(await s.store.selectFrom('visits').select('id').where('id', '=', visit.id).executeTakeFirst()).toBeUndefined()
  })

  it('anonymous uploads and downloads are refused', async () => {
    const bytes = jpeg()
    expect((await s.app.inject({ method: 'PUT', url: `/api/attachments/${sha(bytes)}`, headers: { 'content-type': 'image/jpeg' }, payload: bytes })).statusCode).toBe(401)
    expect((await s.app.inject({ method: 'GET', url: `/api/attachments/${sha(bytes)}` })).statusCode).toBe(401)
  })
})
