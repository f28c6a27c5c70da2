import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import jpeg from 'jpeg-js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'photos')

/** Photos encoded by Chromium's own canvas (the encoder a phone running the app uses). */
export const fixturePhoto = (name: 'stairwell.jpg' | 'stairwell.png' | 'stairwell.webp') => readFileSync(join(FIXTURES, name))

/** A real JPEG that decodes, different for every seed (so each has its own hash). */
export function realJpeg(seed: number, width = 64, height = 48): Buffer {
  const data = Buffer.alloc(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = (i * 7 + seed * 31) & 255
    data[i * 4 + 1] = (i * 3 + seed * 17) & 255
    data[i * 4 + 2] = (seed * 101 + (i >> 6)) & 255
    data[i * 4 + 3] = 255
  }
  return jpeg.encode({ width, height, data }, 85).data
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
