export type KeywordIntent = 'opt_out' | 'opt_in';

/** Twilio's opt-out words plus the Spanish and Portuguese ones aspirants use. */
const OPT_OUT_WORDS: ReadonlySet<string> = new Set([
  'STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'BAJA', 'ALTO', 'PARAR', 'SAIR',
]);
const OPT_IN_WORDS: ReadonlySet<string> = new Set(['START', 'UNSTOP', 'YES']);

/**
 * Whether a message is an opt-out or opt-in keyword. Only a whole message counts ("stop!", "Baja", "SAÍR"),
 * never a word inside a sentence ("don't stop"): case, accents, punctuation and emoji are ignored.
 */
export function classifyKeyword(body: string | null | undefined): KeywordIntent | undefined {
  if (!body) return undefined;
  const word = body
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .trim()
    .toUpperCase();
  if (OPT_OUT_WORDS.has(word)) return 'opt_out';
  if (OPT_IN_WORDS.has(word)) return 'opt_in';
  return undefined;
}
