import { watch } from 'vue'
import { getMeta } from './db/database'
import { db } from './db/instance'
import { useSyncStore } from './stores/sync'
import { useUpdateStore } from './stores/update'

/** Resolves at once on a phone that has synced before ('before'); on a new one, once its first
 *  sync pass has ended, done or failed and waiting to retry ('now'). What can wait for it waits: the service
 *  worker's install downloads the whole app shell, and the words of the other pages are a chunk
 *  of their own — on a new phone both would share the link and the CPU with the login and the
 *  first sync the worker is waiting for (issue 11: about a tenth of a second here, far more on a
 *  phone network). Nothing is given up by waiting: before a first sync the app has nothing to
 *  show offline (logging in needs the server), and Chromium offers to install the app without a
 *  service worker. */
export async function whenDeviceSettled(): Promise<'before' | 'now'> {
  if (await getMeta<string>(db, 'lastSyncAt')) return 'before'
  const sync = useSyncStore()
  await new Promise<void>((resolve) => {
    const stop = watch(
      () => sync.status,
      (s) => {
        // idle before any pass, or syncing: the first pass has not ended yet.
        if (s.lastSyncAt === null && (s.phase === 'idle' || s.phase === 'syncing')) return
        stop()
        resolve()
      },
    )
  })
  return 'now'
}

/** Registers the service worker that precaches the app shell (built by vite-plugin-pwa), so after
 *  one online visit the app opens with no network at all. A new version waits (no skipWaiting)
 *  until the worker agrees and no form holds unsaved input; then it takes over and the page
 *  reloads once. The local database migrates itself on open (Dexie versions), outbox included. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return
  // workbox-window loads after the first screen: it is not needed to show it.
  void import('workbox-window')
    .then(async ({ Workbox }) => {
      const wb = new Workbox('/sw.js', { scope: '/' })
      const updates = useUpdateStore()
      wb.addEventListener('waiting', () => {
        updates.offer(() => {
          wb.addEventListener('controlling', () => window.location.reload())
          wb.messageSkipWaiting()
        })
      })
      await wb.register()
      // Look for a new version when the app comes back to the foreground, and hourly.
      const check = () => void wb.update().catch(() => undefined)
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') check()
      })
      setInterval(check, 3600_000)
    })
    .catch((err: unknown) => console.warn('service worker not registered', err))
}
