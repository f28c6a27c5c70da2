import { computed, ref } from 'vue'
import { en } from './en'
import { zhCN, type Messages } from './zh-CN'

export type Locale = 'zh-CN' | 'en'
const MESSAGES: Record<Locale, Messages> = { 'zh-CN': zhCN, en }
const STORAGE_KEY = 'zoufang.locale'

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN'
}

/** The one home of the UI language: Chinese first, English on request, remembered. */
export const locale = ref<Locale>(initialLocale())

export function setLocale(l: Locale): void {
  locale.value = l
  globalThis.localStorage?.setItem(STORAGE_KEY, l)
  if (globalThis.document) document.documentElement.lang = l
}

/** t('status.unsent', {n: 3}) → "3 条未上传". An unknown key shows itself, so a gap is visible. */
export function translate(key: string, params?: Record<string, string | number>, l: Locale = locale.value): string {
  let node: unknown = MESSAGES[l]
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  if (typeof node !== 'string') return key
  return params ? node.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`)) : node
}

export function useI18n() {
  return { t: translate, locale: computed(() => locale.value), setLocale }
}

/** Every label of a tag in both languages: search finds 低保 by "低保" and by "income". */
export function tagSearchText(tag: string): string {
  return `${translate(`tag.${tag}`, undefined, 'zh-CN')} ${translate(`tag.${tag}`, undefined, 'en')}`.toLowerCase()
}
