import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'

// Decoding runs in a worker thread (imageWorker.ts, through decodeImageOffThread): a 1600 px
// JPEG takes a few hundred milliseconds of pure-JS work that must not stall every other request.

export interface DecodedImage {
  mime: 'image/jpeg' | 'image/png'
  width: number
  height: number
}

/** Bigger than any phone photo the app makes; keeps a decompression bomb from eating memory. */
export const MAX_MEGAPIXELS = 40

const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82])

/** Strips the zero padding some encoders leave after the image's end marker. */
function withoutPadding(b: Buffer): Buffer {
  let end = b.length
  while (end > 0 && b[end - 1] === 0) end--
  return b.subarray(0, end)
}

/** What the bytes really are, decoded whole, whatever the request claimed: a JPEG or PNG that
 *  decodes and ends where the image ends (nothing hidden after it), or null. The app's phones
 *  always send JPEG (src/app/photos/compress.ts). */
export function decodeImage(bytes: Buffer): DecodedImage | null {
  try {
    if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
      const body = withoutPadding(bytes)
      if (body[body.length - 2] !== 0xff || body[body.length - 1] !== 0xd9) return null
      const img = jpeg.decode(bytes, { useTArray: true, tolerantDecoding: false, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 512 })
      return img.width > 0 && img.height > 0 ? { mime: 'image/jpeg', width: img.width, height: img.height } : null
    }
    if (bytes.length > 33 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
      if (!bytes.subarray(bytes.length - PNG_IEND.length).equals(PNG_IEND)) return null
      const width = bytes.readUInt32BE(16)
      const height = bytes.readUInt32BE(20)
      if (width === 0 || height === 0 || width * height > MAX_MEGAPIXELS * 1_000_000) return null
      const img = PNG.sync.read(bytes, { checkCRC: true })
      return { mime: 'image/png', width: img.width, height: img.height }
    }
  } catch {
    // Truncated, corrupt, or only a header in front of something else.
  }
  return null
}
