import { deflateSync } from 'node:zlib'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { decodeImage, MAX_MEGAPIXELS } from '../../src/server/services/imageDecode'
import { fixturePhoto, realJpeg } from '../support/photos'

// The upload check itself, called in this thread (the server calls it in a worker thread, where
// neither coverage nor Stryker's mutants reach): what decodes as a photo, and what does not.

const jpg = fixturePhoto('stairwell.jpg')
const png = fixturePhoto('stairwell.png')

/** A PNG of width × height whose header says so, for the size checks (not decoded that far). */
function pngHeader(width: number, height: number): Buffer {
  const p = new PNG({ width: 1, height: 1 })
  p.data.fill(255)
  const real = PNG.sync.write(p)
  const out = Buffer.from(real)
  out.writeUInt32BE(width, 16)
  out.writeUInt32BE(height, 20)
  return out
}

describe('decodeImage', () => {
  it('a JPEG and a PNG from Chromium decode, with their size', () => {
    expect(decodeImage(jpg)).toMatchObject({ mime: 'image/jpeg' })
    expect(decodeImage(jpg)!.width).toBeGreaterThan(0)
    const p = decodeImage(png)!
    expect(p.mime).toBe('image/png')
    expect([p.width, p.height]).toEqual([png.readUInt32BE(16), png.readUInt32BE(20)])
    expect(decodeImage(realJpeg(1, 64, 48))).toEqual({ mime: 'image/jpeg', width: 64, height: 48 })
  })

  it('a JPEG header with HTML after it, or anything hidden after the end marker, is no photo', () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>')
    expect(decodeImage(Buffer.concat([jpg.subarray(0, 3), html]))).toBeNull()
    expect(decodeImage(Buffer.concat([jpg, html]))).toBeNull()
    expect(decodeImage(Buffer.concat([png, html]))).toBeNull()
  })

  it('zero padding after the end marker (some encoders leave it) is still the photo', () => {
    expect(decodeImage(Buffer.concat([jpg, Buffer.alloc(16)]))).toMatchObject({ mime: 'image/jpeg' })
  })

  it('a truncated photo, or one with a broken checksum, is no photo', () => {
    expect(decodeImage(jpg.subarray(0, Math.floor(jpg.length / 2)))).toBeNull()
    const cut = Buffer.concat([jpg.subarray(0, jpg.length - 200), Buffer.from([0xff, 0xd9])])
    expect(decodeImage(cut)).toBeNull()
    const broken = Buffer.from(png)
    broken[40] = broken[40]! ^ 0xff
    expect(decodeImage(broken)).toBeNull()
  })

  it('a PNG whose header claims no pixels, or more than the limit, is refused before decoding', () => {
    expect(decodeImage(pngHeader(0, 10))).toBeNull()
    expect(decodeImage(pngHeader(10, 0))).toBeNull()
    const side = Math.ceil(Math.sqrt(MAX_MEGAPIXELS * 1_000_000)) + 1
    expect(decodeImage(pngHeader(side, side))).toBeNull()
  })

  it('bytes too short to be either, empty, or of another kind are no photo', () => {
    expect(decodeImage(Buffer.alloc(0))).toBeNull()
    expect(decodeImage(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull()
    expect(decodeImage(png.subarray(0, 33))).toBeNull()
    expect(decodeImage(fixturePhoto('stairwell.webp'))).toBeNull()
    expect(decodeImage(deflateSync(Buffer.from('not an image')))).toBeNull()
  })
})
