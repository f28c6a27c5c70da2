import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { fixturePhoto, realJpeg, sha256 as sha } from '../support/photos'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer()
  for (const u of ['grid01', 'grid02', 'secretary']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

let seed = 0
const jpeg = () => realJpeg(++seed)
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
      [Buffer.concat([jpeg(), randomBytes(3 * 1024 * 1024)]), 'image/jpeg', undefined, 413, 'PAYLOAD_TOO_LARGE'],
    ]
    for (const [body, type, id, status, code] of cases) {
      const res = await put('grid01', body, type, id)
      expect(res.statusCode, code).toBe(status)
      expect(res.json().error.code).toBe(code)
      expect(await count(id ?? sha(body))).toBe(0)
    }
    expect((await s.app.inject({ method: 'PUT', url: '/api/attachments/not-a-hash', headers: { authorization: `Bearer ${tokens.grid01}`, 'content-type': 'image/jpeg' }, payload: jpeg() })).statusCode).toBe(400)
  })

  it("takes the photos a phone's browser makes: Chromium's own JPEG and PNG, stored with the type the bytes decode to", async () => {
    for (const [name, type] of [['stairwell.jpg', 'image/jpeg'], ['stairwell.png', 'image/png']] as const) {
      const bytes = fixturePhoto(name)
      // The request's claim does not matter: the type stored is what the bytes decode as.
      const res = await put('grid01', bytes, type === 'image/png' ? 'image/jpeg' : 'image/png')
      expect(res.statusCode, name).toBe(200)
      expect(res.json()).toMatchObject({ sha256: sha(bytes), mime: type })
      expect((await get('grid01', sha(bytes))).headers['content-type']).toBe(type)
    }
  })

  it('an image must decode, not just start like one: a JPEG header before HTML, HTML hidden after a real JPEG, a cut-off photo and a WebP are refused, nothing stored', async () => {
    const photo = fixturePhoto('stairwell.jpg')
    const html = Buffer.from('<html><body><script>fetch("/api/me")</script></body></html>')
    const bodies: Array<[string, Buffer]> = [
      ['header then HTML', Buffer.concat([photo.subarray(0, 20), html])],
      ['HTML after the image', Buffer.concat([photo, html])],
      ['cut off', photo.subarray(0, Math.floor(photo.length * 0.6))],
      ['cut off, end marker kept', Buffer.concat([photo.subarray(0, Math.floor(photo.length * 0.6)), Buffer.from([0xff, 0xd9])])],
      ['PNG header then HTML', Buffer.concat([fixturePhoto('stairwell.png').subarray(0, 40), html])],
      // The app's phones always send JPEG; WebP is not decoded here, so it is not taken.
      ['WebP', fixturePhoto('stairwell.webp')],
    ]
    for (const [name, body] of bodies) {
      const res = await put('grid01', body)
      expect(res.statusCode, name).toBe(415)
      expect(res.json().error.code, name).toBe('UNSUPPORTED_MEDIA')
      expect(await count(sha(body)), name).toBe(0)
    }
  })

  it('a photo is served as a download, never as a page: Content-Disposition, nosniff, a sandboxing CSP', async () => {
    const bytes = jpeg()
    await put('grid01', bytes)
    const res = await get('grid01', sha(bytes))
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${sha(bytes)}.jpg"`)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'")
    expect(String(res.headers['content-security-policy'])).toContain('sandbox')
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
