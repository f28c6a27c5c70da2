/** The messages of a failed parse, for `toContain` assertions. */
export function messagesOf(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  if (result.success) return []
  return result.error!.issues.map((i) => i.message)
}
