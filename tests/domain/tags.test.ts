import { describe, expect, it } from 'vitest'
import { Attention, isSensitiveTag, SENSITIVE_TAGS, Tag, TAGS } from '../../src/domain'

describe('tags', () => {
  it('knows the 重点人群 of domain.md', () => {
    // 低保 特困 残疾 独居老人 空巢老人 高龄 失能失智 大病 下岗失业 留守儿童 困境儿童 优抚对象 流动人口 出租房, and the 政法 four.
    const known = ['dibao', 'tekun', 'disabled', 'elderly_alone', 'empty_nest', 'aged_80', 'dementia_disabled', 'serious_illness', 'unemployed']
    known.push('left_behind_child', 'child_in_need', 'veteran_family', 'migrant', 'rental', 'correction', 'released', 'mental_illness', 'drug')
    for (const t of known) expect(Tag.safeParse(t).success, t).toBe(true)
    expect(TAGS).toHaveLength(known.length)
    expect(Tag.safeParse('vip').success).toBe(false)
  })

  it('only the 政法 four are sensitive: 社区矫正, 刑满释放, 严重精神障碍, 吸毒', () => {
    expect([...SENSITIVE_TAGS].sort()).toEqual(['correction', 'drug', 'mental_illness', 'released'])
    for (const t of TAGS) expect(isSensitiveTag(t), t).toBe(['correction', 'released', 'mental_illness', 'drug'].includes(t))
  })

  it('has three attention levels: 一般, 重点, 高风险', () => {
    for (const a of ['normal', 'key', 'high']) expect(Attention.safeParse(a).success, a).toBe(true)
    expect(Attention.safeParse('urgent').success).toBe(false)
  })
})
