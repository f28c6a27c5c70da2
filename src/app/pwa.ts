/** Registers the service worker that precaches the app shell (built by vite-plugin-pwa), so
 *  after one online visit the app opens with no network at all. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return
  // workbox-window loads after the first screen: it is not needed to show it.
  void import('workbox-window').then(({ Workbox }) => {
    const wb = new Workbox('/sw.js', { scope: '/' })
    return wb.register()
  }).catch((err: unknown) => console.warn('service worker not registered', err))
}
