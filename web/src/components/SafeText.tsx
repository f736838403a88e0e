/**
 * Text from aspirants (or anyone) as text: React escapes every character, nothing is parsed as HTML, and
 * only http(s) URLs become links, opened in a new tab without a referrer or a handle back to the console.
 */
const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

export type TextSegment = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly text: string; readonly href: string };

export function linkSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let position = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const candidate = match[0].replace(TRAILING_PUNCTUATION, '');
    const href = safeHref(candidate);
    if (href === null) continue;
    if (match.index > position) segments.push({ kind: 'text', text: text.slice(position, match.index) });
    segments.push({ kind: 'link', text: candidate, href });
    position = match.index + candidate.length;
  }
  if (position < text.length) segments.push({ kind: 'text', text: text.slice(position) });
  return segments;
}

function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function SafeText({ text, className }: { readonly text: string; readonly className?: string }) {
  return (
    <span className={className}>
      {linkSegments(text).map((segment, index) =>
        segment.kind === 'text' ? (
          segment.text
        ) : (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ),
      )}
    </span>
  );
}
