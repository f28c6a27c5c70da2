import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import MapFilters from '../../src/app/components/map/MapFilters.vue'
import type { MapQuery } from '../../src/app/stores/map'

const G1 = '0190a000-0000-7000-8000-0000000000e1'
const G2 = '0190a000-0000-7000-8000-0000000000e2'
const W1 = '0190a000-0000-7000-8000-0000000000f1'
const base: MapQuery = { from: '2026-10-23', to: '2026-11-21', workerId: '', gridId: '', tag: '', attention: '' }

function mountFilters(over: Partial<MapQuery> = {}, today = '2026-11-21') {
  return mount(MapFilters, {
    props: {
      modelValue: { ...base, ...over },
      today,
      workers: [{ id: W1, label: '陈雨涵（第一网格）' }],
      grids: [
        { id: G1, name: '第一网格' },
        { id: G2, name: '第二网格' },
      ],
      tags: ['dibao', 'elderly_alone'],
    },
  })
}

const emitted = (w: ReturnType<typeof mountFilters>) => (w.emitted('update:modelValue') ?? []).map((e) => e[0] as MapQuery)

describe('MapFilters', () => {
  it.each([
    ['7d', '2026-11-21', { from: '2026-11-15', to: '2026-11-21' }],
    ['30d', '2026-11-21', { from: '2026-10-23', to: '2026-11-21' }],
    ['quarter', '2026-11-21', { from: '2026-10-01', to: '2026-11-21' }],
    ['quarter', '2026-02-10', { from: '2026-01-01', to: '2026-02-10' }],
    // The last month of a quarter still belongs to it.
    ['quarter', '2026-03-31', { from: '2026-01-01', to: '2026-03-31' }],
    ['quarter', '2026-12-05', { from: '2026-10-01', to: '2026-12-05' }],
    ['7d', '2026-03-03', { from: '2026-02-25', to: '2026-03-03' }],
  ] as const)('preset %s on %s sets the period to %o and keeps the other filters', async (preset, today, range) => {
    const w = mountFilters({ gridId: G2, tag: 'dibao' }, today)
    await w.get(`[data-preset="${preset}"]`).trigger('click')
    expect(emitted(w).at(-1)).toEqual({ ...base, gridId: G2, tag: 'dibao', ...range })
    expect(w.get(`[data-preset="${preset}"]`).classes()).toContain('on')
  })

  it('lights the preset the current period matches', () => {
    const w = mountFilters()
    expect(w.get('[data-preset="30d"]').classes()).toContain('on')
    expect(w.get('[data-preset="7d"]').classes()).not.toContain('on')
  })

  it('emits the new query when a grid, worker, tag or attention level is chosen', async () => {
    const w = mountFilters()
    await w.get('select[name=gridId]').setValue(G1)
    expect(emitted(w).at(-1)).toEqual({ ...base, gridId: G1 })
    await w.get('select[name=workerId]').setValue(W1)
    expect(emitted(w).at(-1)).toEqual({ ...base, gridId: G1, workerId: W1 })
    await w.get('select[name=tag]').setValue('elderly_alone')
    expect(emitted(w).at(-1)).toEqual({ ...base, gridId: G1, workerId: W1, tag: 'elderly_alone' })
    await w.get('select[name=attention]').setValue('high')
    expect(emitted(w).at(-1)).toEqual({ ...base, gridId: G1, workerId: W1, tag: 'elderly_alone', attention: 'high' })
    // Back to "all".
    await w.get('select[name=gridId]').setValue('')
    expect(emitted(w).at(-1)!.gridId).toBe('')
  })

  it('emits a typed date range, and refuses one that ends before it starts or runs over a year', async () => {
    const w = mountFilters()
    await w.get('input[name=from]').setValue('2026-11-01')
    expect(emitted(w).at(-1)).toEqual({ ...base, from: '2026-11-01' })
    const before = emitted(w).length
    await w.get('input[name=from]').setValue('2026-11-30')
    expect(w.get('[data-testid=period-problem]').text()).toBe('开始日期不能晚于结束日期')
    await w.get('input[name=from]').setValue('2025-01-01')
    expect(w.get('[data-testid=period-problem]').text()).toBe('时间段最长一年')
    expect(emitted(w)).toHaveLength(before)
    await w.get('[data-preset="7d"]').trigger('click')
    expect(w.find('[data-testid=period-problem]').exists()).toBe(false)
    expect(emitted(w).at(-1)).toMatchObject({ from: '2026-11-15', to: '2026-11-21' })
  })

  it('offers only the tags it is given (a role without 政法 tags never sees them)', () => {
    const w = mountFilters()
    const options = w.findAll('select[name=tag] option').map((o) => o.text())
    expect(options).toEqual(['全部标签', '低保', '独居老人'])
  })
})
