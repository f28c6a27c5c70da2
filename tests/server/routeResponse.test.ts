import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { installErrorHandler, route } from '../../src/server/http'

// A route may declare its answer's schema (the one in src/domain/schemas the app checks it with).
// Under test every answer is checked against it, so an answer the app would refuse fails here, on
// the server, naming the field — not later on a phone as "服务器的回答看不懂".

const app = Fastify({ logger: false })
const Answer = z.object({ n: z.number().int() })
const noAuth = async () => {
  throw new Error('not used: the routes here are public')
}
let wrong: unknown = { n: 'one' }
beforeAll(async () => {
  installErrorHandler(app)
  route(app, noAuth, { method: 'GET', url: '/good', auth: false, response: Answer }, async () => ({ n: 1 }))
  // The types refuse a wrong answer; one that slips past them (data read as `any`) is caught here.
  route(app, noAuth, { method: 'GET', url: '/wrong', auth: false, response: Answer }, async () => wrong as { n: number })
  await app.ready()
})
afterAll(() => app.close())

describe('a route with a response schema', () => {
  it('answers what its schema says', async () => {
    const res = await app.inject({ method: 'GET', url: '/good' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ n: 1 })
  })

  it('under test, an answer that breaks it is a 500 in the one error shape, not a wrong answer', async () => {
    const res = await app.inject({ method: 'GET', url: '/wrong' })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toMatchObject({ error: { code: 'INTERNAL' } })
    wrong = { n: 2 }
    expect((await app.inject({ method: 'GET', url: '/wrong' })).json()).toEqual({ n: 2 })
  })
})
