import type { z } from 'zod'
import { LocalError } from '../i18n/localError'

// A change the device refuses before queueing it, in the schema's own words: each message once,
// joined as the forms show them.

export function issuesText(error: z.ZodError): string {
  return [...new Set(error.issues.map((i) => i.message))].join('；')
}

export function refused(error: z.ZodError): Error {
  return new LocalError('invalid', {}, issuesText(error))
}
