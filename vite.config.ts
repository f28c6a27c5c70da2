import { readFileSync } from 'node:fs'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  plugins: [
    // https://github.com/vitejs/vite-plugin-vue
    vue(),
    // https://vite-pwa-org.netlify.app/guide/ — generateSW precaches the app shell so the app
    // opens with no network after one online visit. The page registers the worker itself
    // through workbox-window (src/app/pwa.ts).
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: {
        name: '走访 Zoufang',
        short_name: '走访',
        description: '网格员入户走访、民情日志与问题闭环 — offline-first visits for community grid workers',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#b4232a',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,ico,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true,
        // Map tiles, cache first: the offline pack (src/app/map/tilePack.ts puts each tile into
        // 'zoufang-tiles' under the URL Leaflet asks for) answers the map with no network. A tile
        // not in the pack is fetched and kept too (an <img> without crossorigin gets an opaque
        // answer, status 0, which Chromium counts as ~9.5 MB of quota; MapView asks with
        // crossOrigin, so its tiles are 200s). Precached images (/icons/…) are answered by the
        // precache route, registered first; the matcher leaves the app's own images out anyway,
        // and nothing under /api/ is ever kept here. Written self-contained: workbox-build copies
        // the function's source into sw.js.
        runtimeCaching: [
          {
            urlPattern: ({ request, url, sameOrigin }) =>
              request.destination === 'image' && (!sameOrigin || !/^\/(api|assets|icons)\/|^\/favicon\.ico$/.test(url.pathname)),
            handler: 'CacheFirst',
            options: {
              cacheName: 'zoufang-tiles',
              cacheableResponse: { statuses: [0, 200] },
              // Generous: a pack is at most 20,000 tiles. No maxAgeSeconds: a pack must not expire
              // under a worker who is offline. On a quota error the tiles go first (they can be
              // downloaded again; visits in IndexedDB cannot) — Settings then says the pack is gone.
              expiration: { maxEntries: 30_000, purgeOnQuotaError: true },
            },
          },
        ],
      },
    }),
  ],
  build: { target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
})
