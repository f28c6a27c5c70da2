import { existsSync, rmSync } from 'node:fs'
import { findAttachment, purgeUnreferenced } from '../store/attachments'
import { purgePublicHits } from '../store/directory'
import { purgeThrottles } from '../store/loginThrottle'
import type { Deployment } from '../deployment'
import { purgeExpiredSessions } from '../store/sessions'
import { attachmentPath, UNREFERENCED_GRACE_MS } from './attachments'
import { FORGET_AFTER_MS } from './loginThrottle'

export interface MaintenanceReport {
  sessions: number
  throttles: number
  photos: number
}

/** Housekeeping the app runs at start and then hourly, in every community's store: expired
 *  sessions, forgotten login failures, and uploads no record showed within their grace period
 *  (row first, file after the commit, so a crash leaves at worst a stray file, never a row
 *  without its file). Photo files are kept by their bytes' hash in one folder for the whole
 *  deployment: a file goes only when no community holds its row. Safe to run on several app
 *  servers at once: each step only deletes what is already dead. */
export async function runMaintenance(deployment: Deployment, attachmentsDir: string, now = new Date()): Promise<MaintenanceReport> {
  const report: MaintenanceReport = { sessions: 0, throttles: 0, photos: 0 }
  const stores = await Promise.all(deployment.communities().map((c) => deployment.storeOf(c.key)))
  const purged = new Set<string>()
  for (const store of stores) {
    report.sessions += await purgeExpiredSessions(store, now.toISOString())
    report.throttles += await purgeThrottles(store, new Date(now.getTime() - FORGET_AFTER_MS).toISOString())
    for (const sha of await store.transaction().execute((trx) => purgeUnreferenced(trx, new Date(now.getTime() - UNREFERENCED_GRACE_MS).toISOString()))) purged.add(sha)
  }
  // The public page's counts of minutes long gone.
  await purgePublicHits(deployment.main, new Date(now.getTime() - 5 * 60_000).toISOString())
  for (const sha of purged) {
    report.photos++
    // The same bytes may have been sent again since, or be another community's too: then the file is theirs.
    if ((await Promise.all(stores.map((s) => findAttachment(s, sha)))).some(Boolean)) continue
    const file = attachmentPath(attachmentsDir, sha)
    if (existsSync(file)) rmSync(file, { force: true })
  }
  return report
}
