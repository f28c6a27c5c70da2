import { computed, ref } from 'vue'
import type { Tag } from '../../domain'
// Straight from its module, not the domain's index: language.ts imports nothing, zod least of
// all, so the first screen's bundle stays as small as it was.
import { setDomainLanguage } from '../../domain/language'
import { TAG_LABELS_EN } from './tagsEn'
import { zhCN } from './zh-CN'

export type Locale = 'zh-CN' | 'en'
// Chinese ships with the app, and only the words of the first screen (login, home, what every
// page shows): the rest follows once that screen is up (loadRest), so a new phone's first screen
// carries no words of pages not open yet (issue 11). English is loaded when someone chooses it.
// Looked up by dotted key (translate): the first screen's words, then the rest merged in.
const MESSAGES: Partial<Record<Locale, Record<string, unknown>>> = { 'zh-CN': zhCN }
const REST_LOADED = new Set<Locale>()
let restWanted = false
/** Bumped when words arrive, so what was drawn before them is drawn again. */
const arrived = ref(0)
const STORAGE_KEY = 'zoufang.locale'

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN'
}

/** The one home of the UI language: Chinese first, English on request, remembered. */
export const locale = ref<Locale>(initialLocale())
// The domain's messages (a form's validation, a flow's refusal) speak the UI's language too.
setDomainLanguage(locale.value)

function mergeWords(into: Record<string, unknown>, more: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...into }
  for (const [k, v] of Object.entries(more)) {
    const had = out[k]
    out[k] = typeof had === 'object' && had !== null && typeof v === 'object' ? mergeWords(had as Record<string, unknown>, v as object) : v
  }
  return out
}

async function loadRestOf(l: Locale): Promise<void> {
  if (REST_LOADED.has(l)) return
  const rest = l === 'en' ? (await import('./en.rest')).enRest : (await import('./zh-CN.rest')).zhCNRest
  // Merged in depth: a section may keep a few words on the first screen (map.nav for the bar,
  // campaign.office.link for the home page) and bring the rest with its pages (zh-CN.rest.ts).
  const merged = mergeWords(MESSAGES[l]!, rest)
  MESSAGES[l] = merged
  REST_LOADED.add(l)
  arrived.value++
}

/** Loads a language's messages if needed (English is a separate chunk), and the rest of its
 *  words too once they have been asked for. */
export async function loadLocale(l: Locale): Promise<void> {
  if (!MESSAGES[l]) MESSAGES[l] = (await import('./en')).en
  if (restWanted) await loadRestOf(l)
}

/** The words of every page besides the first screen: asked for right after it is drawn, and
 *  awaited before any other page is entered (router.ts). */
export async function loadRest(): Promise<void> {
  restWanted = true
  await loadLocale(locale.value)
}

export async function setLocale(l: Locale): Promise<void> {
  await loadLocale(l)
  locale.value = l
  setDomainLanguage(l)
  globalThis.localStorage?.setItem(STORAGE_KEY, l)
  if (globalThis.document) document.documentElement.lang = l
}

/** t('status.unsent', {n: 3}) → "3 条未上传". An unknown key shows itself, so a gap is visible. */
export function translate(key: string, params?: Record<string, string | number>, l: Locale = locale.value): string {
  void arrived.value // a dependency: words that arrive later redraw what showed their keys
  let node: unknown = MESSAGES[l] ?? MESSAGES['zh-CN']
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  if (typeof node !== 'string') return key
  return params ? node.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`)) : node
}

/** A date or time as the app's language writes it, whatever language the browser is set to:
 *  "2026年11月21日 14:30" or "21 November 2026, 14:30" (24-hour in both). */
export function formatDate(at: string | number | Date, opts: Intl.DateTimeFormatOptions, l: Locale = locale.value): string {
  void arrived.value
  return new Date(at).toLocaleString(l === 'en' ? 'en-GB' : 'zh-CN', { hour12: false, ...opts })
}

export function useI18n() {
  return { t: translate, locale: computed(() => locale.value), setLocale }
}

/** Every label of a tag in both languages: search finds 低保 by "低保" and by "income". */
export function tagSearchText(tag: string): string {
  return `${translate(`tag.${tag}`, undefined, 'zh-CN')} ${TAG_LABELS_EN[tag as Tag] ?? ''}`.toLowerCase()
}
