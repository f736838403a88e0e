import { randomInt } from 'node:crypto';

/**
 * One-time passwords for new accounts, strong enough for any pool policy: 20 characters drawn uniformly
 * (about 120 bits) with at least one of each class Cognito's policy asks for (infra/aws/constructs/auth.ts:
 * lower, upper, digit, symbol). Look-alike characters (0/O, 1/l/I) are left out because admins pass the
 * password on by hand.
 */
const CLASSES = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!@#%&*-_=+?'] as const;
const ALPHABET = CLASSES.join('');
export const TEMPORARY_PASSWORD_LENGTH = 20;

const pick = (characters: string): string => characters[randomInt(characters.length)]!;

export function generateTemporaryPassword(): string {
  const characters = [
    ...CLASSES.map(pick),
    ...Array.from({ length: TEMPORARY_PASSWORD_LENGTH - CLASSES.length }, () => pick(ALPHABET)),
  ];
  // Fisher–Yates, so the guaranteed characters are not always the first four.
  for (let index = characters.length - 1; index > 0; index -= 1) {
    const other = randomInt(index + 1);
    [characters[index], characters[other]] = [characters[other]!, characters[index]!];
  }
  return characters.join('');
}
