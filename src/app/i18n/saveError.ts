import { errorNames, errorText, isQuotaError } from './errorText'
import { translate } from './index'

// A full disk does not announce itself: IndexedDB aborts the transaction, and what reaches the
// app is an AbortError with the QuotaExceededError inside (Dexie's `inner`). Say it plainly, in
// the worker's words, and say what to do. Nothing was written: a transaction is whole or nothing.

export { isQuotaError }

export function describeSaveError(err: unknown): string {
  if (isQuotaError(err)) return translate('saveError.quota')
  const n = errorNames(err)
  if (n.includes('DatabaseClosedError') || n.includes('VersionChangeError')) return translate('saveError.staleTab')
  return translate('saveError.other', { msg: errorText(err) })
}
