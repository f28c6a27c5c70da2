import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

// `npm start` builds the PWA only when dist/ is missing or older than its sources, so a
// newcomer's first start builds once and later starts are instant.
const SOURCES = ['src/app', 'src/domain', 'public', 'index.html', 'vite.config.ts', 'package.json']

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

export function needsBuild(root: string): boolean {
  const built = join(root, 'dist', 'index.html')
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  return SOURCES.some((s) => newestMtime(join(root, s)) > builtAt)
}

export function buildPwaIfNeeded(root: string, log: (msg: string) => void): void {
  if (!needsBuild(root)) return
  log('正在构建应用 (building the PWA)…')
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // Always a production build: an inherited NODE_ENV=test (vitest) would compile the service
    // worker registration out of the app.
    env: { ...process.env, NODE_ENV: 'production' },
  })
}
