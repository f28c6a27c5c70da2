import { translate } from './index'

// A full disk does not announce itself: IndexedDB aborts the transaction, and what reaches the
// app is an AbortError with the QuotaExceededError inside (Dexie's `inner`). Say it plainly, in
// the worker's words, and say what to do. Nothing was written: a transaction is whole or nothing.

function names(err: unknown): string[] {
  const out: string[] = []
  let e = err as { name?: string; inner?: unknown; cause?: unknown } | undefined
  for (let i = 0; e && i < 5; i++) {
    if (e.name) out.push(e.name)
    e = (e.inner ?? e.cause) as typeof e
  }
  return out
}

export function isQuotaError(err: unknown): boolean {
  // Firefox names it differently.
  return names(err).some((n) => n === 'QuotaExceededError' || n === 'NS_ERROR_DOM_QUOTA_REACHED')
}

export function describeSaveError(err: unknown): string {
  if (isQuotaError(err)) return translate('saveError.quota')
  const n = names(err)
  if (n.includes('DatabaseClosedError') || n.includes('VersionChangeError')) return translate('saveError.staleTab')
  return translate('saveError.other', { msg: (err as Error)?.message ?? String(err) })
}
