import { describe, expect, it } from 'vitest';
import { classifyKeyword } from './keywords.ts';

describe('classifyKeyword', () => {
  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'BAJA', 'ALTO', 'PARAR', 'SAIR'])('treats %s as an opt-out', (word) => {
    expect(classifyKeyword(word)).toBe('opt_out');
  });

  it.each(['START', 'UNSTOP', 'YES'])('treats %s as an opt-in', (word) => {
    expect(classifyKeyword(word)).toBe('opt_in');
  });

  it.each(['stop', 'Stop!', '  stop.  ', '¡Baja!', 'SAÍR', 'sáir', 'Parar 🛑', 'ＳＴＯＰ', 'stop\u200b', '"quit"', 'yes!!'])(
    'ignores case, accents, punctuation and emoji in %j',
    (body) => {
      expect(classifyKeyword(body)).toBeDefined();
    },
  );

  it.each(["don't stop", 'please stop writing', 'stop stop', 'stopping', 'yes please', 'the end is near', 'st op', '', '   ', '!!!'])(
    'does not treat %j as a keyword: only the whole message counts',
    (body) => {
      expect(classifyKeyword(body)).toBeUndefined();
    },
  );

  it('has nothing to classify in an empty or missing body', () => {
    expect(classifyKeyword(null)).toBeUndefined();
    expect(classifyKeyword(undefined)).toBeUndefined();
  });
});
