import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import AdminRulesPage from '../../src/app/pages/AdminRulesPage.vue'
import { db } from '../../src/app/db/instance'
import { useSessionStore } from '../../src/app/stores/session'
import { DEFAULT_SETTINGS, SETTINGS_ID, type User } from '../../src/domain'
import { validUser } from '../support/fixtures'
import { testRouter } from './helpers'

let pinia: Pinia
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})

async function mountAs(role: User['role'], opts: { synced?: boolean } = {}) {
  if (opts.synced ?? true) await db.settings.put({ ...DEFAULT_SETTINGS, _v: 5 })
  useSessionStore().session = { token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser({ role }) }
  const w = mount(AdminRulesPage, { global: { plugins: [pinia, testRouter()] } })
  await flushPromises()
  await vi.waitFor(() => expect(w.findAll('[data-testid="rule-row"]')).toHaveLength(DEFAULT_SETTINGS.visitRules.length))
  return w
}
type W = Awaited<ReturnType<typeof mountAs>>
const save = async (w: W) => {
  await w.get('form').trigger('submit')
  await flushPromises()
}

describe('AdminRulesPage', () => {
  it('shows the rule table with the default rules, read-only for anyone but an admin', async () => {
    const w = await mountAs('secretary')
    expect(w.get('[data-testid="admin-only"]').text()).toContain('只有管理员')
    expect(w.get('fieldset').attributes('disabled')).toBeDefined()
    const first = w.findAll('[data-testid="rule-row"]')[0]!
    expect((first.get('select[name="attention-0"]').element as HTMLSelectElement).value).toBe('high')
    expect((first.get('select[name="tag-0"]').element as HTMLSelectElement).value).toBe('any')
    expect((w.get('input[name="days-3"]').element as HTMLInputElement).value).toBe('182')
    expect(w.get('select[name="tag-3"]').text()).toContain('无标签')
  })

  it('refuses an interval under one day or an empty table, saying why, and saves nothing', async () => {
    const w = await mountAs('admin')
    await w.get('input[name="days-0"]').setValue('0')
    await w.get('input[name="yellowHours"]').setValue('-1')
    await save(w)
    expect(w.text()).toContain('间隔至少1天')
    expect(w.get('[role="alert"]').text()).toBe('还有 2 处要改')
    for (let i = 3; i >= 0; i--) await w.get(`[data-action="remove-rule-${i}"]`).trigger('click')
    await save(w)
    expect(w.text()).toContain('至少要有一条走访规则')
    expect(await db.outbox.count()).toBe(0)
    expect((await db.settings.get(SETTINGS_ID))?.visitRules).toEqual(DEFAULT_SETTINGS.visitRules)
  })

  it('saves a new per-tag rule and a changed deadline on the device and queues them for sync', async () => {
    const w = await mountAs('admin')
    await w.get('[data-action="add-rule"]').trigger('click')
    await w.get('select[name="tag-4"]').setValue('dibao')
    await w.get('input[name="days-4"]').setValue('14')
    await w.get('input[name="yellowHours"]').setValue('12')
    await save(w)
    await vi.waitFor(() => expect(w.find('.flash').exists()).toBe(true))
    const saved = await db.settings.get(SETTINGS_ID)
    expect(saved?.visitRules.at(-1)).toEqual({ attention: 'any', tag: 'dibao', days: 14 })
    expect(saved?.caseDeadlines.yellowHours).toBe(12)
    const [row, ...rest] = await db.outbox.toArray()
    expect(rest).toEqual([])
    expect(row).toMatchObject({ entity: 'settings', entityId: SETTINGS_ID, op: 'patch', baseVersion: 5, state: 'pending' })
    expect(row!.data).toMatchObject({ caseDeadlines: { yellowHours: 12 } })
  })

  it('the days of visits an office device keeps: saved and queued; under a week refused in words', async () => {
    const w = await mountAs('admin')
    expect((w.get('input[name="officeVisitDays"]').element as HTMLInputElement).value).toBe('90')
    await w.get('input[name="officeVisitDays"]').setValue('3')
    await save(w)
    expect(w.text()).toContain('至少保留30天')
    expect(await db.outbox.count()).toBe(0)
    await w.get('input[name="officeVisitDays"]').setValue('180')
    await save(w)
    await vi.waitFor(() => expect(w.find('.flash').exists()).toBe(true))
    expect((await db.settings.get(SETTINGS_ID))?.officeVisitDays).toBe(180)
    const [row] = await db.outbox.toArray()
    expect(row!.data).toMatchObject({ officeVisitDays: 180 })
  })

  it('the public page’s community name and smallest count, and the meeting places: saved and queued; a count under 3 refused', async () => {
    const w = await mountAs('admin')
    expect((w.get('textarea[name="meetingPlaces"]').element as HTMLTextAreaElement).value.split('\n')).toEqual(['邻里议事厅', '社区党群服务中心会议室', '小区议事亭', '楼道议事角'])
    expect((w.get('input[name="publicMinHouseholds"]').element as HTMLInputElement).value).toBe('5')
    await w.get('input[name="publicMinHouseholds"]').setValue('2')
    await save(w)
    expect(w.text()).toContain('公开的统计至少要有3户')
    expect(await db.outbox.count()).toBe(0)
    await w.get('input[name="publicMinHouseholds"]').setValue('8')
    await w.get('input[name="communityName"]').setValue('幸福里社区')
    await w.get('textarea[name="meetingPlaces"]').setValue('邻里议事厅\n\n  3号楼楼道议事角  \n')
    await save(w)
    await vi.waitFor(() => expect(w.find('.flash').exists()).toBe(true))
    expect(await db.settings.get(SETTINGS_ID)).toMatchObject({ communityName: '幸福里社区', publicMinHouseholds: 8, meetingPlaces: ['邻里议事厅', '3号楼楼道议事角'] })
    const [row] = await db.outbox.toArray()
    expect(row!.data).toMatchObject({ communityName: '幸福里社区', publicMinHouseholds: 8, meetingPlaces: ['邻里议事厅', '3号楼楼道议事角'] })
  })

  it('explains that the settings must sync once before they can be changed', async () => {
    const w = await mountAs('admin', { synced: false })
    expect(w.text()).toContain('请先联网同步一次')
    await save(w)
    expect(w.get('[role="alert"]').text()).toContain('同步')
    expect(await db.outbox.count()).toBe(0)
  })
})
