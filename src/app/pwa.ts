import { Workbox } from 'workbox-window'

/** Registers the service worker that precaches the app shell (built by vite-plugin-pwa), so
 *  after one online visit the app opens with no network at all. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return
  const wb = new Workbox('/sw.js', { scope: '/' })
  void wb.register().catch((err: unknown) => console.warn('service worker not registered', err))
}
