// npm run dev: the API server (with a demo community in ./data) and Vite's dev server with hot
// reload, which proxies /api to it. Open the URL Vite prints. Ctrl-C stops both.
import { spawn } from 'node:child_process'

const procs = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'src/server/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, ZOUFANG_SKIP_BUILD: '1' },
  }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js'], { stdio: 'inherit' }),
]
const stop = () => {
  for (const p of procs) p.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const p of procs) p.on('exit', stop)
