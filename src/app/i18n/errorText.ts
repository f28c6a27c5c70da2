import type { ApiError } from '../../domain'
import { ApiFailure } from '../api/client'
import { locale, translate } from './index'
import { LocalError } from './localError'

// What a page says when something failed, in the user's language. Three kinds of failure reach
// a page: a server's refusal (an ApiFailure with the stable code of src/domain/errorCodes.ts, or
// a refused change's stored `{ code, message }`), an online call that failed on the way (its
// kind: network, timeout …), and a store's own refusal (a LocalError with its key). In Chinese
// the most specific words win — the server's message, a rule's reason, all Chinese already; in
// English the code, the kind or the key says it, in English, and never a Chinese message.

/** The names of an error and of those inside it (Dexie's `inner`, a `cause`). */
export function errorNames(err: unknown): string[] {
  const out: string[] = []
  let e = err as { name?: string; inner?: unknown; cause?: unknown } | undefined
  for (let i = 0; e && i < 5; i++) {
    if (e.name) out.push(e.name)
    e = (e.inner ?? e.cause) as typeof e
  }
  return out
}

/** A full disk: IndexedDB aborts with the QuotaExceededError inside (saveError.ts says more). */
export function isQuotaError(err: unknown): boolean {
  // Firefox names it differently.
  return errorNames(err).some((n) => n === 'QuotaExceededError' || n === 'NS_ERROR_DOM_QUOTA_REACHED')
}

const CJK = /[\u3000-\u9fff\uff00-\uffef]/

const isApiError = (e: unknown): e is ApiError =>
  typeof e === 'object' && e !== null && !(e instanceof Error) && typeof (e as ApiError).code === 'string' && typeof (e as ApiError).message === 'string'

/** One failure as the user reads it. Takes anything a catch may hold, and a stored refusal. */
export function errorText(err: unknown): string {
  if (isQuotaError(err)) return translate('saveError.quota')
  if (locale.value === 'zh-CN') {
    // Every message of ours is Chinese: the server's, the engine's, a store's, a rule's.
    if (isApiError(err)) return err.message
    return err instanceof Error ? err.message : String(err ?? '')
  }
  // A rule's own reason is said in the UI's language now (domain/language.ts): the more precise
  // words, unless it is still Chinese (a text the domain keeps in Chinese).
  if (err instanceof LocalError) return err.detail && !CJK.test(err.detail) ? err.detail : translate(`errors.local.${err.key}`, err.params)
  if (err instanceof ApiFailure) return translate(err.apiError ? `errors.code.${err.apiError.code}` : `errors.kind.${err.kind}`)
  if (isApiError(err)) return translate(`errors.code.${err.code}`)
  // Anything else (a bug, the browser's own words): its message only when it is not Chinese.
  const msg = err instanceof Error ? err.message : String(err ?? '')
  return CJK.test(msg) || !msg ? translate('errors.unexpected') : `${translate('errors.unexpected')}: ${msg}`
}
