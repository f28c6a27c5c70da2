import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import HouseholdGroupList from '../../src/app/components/household/HouseholdGroupList.vue'
import { db } from '../../src/app/db/instance'
import { useRegisterStore } from '../../src/app/stores/register'
import type { Household } from '../../src/domain'
import { validBuilding, validHousehold } from '../support/fixtures'
import { testRouter } from './helpers'

// Building 3 (1 and 2单元), building 12, and a 平房 with no building. Ids end in the room number.
const b3 = validBuilding({ number: '3号楼', floors: 18 })
const b12 = validBuilding({ id: '0190a000-0000-7000-8000-0000000b0012', number: '12号楼' })
let n = 0
function home(room: string | null, over: Partial<Household>): Household {
  const floor = room ? Number(room.slice(0, -2)) : null
  const id = `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`
  return validHousehold({ id, room, floor, tags: [], attention: 'normal', headName: '', searchKey: '', ...over })
}
const households = [
  home('1202', { unit: '1', address: '幸福里小区3号楼1单元1202', headName: '赵丽', searchKey: '赵丽 zhaoli zl 韩梅梅 hanmeimei hmm' }),
  home('502', { unit: '1', address: '幸福里小区3号楼1单元502', headName: '王建国', searchKey: '王建国 wangjianguo wjg', tags: ['dibao'] }),
  home('902', { unit: '1', address: '幸福里小区3号楼1单元902', headName: '王芳', searchKey: '王芳 wangfang wf' }),
  home('402', { unit: '1', address: '幸福里小区3号楼1单元402', headName: '孙伟', searchKey: '孙伟 sunwei sw' }),
  home('101', { unit: '2', address: '幸福里小区3号楼2单元101', headName: '李秀英', searchKey: '李秀英 lixiuying lxy', tags: ['dibao', 'elderly_alone'] }),
  home('301', { unit: '1', buildingId: b12.id, address: '幸福里小区12号楼1单元301', headName: '周强', searchKey: '周强 zhouqiang zq' }),
  home(null, { unit: null, buildingId: null, address: '幸福里东巷7号', headName: '钱德明', searchKey: '钱德明 qiandeming qdm' }),
]

/** Like the households page: the register's search, grouped, shown by the list. */
const Harness = defineComponent({
  props: { query: { type: String, default: '' } },
  setup(props) {
    const register = useRegisterStore()
    return () => h(HouseholdGroupList, { groups: register.group(register.search(props.query)), query: props.query })
  },
})

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.buildings.bulkPut([b3, b12])
  await db.households.bulkPut(households)
})

async function mountList(query = '') {
  const w = mount(Harness, { props: { query }, global: { plugins: [pinia, testRouter()] } })
  // The live query delivers the register asynchronously; wait until all of it is in the store.
  await vi.waitFor(() => expect(useRegisterStore().households).toHaveLength(households.length))
  await flushPromises()
  return w
}
const rooms = (w: Awaited<ReturnType<typeof mountList>>) => w.findAll('[data-testid="household-row"] .room').map((r) => r.text())

describe('HouseholdGroupList with the register store', () => {
  it('shows head-of-household names masked, never in full', async () => {
    const w = await mountList()
    expect(w.text()).toContain('王*国')
    expect(w.text()).toContain('李*英')
    expect(w.text()).toContain('王*')
    for (const full of ['王建国', '李秀英', '王芳', '钱德明']) expect(w.html()).not.toContain(full)
  })

  it('groups by building, then unit, with rooms in walking order', async () => {
    const w = await mountList()
    expect(w.findAll('h3').map((x) => x.text())).toEqual(['幸福里小区3号楼', '幸福里小区12号楼'])
    expect(w.findAll('h4').map((x) => x.text())).toEqual(['平房 / 无单元', '1单元', '2单元', '1单元'])
    // The 平房 (no building) first, shown by its address; then 3号楼 1单元 floor by floor, 2单元, 12号楼.
    expect(rooms(w)).toEqual(['幸福里东巷7号', '402', '502', '902', '1202', '101', '301'])
  })

  it('links each row to its household page and shows its tags', async () => {
    const w = await mountList('wjg')
    const row = w.get('[data-testid="household-row"]')
    expect(row.attributes('href')).toBe(`/households/${households[1]!.id}`)
    expect(row.text()).toContain('低保')
  })

  it.each([
    ['a full name', '王建国', ['502']],
    ['a surname', '王', ['502', '902']],
    ['pinyin initials', 'WJG', ['502']],
    ['full pinyin', 'lixiuying', ['101']],
    ['an address fragment', '1202', ['1202']],
    ['a Chinese tag label', '低保', ['502', '101']],
    ['an English tag label', 'minimum income', ['502', '101']],
    ['two terms, both required', '低保 2单元', ['101']],
    ['a building and a surname', '12号楼 周', ['301']],
  ])('finds households by %s', async (_what, query, expected) => {
    const w = await mountList(query)
    expect(rooms(w)).toEqual(expected)
  })

  it('shows nothing for a search that matches nobody, and everything for a blank one', async () => {
    expect(rooms(await mountList('王 低保 902'))).toEqual([])
    expect(rooms(await mountList('   '))).toHaveLength(households.length)
  })

  it('says which member a search found when it is not the head the row shows', async () => {
    const matched = (w: Awaited<ReturnType<typeof mountList>>) => w.findAll('[data-testid="matched-member"]').map((m) => m.text())
    // By pinyin, by initials, by the name itself: the daughter-in-law, masked.
    for (const q of ['hanmei', 'hmm', '韩梅梅']) {
      const w = await mountList(q)
      expect(rooms(w)).toEqual(['1202'])
      expect(matched(w)).toEqual(['匹配 韩*梅'])
    }
    // The head herself, or the address: the row says it already.
    expect(matched(await mountList('赵丽'))).toEqual([])
    expect(matched(await mountList('1202'))).toEqual([])
    expect(matched(await mountList(''))).toEqual([])
  })

  it('picks up households written to the device after the list is shown', async () => {
    const w = await mountList('吴')
    expect(rooms(w)).toEqual([])
    await db.households.put(home('601', { unit: '1', address: '幸福里小区3号楼1单元601', headName: '吴敏', searchKey: '吴敏 wumin wm' }))
    await vi.waitFor(() => expect(rooms(w)).toEqual(['601']))
    expect(w.text()).toContain('吴*')
  })
})
