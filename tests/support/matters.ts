import { sql } from 'kysely'
import { expect } from 'vitest'
import { type Campaign, type Change, chinaDay, type Household, type MatterTransition, type MutationResult, PROTOCOL_VERSION, type PullResponse, uuidv7, type VoteScope } from '../../src/domain'
import { MAJOR_MATTER, type VoteAnswer } from '../../src/domain/voteRules'
import { readCounter } from '../../src/server/store/counters'
import { DAY, makeVisit, now, today } from './fixtures'
import { realJpeg, sha256 } from './photos'
import { type TestServer, workerOf } from './server'

// 议题 on a real server: how the matters tests send (the records they send are support/fixtures') and how they look at what was written.

export interface Sent {
  entity: string
  id: string
  op: string
  data: object
  mutationId?: string
}

export function matterKit(s: TestServer, tokens: Record<string, string>) {
  async function push(who: string, ...mutations: Sent[]): Promise<MutationResult[]> {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens[who]}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: mutations.map((m) => ({ mutationId: uuidv7(), at: now(), ...m })) },
    })
    expect(res.statusCode, res.body).toBe(200)
    return res.json<{ results: MutationResult[] }>().results
  }
  const one = async (who: string, m: Sent) => (await push(who, m))[0]!
  async function applied(who: string, m: Sent): Promise<number> {
    const r = await one(who, m)
    expect(r.status, JSON.stringify(r.error)).toBe('applied')
    return r.version!
  }

  /** Every table the matters could write, and the change counter. */
  async function written() {
    const out: Record<string, unknown> = { version: await readCounter(s.store, 'version') }
    for (const t of ['matters', 'matter_cells', 'matter_steps', 'meetings', 'ledger_entries', 'attachment_refs']) {
      const r = await sql<{ n: number; v: number | null }>`select count(*) as n, ${sql.raw(t === 'matter_cells' || t === 'attachment_refs' ? 'null' : 'sum(version)')} as v from ${sql.table(t)}`.execute(s.store)
      out[t] = r.rows[0]
    }
    return out
  }

  async function pullAll(who: string): Promise<Change[]> {
    const changes: Change[] = []
    for (let c: string | undefined; ; ) {
      const q = new URLSearchParams({ limit: '2000', ...(c ? { cursor: c } : {}) })
      const body = (await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${tokens[who]}` } })).json<PullResponse>()
      if ('reset' in body) throw new Error('unexpected reset')
      changes.push(...body.changes)
      if (!body.hasMore) return changes
      c = body.cursor
    }
  }

  async function row<T>(table: 'matters' | 'meetings' | 'ledger_entries' | 'matter_steps', id: string): Promise<T> {
    const r = await s.store.selectFrom(table).select('data').where('id', '=', id).executeTakeFirstOrThrow()
    return JSON.parse(r.data) as T
  }

  async function stepsOf(matterId: string): Promise<Array<{ action: string; from: string | null; to: string; note: string }>> {
    const rows = await s.store.selectFrom('matter_steps').select('data').where('matter_id', '=', matterId).orderBy('version').execute()
    return rows.map((r) => JSON.parse(r.data) as { action: string; from: string | null; to: string; note: string })
  }

  async function upload(who: string, seed: number): Promise<string> {
    const bytes = realJpeg(seed)
    const res = await s.app.inject({ method: 'PUT', url: `/api/attachments/${sha256(bytes)}`, headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'image/jpeg' }, payload: bytes })
    expect(res.statusCode, res.body).toBe(200)
    return sha256(bytes)
  }

  const call = (method: 'GET' | 'POST', url: string, payload?: object, who = 'secretary') =>
    s.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) })

  /** A 表决 over a stairwell whose owners all answer (agree, or as `answers` says), closed. */
  async function closedVote(households: Household[], answers: (h: Household, i: number) => VoteAnswer = () => 'agree', scope?: VoteScope): Promise<Campaign> {
    const elevator = s.community.templates.find((t) => t.code === 'elevator_vote')!
    const first = households[0]!
    const made = await call('POST', '/api/campaigns', {
      title: `加装电梯表决 ${uuidv7().slice(-4)}`,
      kind: 'vote',
      templateId: elevator.id,
      startDay: today(),
      deadline: chinaDay(Date.now() + 10 * DAY),
      targeting: {},
      vote: { rule: MAJOR_MATTER, scope: scope ?? { kind: 'unit', buildingId: first.buildingId, unit: first.unit } },
    })
    expect(made.statusCode, made.body).toBe(201)
    const id = made.json<Campaign>().id
    expect((await call('POST', `/api/campaigns/${id}/launch`)).statusCode).toBe(200)
    const worker = s.community.users.find((u) => u.gridIds.includes(first.gridId))!
    const visits = households.map((h, i) =>
      makeVisit(s.community, h, workerOf(s.community, worker.username).id, { templateId: null, templateVersion: null, answers: {}, campaignId: id, respondent: 'owner', campaignAnswers: { stance: answers(h, i) } }),
    )
    const results = await push(worker.username, ...visits.map((v) => ({ entity: 'visit', id: v.id, op: 'create', data: v })))
    expect(results.map((r) => r.status), JSON.stringify(results.find((r) => r.status !== 'applied'))).toEqual(visits.map(() => 'applied'))
    const closed = await call('POST', `/api/campaigns/${id}/close`)
    expect(closed.statusCode, closed.body).toBe(200)
    return closed.json<Campaign>()
  }

  return { push, one, applied, written, pullAll, row, stepsOf, upload, call, closedVote }
}

export function expectRefused(r: MutationResult, code: string, words: RegExp) {
  expect(r.status, JSON.stringify(r)).toBe('rejected')
  expect(r.error?.code, r.error?.message).toBe(code)
  expect(r.error!.message).toMatch(words)
  // Plain Chinese: no field paths, no ids.
  expect(r.error!.message).toMatch(/[\u4e00-\u9fff]/)
  expect(r.error!.message).not.toMatch(/[A-Za-z]+\.[A-Za-z]+|[0-9a-f]{8}-/)
}

export const create = (entity: string, data: { id: string; [field: string]: unknown }, mutationId?: string): Sent => ({ entity, id: data.id, op: 'create', data, ...(mutationId ? { mutationId } : {}) })
export const patch = (entity: string, id: string, data: object): Sent => ({ entity, id, op: 'patch', data })
export const step = (id: string, action: MatterTransition['action'], over: Partial<MatterTransition> = {}, mutationId?: string): Sent => ({
  entity: 'matter',
  id,
  op: 'transition',
  data: { stepId: uuidv7(), action, note: '', at: now(), ...over },
  ...(mutationId ? { mutationId } : {}),
})
