/** Tags as the tables keep them: null when there are none, so `{}` and "absent" read back alike. */
export function tagsText(tags: Record<string, string> | undefined): string | null {
  return tags && Object.keys(tags).length > 0 ? JSON.stringify(tags) : null;
}

export function tagsOf(text: string | null): Record<string, string> {
  return text ? (JSON.parse(text) as Record<string, string>) : {};
}
