import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cursorId, cursorTimestamp, decodeCursor, encodeCursor, pageSize } from './paging.ts';
import { normalizePhone } from './phone.ts';
import { allowedTransitions, assertTransition, pipelineStatuses } from './pipeline.ts';
import { escapeLike, parseSearchTerm } from './search.ts';

describe('pipeline transitions', () => {
  it('never allows staying put, and every status can be left and reached', () => {
    for (const status of pipelineStatuses) {
      expect(allowedTransitions(status)).not.toContain(status);
      expect(allowedTransitions(status).length).toBeGreaterThan(0);
      expect(pipelineStatuses.some((from) => allowedTransitions(from).includes(status)) || status === 'new').toBe(true);
    }
  });

  it('refuses jumps the pipeline does not allow with a BadRequest naming both ends', () => {
    expect(() => assertTransition('new', 'contacted')).not.toThrow();
    expect(() => assertTransition('new', 'accepted')).toThrow(expect.objectContaining({ name: 'BadRequest', message: expect.stringContaining('NEW to ACCEPTED') }));
    expect(() => assertTransition('accepted', 'new')).toThrow(expect.objectContaining({ name: 'BadRequest' }));
  });
});

describe('phone normalization', () => {
  it('gives E.164 for numbers however they were written', () => {
    expect(normalizePhone('+52 55 3100 0000')).toBe('+525531000000');
    expect(normalizePhone('whatsapp:+5511981000000')).toBe('+5511981000000');
    expect(normalizePhone('(305) 555-0100', 'US')).toBe('+13055550100');
    expect(normalizePhone('310 200 0000', 'CO')).toBe('+573102000000');
  });

  it("drops the mobile '1' WhatsApp still reports for Mexican numbers", () => {
    expect(normalizePhone('+5215531000000')).toBe('+525531000000');
  });

  it('refuses what is not a phone number, without echoing it', () => {
    for (const raw of ['', 'hola', '12345', '+999 123', '3055550100']) {
      expect(() => normalizePhone(raw)).toThrow(expect.objectContaining({ name: 'BadRequest', message: 'phone: not a valid phone number' }));
    }
  });
});

describe('cursors and page sizes', () => {
  const shape = { at: cursorTimestamp, id: cursorId };

  it('round-trips a cursor of its own kind only', () => {
    const key = { at: '2025-03-10T12:00:00.123456Z', id: '2d8b8cae-7f5e-4e3a-9c77-3b4a5f6e7d8c' };
    expect(decodeCursor(encodeCursor('thread', key), 'thread', shape)).toEqual(key);
    expect(() => decodeCursor(encodeCursor('inbox:activity', key), 'thread', shape)).toThrow('invalid cursor');
  });

  it('answers any other string with BadRequest "invalid cursor"', () => {
    fc.assert(
      fc.property(fc.string(), (cursor) => {
        expect(() => decodeCursor(cursor, 'thread', shape)).toThrow(expect.objectContaining({ name: 'BadRequest', message: 'invalid cursor' }));
      }),
    );
  });

  it('takes page sizes from 1 to 100 only', () => {
    expect(pageSize(undefined, 50)).toBe(50);
    expect(pageSize(1, 50)).toBe(1);
    expect(pageSize(100, 50)).toBe(100);
    for (const first of [0, -1, 101, 2.5]) expect(() => pageSize(first, 50)).toThrow(expect.objectContaining({ name: 'BadRequest' }));
  });
});

describe('search terms', () => {
  it('reads digits as a phone suffix and anything else as a lower-cased, LIKE-escaped name prefix', () => {
    expect(parseSearchTerm(' +55 (11) 98-76 ', 'q')).toEqual({ kind: 'phone', reversedDigitsPattern: '67891155%' });
    expect(parseSearchTerm('Ana_50%', 'q')).toEqual({ kind: 'name', prefixPattern: 'ana\\_50\\%%' });
    expect(escapeLike('a\\b')).toBe('a\\\\b');
    expect(() => parseSearchTerm(' ', 'filter.search')).toThrow(expect.objectContaining({ name: 'BadRequest', message: expect.stringContaining('filter.search') }));
  });
});
