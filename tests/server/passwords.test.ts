import { randomBytes, scryptSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DUMMY_HASH, hashPassword, verifyPassword } from '../../src/server/services/passwords'

// What the users table holds instead of a password, and how a login is checked against it.

/** A stored hash made the long way, with a cost of our choosing. */
function storedWith(password: string, n: number, r: number, p: number): string {
  const salt = randomBytes(16)
  const key = scryptSync(password, salt, 32, { N: n, r, p, maxmem: 128 * 1024 * 1024 })
  return `scrypt$${n}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

describe('password hashes', () => {
  it('are stored as scrypt$N$r$p$salt$hash with a 16-byte salt and a 32-byte key, never the password', async () => {
    const stored = await hashPassword('zoufang-秘密-1')
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(stored).not.toContain('zoufang')
    const [, , , , salt, hash] = stored.split('$')
    // The key is scrypt of the password with that salt at that cost, as any other implementation computes it.
    expect(scryptSync('zoufang-秘密-1', Buffer.from(salt!, 'base64url'), 32, { N: 16384, r: 8, p: 1 }).toString('base64url')).toBe(hash)
  })

  it('salt every hash afresh: the same password twice gives two different hashes, both valid', async () => {
    const a = await hashPassword('same-password')
    const b = await hashPassword('same-password')
    expect(a).not.toBe(b)
    expect(await verifyPassword('same-password', a)).toBe(true)
    expect(await verifyPassword('same-password', b)).toBe(true)
  })

  it('accept the right password only', async () => {
    const stored = await hashPassword('zoufang')
    expect(await verifyPassword('zoufang', stored)).toBe(true)
    for (const wrong of ['Zoufang', 'zoufang ', 'zoufan', '', 'zoufangzoufang']) expect(await verifyPassword(wrong, stored), wrong).toBe(false)
  })

  it('check against the cost written in the stored hash, so a raised cost never locks out old accounts', async () => {
    const cheaper = storedWith('old-account', 1024, 4, 2)
    expect(await verifyPassword('old-account', cheaper)).toBe(true)
    expect(await verifyPassword('other', cheaper)).toBe(false)
    const dearer = storedWith('new-account', 32768, 8, 1)
    expect(await verifyPassword('new-account', dearer)).toBe(true)
  })

  it('refuse (never throw on) a stored value that is not a complete scrypt hash', async () => {
    const good = await hashPassword('zoufang')
    const parts = good.split('$')
    const variants = [
      '',
      'zoufang',
      good.replace(/^scrypt/, 'bcrypt'),
      good.replace(/^scrypt/, 'SCRYPT'),
      ...parts.map((_, i) => parts.map((p, j) => (j === i ? '' : p)).join('$')),
      parts.slice(0, 5).join('$'),
    ]
    for (const stored of variants) expect(await verifyPassword('zoufang', stored), stored).toBe(false)
    // A hash cut short (a damaged row) is a refusal, not a crash.
    expect(await verifyPassword('zoufang', good.slice(0, -4))).toBe(false)
    expect(await verifyPassword('zoufang', `${good}AAAA`)).toBe(false)
  })

  it('fail loudly on a stored cost scrypt cannot use, rather than letting anyone in', async () => {
    await expect(verifyPassword('zoufang', storedWith('zoufang', 1024, 8, 1).replace('$1024$', '$1000$'))).rejects.toThrow()
  })

  it('the stand-in for unknown usernames is a well-formed hash at the real cost (same time to refuse) that matches nothing', async () => {
    const [scheme, n, r, p, salt, hash] = DUMMY_HASH.split('$')
    const real = (await hashPassword('x')).split('$')
    expect([scheme, n, r, p]).toEqual(real.slice(0, 4))
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16)
    expect(Buffer.from(hash!, 'base64url')).toHaveLength(32)
    for (const guess of ['', 'zoufang', 'AAAAAAAA']) expect(await verifyPassword(guess, DUMMY_HASH)).toBe(false)
  })
})
