// The in-page bench (bench/browser/entry.ts), built once and served under /__bench/ on the app's
// own origin, so its code reads and writes the same IndexedDB as the app.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import type { CDPSession, Page } from 'playwright-core'
import { build } from 'vite'

const ROOT = resolve(import.meta.dirname, '..')
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

export async function buildBenchPage(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'zoufang-bench-'))
  await build({
    root: join(ROOT, 'bench', 'browser'),
    base: '/__bench/',
    configFile: false,
    logLevel: 'warn',
    plugins: [vue()],
    define: { __APP_VERSION__: '"bench"' },
    build: { outDir, emptyOutDir: true },
  })
  return outDir
}

/** Opens the bench page on `origin` and waits until its functions are on window.bench. Once the
 *  app's service worker controls the origin it would answer this navigation with the app's own
 *  index.html (navigateFallback), so pass the page's CDP session to bypass it. */
export async function openBenchPage(page: Page, origin: string, outDir: string, bypassServiceWorker?: CDPSession): Promise<void> {
  await page.route('**/__bench/**', (route) => {
    const path = new URL(route.request().url()).pathname.replace('/__bench/', '') || 'index.html'
    void route.fulfill({ body: readFileSync(join(outDir, path)), contentType: TYPES[extname(path)] ?? 'application/octet-stream' })
  })
  if (bypassServiceWorker) await bypassServiceWorker.send('Network.setBypassServiceWorker', { bypass: true })
  await page.goto(`${origin}/__bench/index.html`)
  await page.waitForFunction(() => document.title === 'ready')
}
