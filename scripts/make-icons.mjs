// Draws the app icons (a white house with a door on red) as PNGs with nothing but zlib, so
// they can be remade on any machine: node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const RED = [180, 35, 42]
const WHITE = [255, 255, 255]

function crc32(buf) {
  let c, crc = 0xffffffff
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    crc = (crc >>> 8) ^ c
  }
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

function png(size, pixel) {
  const raw = Buffer.alloc((size * 3 + 1) * size)
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel(x / size, y / size)
      const o = y * (size * 3 + 1) + 1 + x * 3
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

/** A house: roof triangle and body, with a red door; `pad` shrinks it into the maskable safe zone. */
function house(pad) {
  const s = (v) => pad + v * (1 - 2 * pad)
  return (x, y) => {
    const roof = y >= s(0.2) && y <= s(0.45) && Math.abs(x - 0.5) <= ((y - s(0.2)) / (s(0.45) - s(0.2))) * (s(0.82) - 0.5)
    const body = y > s(0.45) && y <= s(0.8) && x >= s(0.28) && x <= s(0.72)
    const door = y > s(0.6) && y <= s(0.8) && x >= s(0.45) && x <= s(0.55)
    return (roof || body) && !door ? WHITE : RED
  }
}

mkdirSync('public/icons', { recursive: true })
writeFileSync('public/icons/icon-192.png', png(192, house(0.05)))
writeFileSync('public/icons/icon-512.png', png(512, house(0.05)))
writeFileSync('public/icons/icon-maskable-512.png', png(512, house(0.18)))
writeFileSync('public/icons/apple-touch-icon.png', png(180, house(0.1)))
// favicon.ico holding one 48×48 PNG
const fav = png(48, house(0.05))
const header = Buffer.alloc(22)
header.writeUInt16LE(0, 0); header.writeUInt16LE(1, 2); header.writeUInt16LE(1, 4)
header[6] = 48; header[7] = 48; header[8] = 0; header[9] = 0
header.writeUInt16LE(1, 10); header.writeUInt16LE(32, 12)
header.writeUInt32LE(fav.length, 14); header.writeUInt32LE(22, 18)
writeFileSync('public/favicon.ico', Buffer.concat([header, fav]))
writeFileSync(
  'public/icons/icon.svg',
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="18" fill="#b42329"/><path d="M50 20 82 45H72v35H28V45H18z" fill="#fff"/><rect x="45" y="60" width="10" height="20" fill="#b42329"/></svg>\n`,
)
writeFileSync('public/robots.txt', 'User-agent: *\nDisallow: /\n')
console.log('icons written to public/')
