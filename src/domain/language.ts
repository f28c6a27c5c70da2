// The language the domain's own messages are said in: validation messages of the schemas, the
// refusals of the flows (caseFlow, needFlow, matterFlow …), the register import's row errors.
// Chinese unless told otherwise. The server never changes it: it answers in the community's
// language, and the app's errorText maps the server's codes to the user's language. The app sets
// it with the UI language (src/app/i18n/index.ts), so a form checked on the phone speaks English
// in the English UI.
// No imports, zod least of all: the app's first screen loads this, and has a byte budget.

export type DomainLanguage = 'zh-CN' | 'en'

let current: DomainLanguage = 'zh-CN'

export function setDomainLanguage(l: DomainLanguage): void {
  current = l
}

export function domainLanguage(): DomainLanguage {
  return current
}

/** A message in both languages, said when it is read, not when it is written: the schemas are
 *  built once at import, before anyone chose a language. zod takes it as it is
 *  (`{ error: say(…) }`, evaluated at parse time); where a string is wanted now (an issue pushed
 *  in a check, a flow's refusal), call it: `say(…)()`. Parameters are plain interpolation in both
 *  texts: `say(`「${label}」必须填写`, `"${label}" is required`)`. */
export function say(zh: string, en: string): () => string {
  return () => (current === 'en' ? en : zh)
}
