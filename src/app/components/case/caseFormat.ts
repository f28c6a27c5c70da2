// Times as the worker reads them: "2026-11-21 14:30", or "11-21 14:30" within the year.

const pad = (n: number) => String(n).padStart(2, '0')

export function caseTime(at: string | number): string {
  const d = new Date(at)
  const day = `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
  return d.getFullYear() === new Date().getFullYear() ? day : `${d.getFullYear()}-${day}`
}

/** The local calendar day of an instant, "2026-11-21". */
export function localDay(at: string | number): string {
  const d = new Date(at)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
