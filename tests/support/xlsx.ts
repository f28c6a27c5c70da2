import { deflateRawSync, inflateRawSync } from 'node:zlib'

// An .xlsx is a zip of XML files. Tests read them (sheet names, widths, formats) and write them
// back the way other programs do: entries stored or deflated, extra fields, comments, another order.

export interface ZipEntry {
  name: string
  data: Buffer
}

/** The entries of a zip, in central-directory order. */
export function unzip(buf: Buffer): ZipEntry[] {
  const out: ZipEntry[] = []
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  if (eocd < 0) throw new Error('not a zip')
  let p = buf.readUInt32LE(eocd + 16)
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(start, start + size)
    out.push({ name, data: method === 8 ? inflateRawSync(data) : Buffer.from(data) })
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32)
  }
  return out
}

/** The text files of an .xlsx by name. */
export function xlsxFiles(buf: Buffer): Map<string, string> {
  return new Map(unzip(buf).map((e) => [e.name, e.data.toString('utf8')]))
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(data: Buffer): number {
  let c = 0xffffffff
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

export interface ZipOptions {
  /** Store entries uncompressed (method 0) instead of deflating them. */
  stored?: boolean
  /** An extended-timestamp extra field on every local and central header. */
  extraFields?: boolean
  /** A comment on every entry and one on the archive. */
  comments?: boolean
}

/** Writes a zip the way other programs do. */
export function zip(entries: ZipEntry[], options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  const extra = () => {
    if (!options.extraFields) return Buffer.alloc(0)
    const e = Buffer.alloc(9)
    e.writeUInt16LE(0x5455, 0)
    e.writeUInt16LE(5, 2)
    e.writeUInt8(1, 4)
    e.writeUInt32LE(1_700_000_000, 5)
    return e
  }
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8')
    const method = options.stored ? 0 : 8
    const body = options.stored ? data : deflateRawSync(data)
    const crc = crc32(data)
    const localExtra = extra()
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt16LE(0, 10)
    local.writeUInt16LE(0x21, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    local.writeUInt16LE(localExtra.length, 28)
    locals.push(local, nameBytes, localExtra, body)

    const centralExtra = extra()
    const comment = Buffer.from(options.comments ? `保存自另一个程序 ${name}` : '', 'utf8')
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt16LE(0, 12)
    central.writeUInt16LE(0x21, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt16LE(centralExtra.length, 30)
    central.writeUInt16LE(comment.length, 32)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, nameBytes, centralExtra, comment)
    offset += 30 + nameBytes.length + localExtra.length + body.length
  }
  const cd = Buffer.concat(centrals)
  const archiveComment = Buffer.from(options.comments ? 'WPS Office 另存为' : '', 'utf8')
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  end.writeUInt16LE(archiveComment.length, 20)
  return Buffer.concat([...locals, cd, end, archiveComment])
}
