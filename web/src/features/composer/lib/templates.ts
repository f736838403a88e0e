/** A template's text with its {{n}} placeholders filled in order; unfilled ones stay visible. */
export function fillTemplate(body: string, values: readonly string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (placeholder, position: string) => {
    const value = values[Number(position) - 1]?.trim();
    return value ? value : placeholder;
  });
}

/** The aspirant's first name, as greetings use it. */
export function firstName(aspirant: { readonly fullName: string | null; readonly whatsappName: string | null }): string {
  return (aspirant.fullName ?? aspirant.whatsappName ?? '').trim().split(/\s+/)[0] ?? '';
}
