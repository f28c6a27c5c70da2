import { describe, expect, it } from 'vitest'
import { checkAnswers, ChecklistTemplate, ChecklistTemplatePatch, templateAt } from '../../src/domain'

const v1Items = [
  { id: 'safe', label: '安全隐患', kind: 'yesno' as const, required: true },
  { id: 'note', label: '情况', kind: 'text' as const, required: false },
]
const template = ChecklistTemplate.parse({
  id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  code: 'routine',
  name: '常规走访',
  version: 2,
  items: [{ ...v1Items[0]!, label: '有无安全隐患' }, { id: 'fire', label: '消防通道', kind: 'yesno', required: true }],
  history: [{ version: 1, items: v1Items }],
})

describe('templateAt', () => {
  it('finds the current version and past ones, with their own labels', () => {
    expect(templateAt(template, 2)).toBe(template)
    const v1 = templateAt(template, 1)!
    expect(v1.version).toBe(1)
    expect(v1.items.map((i) => i.label)).toEqual(['安全隐患', '情况'])
    expect(templateAt(template, 3)).toBeNull()
  })

  it('answers are checked against the version they were filled with', () => {
    const answers = { safe: true, note: '好' }
    expect(checkAnswers(templateAt(template, 1)!, answers)).toEqual([])
    expect(checkAnswers(template, answers).map((p) => p.itemId).sort()).toEqual(['fire', 'note'])
  })

  it('a template without history parses (records written before versioning)', () => {
    const { history: _h, ...plain } = template
    expect(ChecklistTemplate.parse({ ...plain, version: 1 }).history).toBeUndefined()
  })

  it('a template never edited has only its current version', () => {
    const { history: _h, ...plain } = template
    const never = ChecklistTemplate.parse({ ...plain, version: 1 })
    expect(templateAt(never, 1)).toBe(never)
    expect(templateAt(never, 2)).toBeNull()
  })

  it('item ids are unique; a patch must change something', () => {
    expect(ChecklistTemplatePatch.safeParse({ items: [v1Items[0], v1Items[0]] }).success).toBe(false)
    expect(ChecklistTemplatePatch.safeParse({}).success).toBe(false)
    expect(ChecklistTemplatePatch.safeParse({ name: '新名字' }).success).toBe(true)
  })
})
