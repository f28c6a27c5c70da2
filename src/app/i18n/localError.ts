import { zhCN, type Messages } from './zh-CN'

// A store's (or the outbox's) own refusal, by key: errors.local in zh-CN.ts and en.ts. Free of Vue
// so that sync/ can throw it too; errorText() (errorText.ts) says it in the user's language.

export type LocalErrorKey = keyof Messages['errors']['local']
export type LocalErrorParams = Record<string, string | number>

/** `detail` is a rule's own reason (a domain check's message, a schema's issue), in the language
 *  the domain speaks (domain/language.ts): shown where it is more precise than the key's words,
 *  and never when it is Chinese in the English UI. */
export class LocalError extends Error {
  constructor(
    readonly key: LocalErrorKey,
    readonly params: LocalErrorParams = {},
    readonly detail?: string,
  ) {
    // The message is Chinese, for logs, tests and the Chinese UI; errorText() picks the words.
    super(detail ?? zhCN.errors.local[key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`)))
  }
}
