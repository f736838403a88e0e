import { describe, expect, it } from 'vitest';
import { hostMatches, parseHostPattern } from './hostPatterns.ts';

const matches = (pattern: string, url: string) => hostMatches(parseHostPattern(pattern), new URL(url));

describe('media host patterns', () => {
  it('match a host exactly, case-insensitively, on the default port only unless a port is given', () => {
    expect(matches('api.twilio.com', 'https://API.twilio.com/x')).toBe(true);
    expect(matches('api.twilio.com', 'https://api.twilio.com:8443/x')).toBe(false);
    expect(matches('api.twilio.com', 'https://api.twilio.com.evil.example/x')).toBe(false);
    expect(matches('127.0.0.1:4100', 'http://127.0.0.1:4100/x')).toBe(true);
    expect(matches('127.0.0.1:4100', 'http://127.0.0.1:4101/x')).toBe(false);
  });

  it('let a wildcard match subdomains but not the domain itself or look-alikes', () => {
    expect(matches('*.twiliocdn.com', 'https://mms.twiliocdn.com/x')).toBe(true);
    expect(matches('*.twiliocdn.com', 'https://twiliocdn.com/x')).toBe(false);
    expect(matches('*.twiliocdn.com', 'https://eviltwiliocdn.com/x')).toBe(false);
  });

  it('refuse entries that are not bare host names or wildcards over too little', () => {
    for (const entry of ['https://api.twilio.com', 'api.twilio.com/media', 'user@api.twilio.com', '*.com', '*', '*.10.0.0.1', 'a.*.com']) {
      expect(() => parseHostPattern(entry), entry).toThrow(TypeError);
    }
  });
});
