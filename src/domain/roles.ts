// The street office's roles, in a module without zod: the app's first screen decides by them
// (router, navigation, sync) before anything loads zod (app/api/answerChecks.ts).

/** 街道: 'street' sees every community's figures and the escalated cases and answers them;
 *  'street_admin' also adds communities and keeps the street office's own accounts. */
export const STREET_ROLES = ['street', 'street_admin'] as const
export type StreetRoleName = (typeof STREET_ROLES)[number]

/** Is this one of the street office's roles (whose user holds no community's records)? */
export const isStreetRole = (role: string | undefined): role is StreetRoleName => (STREET_ROLES as readonly (string | undefined)[]).includes(role)
