// 需求类别: one list for needs, what resources offer and the service menu (三张清单). Kept free
// of zod, like errorCodes.ts: the household page and the menu show the labels without loading the
// schema library; schemas/lists.ts builds the enum from it. Append new categories at the end and
// never rename an id: needs, offers and point rules already stored carry them.

export const NEED_CATEGORIES = [
  { id: 'elderly_care', zh: '养老照护', en: 'Elderly care' },
  { id: 'meals', zh: '助餐', en: 'Meals' },
  { id: 'medical', zh: '助医', en: 'Medical help' },
  { id: 'disability', zh: '助残', en: 'Disability support' },
  { id: 'employment', zh: '就业', en: 'Employment' },
  { id: 'legal', zh: '法律咨询', en: 'Legal advice' },
  { id: 'counseling', zh: '心理疏导', en: 'Counselling' },
  { id: 'childcare', zh: '儿童托管', en: 'Childcare' },
  { id: 'elevator', zh: '加装电梯', en: 'Elevator retrofit' },
  { id: 'parking', zh: '停车', en: 'Parking' },
  { id: 'environment', zh: '环境整治', en: 'Environment' },
  { id: 'culture', zh: '文体活动', en: 'Culture and sports' },
  { id: 'other', zh: '其他', en: 'Other' },
] as const

export type NeedCategory = (typeof NEED_CATEGORIES)[number]['id']

export const NEED_CATEGORY_IDS = NEED_CATEGORIES.map((c) => c.id) as unknown as readonly [NeedCategory, ...NeedCategory[]]

export function isNeedCategory(value: unknown): value is NeedCategory {
  return typeof value === 'string' && (NEED_CATEGORY_IDS as readonly string[]).includes(value)
}

const ZH = new Map<string, string>(NEED_CATEGORIES.map((c) => [c.id, c.zh]))

/** 助餐 for 'meals'; the id itself for one this version does not know. */
export function needCategoryZh(id: string): string {
  return ZH.get(id) ?? id
}
