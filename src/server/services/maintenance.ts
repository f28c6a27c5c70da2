import { existsSync, rmSync } from 'node:fs'
import { findAttachment, purgeUnreferenced } from '../store/attachments'
import { purgeThrottles } from '../store/loginThrottle'
import type { Store } from '../store/open'
import { purgeExpiredSessions } from '../store/sessions'
import { attachmentPath, UNREFERENCED_GRACE_MS } from './attachments'
import { FORGET_AFTER_MS } from './loginThrottle'

export interface MaintenanceReport {
  sessions: number
  throttles: number
  photos: number
}

/** Housekeeping the app runs at start and then hourly: expired sessions, forgotten login
 *  failures, and uploads no record showed within their grace period (row first, file after
 *  the commit, so a crash leaves at worst a stray file, never a row without its file). Safe to
 *  run on several app servers at once: each step only deletes what is already dead. */
export async function runMaintenance(store: Store, attachmentsDir: string, now = new Date()): Promise<MaintenanceReport> {
  const sessions = await purgeExpiredSessions(store, now.toISOString())
  const throttles = await purgeThrottles(store, new Date(now.getTime() - FORGET_AFTER_MS).toISOString())
  const purged = await store.transaction().execute((trx) => purgeUnreferenced(trx, new Date(now.getTime() - UNREFERENCED_GRACE_MS).toISOString()))
  for (const sha of purged) {
    // The same bytes may have been sent again since: then the file is theirs now.
    if (await findAttachment(store, sha)) continue
    const file = attachmentPath(attachmentsDir, sha)
    if (existsSync(file)) rmSync(file, { force: true })
  }
  return { sessions, throttles, photos: purged.length }
}
