import { describe, expect, it } from 'vitest';
import { linkSegments } from './SafeText.tsx';

describe('message text with links', () => {
  it('links only http(s) URLs, without trailing punctuation, and keeps everything else as text', () => {
    expect(linkSegments('See https://example.com/a?b=1. Or javascript:alert(1) or data:text/html,<b>x</b>')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: '. Or javascript:alert(1) or data:text/html,<b>x</b>' },
    ]);
  });

  it('leaves markup as the text it is', () => {
    expect(linkSegments('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
    expect(linkSegments('http://"><script>')).toEqual([{ kind: 'text', text: 'http://"><script>' }]);
  });
});
