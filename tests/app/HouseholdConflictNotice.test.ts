import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import HouseholdConflictNotice from '../../src/app/components/household/HouseholdConflictNotice.vue'
import { db } from '../../src/app/db/instance'
import { setLocale } from '../../src/app/i18n'
import { useSyncStore } from '../../src/app/stores/sync'
import type { ConflictNotice } from '../../src/domain/schemas/conflicts'
import { ids, validUser } from '../support/fixtures'
import { json, logIn, stubFetch } from './adminTestKit'
import { testRouter } from './helpers'

// On the worker's household page: a value they entered that did not stand because someone else
// changed the same field at the same time — said in words, shown offline from what the phone
// last heard, until the worker has read it.

const secretary = { id: '0190a000-0000-7000-8000-0000000000a2', name: '张丽' }
const open: ConflictNotice = {
  id: 11,
  householdId: ids.household,
  residentNameMasked: null,
  field: 'housing',
  mine: 'rented',
  mineAt: '2026-11-20T01:00:00.000Z',
  standing: 'owner',
  by: secretary,
  at: '2026-11-20T02:20:00.000Z',
  settled: false,
}
const settled: ConflictNotice = { ...open, id: 12, field: 'phone', mine: '13800000001', standing: '13900000002', at: '2026-11-21T03:00:00.000Z', settled: true }
const elsewhere: ConflictNotice = { ...open, id: 13, householdId: '0190a000-0000-7000-8000-000000000999' }

let pinia: Pinia
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  logIn(validUser())
})
afterEach(async () => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  await setLocale('zh-CN')
})

function server(notices: ConflictNotice[]) {
  const answer = { notices }
  const calls = stubFetch(({ url }) => (url.pathname === '/api/conflicts/mine' ? json(answer) : json({ error: { code: 'NOT_FOUND', message: 'no' } }, 404)))
  return { calls, set: (n: ConflictNotice[]) => (answer.notices = n) }
}

async function mountNotice(householdId = ids.household) {
  const w = mount(HouseholdConflictNotice, { props: { householdId }, global: { plugins: [pinia, testRouter()] } })
  await flushPromises()
  return w
}
const texts = (w: ReturnType<typeof mount>) => w.findAll('[data-testid="household-conflict"]').map((n) => n.get('p').text())

describe('HouseholdConflictNotice', () => {
  it('says which value of the worker did not stand, who put what instead and when, for this household only', async () => {
    const { calls } = server([open, settled, elsewhere])
    const w = await mountNotice()
    await vi.waitFor(() => expect(texts(w)).toHaveLength(2))
    expect(texts(w)).toEqual([
      '你填的住房「出租」没有保留：张丽 11-20 10:20 改为「自住」，社区会核实。',
      '你填的联系电话「13800000001」没有保留：张丽 11-21 11:00 定为「13900000002」。',
    ])
    expect(calls.map((c) => c.url.pathname)).toEqual(['/api/conflicts/mine'])
  })

  it('a resident’s field says whose it is', async () => {
    server([{ ...settled, id: 14, residentNameMasked: '李*华' }, { ...open, id: 15, residentNameMasked: '李*华', field: 'status', mine: 'moved_out', standing: 'deceased' }])
    const w = await mountNotice()
    await vi.waitFor(() => expect(texts(w)).toHaveLength(2))
    expect(texts(w)).toEqual([
      '你填的李*华的联系电话「13800000001」没有保留：张丽 11-21 11:00 定为「13900000002」。',
      '你填的李*华的在住/迁出/去世「迁出」没有保留：张丽 11-20 10:20 改为「去世」，社区会核实。',
    ])
  })

  it('offline, shows what the phone last heard, and asks nothing', async () => {
    server([open])
    const first = await mountNotice()
    await vi.waitFor(() => expect(texts(first)).toHaveLength(1))
    first.unmount()

    // Later, at a door with no signal, on a fresh page.
    pinia = createPinia()
    setActivePinia(pinia)
    const { calls } = server([])
    useSyncStore().online = false
    const w = await mountNotice()
    await vi.waitFor(() => expect(texts(w)).toEqual(['你填的住房「出租」没有保留：张丽 11-20 10:20 改为「自住」，社区会核实。']))
    expect(calls).toHaveLength(0)
  })

  it('stays dismissed once read; the office’s later decision on it is news again', async () => {
    const srv = server([open])
    const w = await mountNotice()
    await vi.waitFor(() => expect(texts(w)).toHaveLength(1))
    await w.get('[data-action="dismiss-conflict"]').trigger('click')
    await vi.waitFor(() => expect(texts(w)).toEqual([]))
    w.unmount()

    pinia = createPinia()
    setActivePinia(pinia)
    srv.set([open])
    const again = await mountNotice()
    await flushPromises()
    expect(texts(again)).toEqual([])
    again.unmount()

    pinia = createPinia()
    setActivePinia(pinia)
    srv.set([{ ...open, settled: true, standing: 'vacant', at: '2026-11-22T01:00:00.000Z' }])
    const decided = await mountNotice()
    await vi.waitFor(() => expect(texts(decided)).toEqual(['你填的住房「出租」没有保留：张丽 11-22 09:00 定为「空置」。']))
  })

  it('a notice the server no longer sends (the office took the worker’s value) leaves the phone', async () => {
    const srv = server([open])
    const w = await mountNotice()
    await vi.waitFor(() => expect(texts(w)).toHaveLength(1))
    w.unmount()
    pinia = createPinia()
    setActivePinia(pinia)
    srv.set([])
    const after = await mountNotice()
    await vi.waitFor(() => expect(texts(after)).toEqual([]))
    expect(await db.meta.get('conflictNotices')).toEqual({ key: 'conflictNotices', value: [] })
  })

  it('in English', async () => {
    server([open])
    await setLocale('en')
    const w = await mountNotice()
    await vi.waitFor(() => expect(texts(w)).toEqual(['Your value for Housing, “Rented”, was not kept: 张丽 changed it to “Owner-occupied” (11-20 10:20). The community office will check.']))
  })
})
