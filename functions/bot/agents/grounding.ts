import { foldedWords } from '../../knowledge/terms.ts';
import type { Passage } from '../../knowledge/search.ts';
import type { BotLanguage } from '../language.ts';
import { promisesWork } from '../texts.ts';

/**
 * The last check before a model's FAQ answer reaches an aspirant, whatever the model was told or tricked into:
 * the answer must stand on the passages it cites. Returns the problem, or undefined for a grounded answer.
 */
const MAX_FAQ_ANSWER_CHARS = 600;
/** Share of an answer's longer words that must appear in its passages when both are in the same language. */
const MIN_WORD_OVERLAP = 0.6;

const numbersOf = (text: string): string[] => text.match(/\d+(?:[.,]\d+)*/g) ?? [];
const contactsOf = (text: string): string[] =>
  (text.match(/https?:\/\/\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d\s-]{7,}\d/gi) ?? []).map((contact) => contact.replace(/[.,;:)]+$/, '').toLowerCase());

export function groundingProblem(answer: string, cited: readonly Passage[], language: BotLanguage): string | undefined {
  if (cited.length === 0) return 'cites no passage';
  if (answer.length > MAX_FAQ_ANSWER_CHARS) return `longer than ${MAX_FAQ_ANSWER_CHARS} characters`;
  const source = cited.map((passage) => `${passage.heading ?? ''}\n${passage.body}`).join('\n');
  const sourceLower = source.toLowerCase();
  // Figures and contact details are what a model gets wrong or is talked into: each must be in a passage.
  const unbackedNumber = numbersOf(answer).find((number) => !numbersOf(source).includes(number));
  if (unbackedNumber !== undefined) return `states ${unbackedNumber}, which no cited passage does`;
  const unbackedContact = contactsOf(answer).find((contact) => !sourceLower.includes(contact));
  if (unbackedContact !== undefined) return 'gives a link or contact no cited passage gives';
  if (promisesWork(answer) && !promisesWork(source)) return 'promises work, which no cited passage does';
  if (cited.every((passage) => passage.documentLanguage === language)) {
    const sourceWords = new Set(foldedWords(source));
    const answerWords = foldedWords(answer).filter((word) => word.length >= 4);
    const backed = answerWords.filter((word) => sourceWords.has(word)).length;
    if (answerWords.length > 0 && backed / answerWords.length < MIN_WORD_OVERLAP) return 'is not worded from its passages';
  }
  return undefined;
}
