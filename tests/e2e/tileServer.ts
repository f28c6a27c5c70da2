import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { deflateSync } from 'node:zlib'

// A stand-in for a community's own tile server (there is no internet here): GET /{z}/{x}/{y}.png
// answers a small valid 256×256 PNG with CORS open, as a real XYZ server would; anything else 404.
// It counts what it serves, and can be stopped to play "no network".

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A solid 256×256 RGB PNG. */
export function solidPng(rgb: [number, number, number], size = 256): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // colour type: RGB
  const row = Buffer.alloc(1 + size * 3) // filter byte 0, then pixels
  for (let i = 0; i < size; i++) row.set(rgb, 1 + i * 3)
  const raw = Buffer.concat(Array.from({ length: size }, () => row))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

export interface TileServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string
  /** The Leaflet template for this server. */
  template: string
  /** Paths of tiles served (200), in order; a path twice means it was fetched twice. */
  served: string[]
  /** Every request, tiles or not. */
  requests: number
  stop(): Promise<void>
}

export async function startTileServer(): Promise<TileServer> {
  const png = solidPng([232, 240, 226])
  const served: string[] = []
  let requests = 0
  const server: Server = createServer((req, res) => {
    requests++
    const path = (req.url ?? '').split('?')[0] ?? ''
    const m = /^\/(\d{1,2})\/(\d+)\/(\d+)\.png$/.exec(path)
    const cors = { 'access-control-allow-origin': '*' }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET' }).end()
      return
    }
    if (req.method !== 'GET' || !m) {
      res.writeHead(404, { ...cors, 'content-type': 'text/plain' }).end('not a tile')
      return
    }
    const [z, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
    if (x >= 2 ** z || y >= 2 ** z) {
      res.writeHead(404, { ...cors, 'content-type': 'text/plain' }).end('outside the world')
      return
    }
    served.push(path)
    res
      .writeHead(200, {
        ...cors,
        'content-type': 'image/png',
        'content-length': String(png.length),
        // As CDNs often answer; the pack must not store it (the map's CORS <img> sends an Origin
        // the download's stored request did not have).
        vary: 'Origin',
        // Kept out of the browser's HTTP cache: offline, only the service worker can answer.
        'cache-control': 'no-store',
      })
      .end(png)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    template: `${origin}/{z}/{x}/{y}.png`,
    served,
    get requests() {
      return requests
    },
    async stop() {
      if (!server.listening) return
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
