import { computed, ref } from 'vue'
import type { Tag } from '../../domain'
import { TAG_LABELS_EN } from './tagsEn'
import { zhCN, type Messages } from './zh-CN'

export type Locale = 'zh-CN' | 'en'
// Chinese ships with the app; English is loaded when someone chooses it (keeps the first load small).
const MESSAGES: Partial<Record<Locale, Messages>> = { 'zh-CN': zhCN }
const STORAGE_KEY = 'zoufang.locale'

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN'
}

/** The one home of the UI language: Chinese first, English on request, remembered. */
export const locale = ref<Locale>(initialLocale())

/** Loads a language's messages if needed (English is a separate chunk). */
export async function loadLocale(l: Locale): Promise<void> {
  if (!MESSAGES[l]) MESSAGES[l] = (await import('./en')).en
}

export async function setLocale(l: Locale): Promise<void> {
  await loadLocale(l)
  locale.value = l
  globalThis.localStorage?.setItem(STORAGE_KEY, l)
  if (globalThis.document) document.documentElement.lang = l
}

/** t('status.unsent', {n: 3}) → "3 条未上传". An unknown key shows itself, so a gap is visible. */
export function translate(key: string, params?: Record<string, string | number>, l: Locale = locale.value): string {
  let node: unknown = MESSAGES[l] ?? MESSAGES['zh-CN']
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  if (typeof node !== 'string') return key
  return params ? node.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`)) : node
}

export function useI18n() {
  return { t: translate, locale: computed(() => locale.value), setLocale }
}

/** Every label of a tag in both languages: search finds 低保 by "低保" and by "income". */
export function tagSearchText(tag: string): string {
  return `${translate(`tag.${tag}`, undefined, 'zh-CN')} ${TAG_LABELS_EN[tag as Tag] ?? ''}`.toLowerCase()
}
