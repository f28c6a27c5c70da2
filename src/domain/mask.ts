// Lists show masked values (PIPL 最小必要): 张*明, 138****1234, 370902********1234.
// Full values appear only on a detail page, for a role that needs them.

export function maskName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length <= 1) return chars.join('')
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s|-/g, '')
  if (digits.length === 11 && digits.startsWith('1')) return `${digits.slice(0, 3)}****${digits.slice(7)}`
  if (digits.length <= 4) return '*'.repeat(digits.length)
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`
}

export function maskIdNumber(id: string): string {
  const s = id.trim().toUpperCase()
  if (s.length === 18) return `${s.slice(0, 6)}********${s.slice(14)}`
  if (s.length <= 4) return '*'.repeat(s.length)
  return `${'*'.repeat(s.length - 4)}${s.slice(-4)}`
}
