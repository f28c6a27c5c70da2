import { useUpdateStore } from './stores/update'

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
