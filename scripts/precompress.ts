import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** What is worth compressing: text the browser downloads. Images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|webmanifest)$/
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 1024

/** Writes `x.br` and `x.gz` beside each text file of the build, at the strongest settings (done
 *  once at build time, not per request). The server sends them with `Content-Encoding` and `Vary`
 *  (@fastify/static's preCompressed); anything without a copy (the service worker, written later
 *  by vite-plugin-pwa) is compressed on the fly by @fastify/compress. The precache's glob patterns
 *  (`*.js`, `*.css` …) do not match `.br`/`.gz`, so the service worker never downloads them twice. */
export function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'zoufang-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    writeBundle(_options, bundle) {
      for (const file of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(file)) continue
        const path = join(outDir, file)
        const bytes = readFileSync(path)
        if (bytes.length < MIN_BYTES) continue
        writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }))
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }))
      }
    },
  }
}
