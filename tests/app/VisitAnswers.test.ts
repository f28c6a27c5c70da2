import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import VisitAnswers from '../../src/app/components/visit/VisitAnswers.vue'
import { ChecklistTemplate } from '../../src/domain'

const v1Items = [
  { id: 'safe', label: '安全隐患', kind: 'yesno' as const, required: true },
  { id: 'health', label: '健康状况', kind: 'choice' as const, options: ['良好', '较差'], required: false },
]
// The template after the admin moved it to v2: 'safe' renamed, a required item added.
const template = ChecklistTemplate.parse({
  id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  code: 'routine',
  name: '常规走访',
  version: 2,
  items: [{ ...v1Items[0]!, label: '有无安全隐患（新）' }, v1Items[1]!, { id: 'fire', label: '消防通道畅通', kind: 'yesno', required: true }],
  history: [{ version: 1, items: v1Items }],
})

const rows = (w: ReturnType<typeof mount>) => w.findAll('dt').map((d, i) => `${d.text()}=${w.findAll('dd')[i]!.text()}`)

describe('VisitAnswers', () => {
  it('a v1 visit renders with the v1 labels after the template moved to v2', () => {
    const w = mount(VisitAnswers, { props: { template, version: 1, answers: { safe: false, health: '良好' } } })
    expect(rows(w)).toEqual(['安全隐患=否', '健康状况=良好'])
    expect(w.text()).not.toContain('（新）')
  })

  it('a v2 visit renders with the v2 labels', () => {
    const w = mount(VisitAnswers, { props: { template, version: 2, answers: { safe: true, fire: true } } })
    expect(rows(w)).toEqual(['有无安全隐患（新）=是', '消防通道畅通=是'])
  })

  it('a version the device does not hold yet shows answers by item id; no answers, nothing', () => {
    const w = mount(VisitAnswers, { props: { template, version: 7, answers: { extra: 3 } } })
    expect(rows(w)).toEqual(['extra=3'])
    expect(mount(VisitAnswers, { props: { template: undefined, version: null, answers: {} } }).find('dl').exists()).toBe(false)
  })
})
