import { readFileSync } from 'node:fs'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { precompress } from './scripts/precompress.ts'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

export default defineConfig({
  // ZOUFANG_BUILD_ID marks a build apart from the package version (a deploy, or the update e2e test).
  define: { __APP_VERSION__: JSON.stringify(process.env.ZOUFANG_BUILD_ID ? `${pkg.version}+${process.env.ZOUFANG_BUILD_ID}` : pkg.version) },
  plugins: [
    // https://github.com/vitejs/vite-plugin-vue
    vue(),
    // https://vite-pwa-org.netlify.app/guide/ — generateSW precaches the app shell so the app
    // opens with no network after one online visit. The page registers the worker itself
    // through workbox-window (src/app/pwa.ts).
    VitePWA({
      injectRegister: false,
      registerType: 'prompt',
      manifest: {
        id: '/',
        name: '走访',
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
        categories: ['productivity', 'government'],
        screenshots: [
          { src: '/screenshots/today-narrow.png', sizes: '412x860', type: 'image/png', form_factor: 'narrow', label: '今日走访：逾期、今天和本周到期的住户' },
          { src: '/screenshots/households-wide.png', sizes: '1280x800', type: 'image/png', form_factor: 'wide', label: '住户按楼栋、单元、房号排列' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,ico,webmanifest}'],
        // Install-dialog screenshots are not part of the app shell; nor is the drawing plugin of
        // the admin's register page (online only): no worker's phone downloads it.
        globIgnores: ['screenshots/**', 'assets/leaflet-geoman-*', 'public.html', 'assets/public-*'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/public(\/|$)/],
        // The first install takes the page at once (so the app works offline after one visit);
        // an update waits until the worker agrees and no form is half-filled (src/app/pwa.ts).
        clientsClaim: true,
        skipWaiting: false,
        cleanupOutdatedCaches: true,
        // Map tiles: answered from the offline pack first (src/app/map/tilePack.ts puts each tile
        // into 'zoufang-tiles' under the URL Leaflet asks for), else from the network — and a tile
        // merely viewed is NOT kept: only a pack the worker chose to download is stored, where the
        // provider's terms allow it (OSM's tile policy and AMap's terms forbid keeping tiles for
        // offline use). Precached images (/icons/…) are answered by the precache route, registered
        // first; the matcher leaves the app's own images out anyway, and nothing under /api/ is
        // ever kept here. Written self-contained: workbox-build copies the function's source into sw.js.
        runtimeCaching: [
          {
            urlPattern: ({ request, url, sameOrigin }) =>
              request.destination === 'image' && (!sameOrigin || !/^\/(api|assets|icons|screenshots)\/|^\/favicon\.ico$/.test(url.pathname)),
            handler: 'CacheFirst',
            options: {
              cacheName: 'zoufang-tiles',
              plugins: [{ cacheWillUpdate: async () => null }],
            },
          },
        ],
      },
    }),
    // The public page is not the app: no manifest (Chromium would offer to install 走访 from it),
    // and its Content-Security-Policy allows none.
    {
      name: 'public-page-without-manifest',
      enforce: 'post',
      transformIndexHtml: { order: 'post', handler: (html, ctx) => (ctx.path.endsWith('/public.html') ? html.replace(/\s*<link rel="manifest"[^>]*>/, '') : html) },
    },
    precompress(),
  ],
  // Two pages: the app, and the community's public page (公开, src/public/: no Vue, no zod).
  build: { target: 'es2022', sourcemap: false, rollupOptions: { input: { app: 'index.html', public: 'public.html' } } },
  // `npm run dev`: the API server listens on PORT (8080 by default); Vite proxies /api to it.
  server: { proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 8080}` } },
})
