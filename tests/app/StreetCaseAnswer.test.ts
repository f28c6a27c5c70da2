import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import StreetCaseAnswer from '../../src/app/components/street/StreetCaseAnswer.vue'
import { useStreetStore } from '../../src/app/stores/street'
import type { StreetCase } from '../../src/domain'
import { validUser } from '../support/fixtures'

// The street's answer to an escalated case: a lost answer is sent again as the same step (the
// server writes it once), the next answer is a step of its own, and a refusal is said in words
// with the note kept.

const kase: StreetCase = {
  community: 'heping',
  communityName: '和平里社区',
  id: '0190a000-0000-7000-8000-0000000000c1',
  kind: 'dispute',
  category: 'neighbor',
  title: '邻居私搭乱建遮挡采光',
  description: '',
  place: '3号楼',
  urgency: 'yellow',
  reportedAt: '2026-11-20T01:00:00.000Z',
  updatedAt: '2026-11-22T01:00:00.000Z',
  deadline: null,
  escalationNote: '需要街道协调',
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const street = validUser({ id: '0190a000-0000-7000-8000-0000000000d9', username: 'street', name: '街道网格办', role: 'street', gridIds: [] })

let answers: Array<() => Response | Promise<Response>>
const sent: Array<{ stepId: string; action: string; note: string }> = []
beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 'tok-1', expiresAt: '2099-01-01T00:00:00.000Z', user: street }))
  sent.length = 0
  answers = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://localhost')
      if (url.pathname === `/api/street/cases/heping/${kase.id}/steps`) {
        sent.push(JSON.parse(String(init!.body)) as (typeof sent)[number])
        return answers.shift()!()
      }
      if (url.pathname === '/api/street/cases') return json({ cases: [] })
      return json({ from: '2026-11-01', to: '2026-11-30', street: '泰山路街道', communities: [] })
    }),
  )
})
afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
})

const mountIt = () => mount(StreetCaseAnswer, { props: { case: kase, online: true } })

describe('StreetCaseAnswer', () => {
  it('sends a lost answer again as the same step, and the next answer as a new one', async () => {
    const w = mountIt()
    await w.get('textarea[name=note]').setValue('街道协调城管拆除')
    answers.push(() => Promise.reject(new TypeError('Failed to fetch')))
    await w.get('[data-action=street_resolve]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=street-answer-error]').text()).not.toBe('')
    expect((w.get('textarea[name=note]').element as HTMLTextAreaElement).value, 'the note is kept').toBe('街道协调城管拆除')
    answers.push(() => json({ community: 'heping', id: kase.id, state: 'resolved' }))
    await w.get('[data-action=street_resolve]').trigger('click')
    await flushPromises()
    expect(sent.map((b) => b.stepId)).toEqual([sent[0]!.stepId, sent[0]!.stepId])
    expect(sent[1]).toMatchObject({ action: 'street_resolve', note: '街道协调城管拆除' })
    expect(useStreetStore().answered).toEqual({ title: kase.title, communityName: '和平里社区', action: 'street_resolve' })
    expect(w.find('[data-testid=street-answer-error]').exists()).toBe(false)
    // Another answer (the same box, the case shown again): its own step.
    await w.get('textarea[name=note]').setValue('请社区督促物业')
    answers.push(() => json({ community: 'heping', id: kase.id, state: 'accepted' }))
    await w.get('[data-action=hand_back]').trigger('click')
    await flushPromises()
    expect(sent[2]!.stepId).not.toBe(sent[0]!.stepId)
    expect(sent[2]).toMatchObject({ action: 'hand_back', note: '请社区督促物业' })
  })

  it('says what is missing before sending, and the server’s refusal in words', async () => {
    const w = mountIt()
    await w.get('[data-action=hand_back]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=street-answer-error]').text()).toBe('请写明办理结果或交回的理由')
    expect(sent).toEqual([])
    await w.get('textarea[name=note]').setValue('已办结')
    answers.push(() => json({ error: { code: 'INVALID_TRANSITION', message: '案件现在是「办结」，不能「街道办结」（只能从「上报街道」）' } }, 409))
    await w.get('[data-action=street_resolve]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=street-answer-error]').text()).toContain('案件现在是「办结」')
    expect(useStreetStore().answered).toBeNull()
  })
})
