// Money in words, kept apart from the ledger's counting (matterLedger.ts): the phone's first
// screen names a refused ledger entry by its amount and needs nothing else of it.

/** 1234567 → "¥12,345.67"; negative amounts keep their sign in front. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const whole = Math.floor(abs / 100).toLocaleString('en-US')
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`
}
