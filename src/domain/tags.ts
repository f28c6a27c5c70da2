import { z } from 'zod'

// 重点人群 / 关爱对象. The last four (政法) are visible only to roles granted them;
// the server strips them from everything it sends to anyone else.
export const TAGS = [
  'dibao', // 低保
  'tekun', // 特困
  'disabled', // 残疾
  'elderly_alone', // 独居老人
  'empty_nest', // 空巢老人
  'aged_80', // 高龄
  'dementia_disabled', // 失能失智
  'serious_illness', // 大病
  'unemployed', // 下岗失业
  'left_behind_child', // 留守儿童
  'child_in_need', // 困境儿童
  'veteran_family', // 优抚对象
  'migrant', // 流动人口
  'rental', // 出租房
  'correction', // 社区矫正
  'released', // 刑满释放
  'mental_illness', // 严重精神障碍
  'drug', // 吸毒
] as const

export const Tag = z.enum(TAGS)
export type Tag = z.infer<typeof Tag>

export const SENSITIVE_TAGS: readonly Tag[] = ['correction', 'released', 'mental_illness', 'drug']

export function isSensitiveTag(tag: Tag): boolean {
  return SENSITIVE_TAGS.includes(tag)
}

/** 关注程度: 一般 / 重点 / 高风险 */
export const Attention = z.enum(['normal', 'key', 'high'])
export type Attention = z.infer<typeof Attention>
