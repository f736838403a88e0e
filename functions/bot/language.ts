import { fold } from '../knowledge/terms.ts';

/** The languages the bot speaks; aspirants.language and bot_texts.language use the same codes. */
export const botLanguages = ['es', 'en', 'pt'] as const;
export type BotLanguage = (typeof botLanguages)[number];

export const isBotLanguage = (value: unknown): value is BotLanguage => botLanguages.includes(value as BotLanguage);

// Words frequent in short chat messages of one language and rare in the other two. Each hit is a vote.
const markers: Readonly<Record<BotLanguage, ReadonlySet<string>>> = {
  es: new Set([
    'hola', 'gracias', 'quiero', 'tengo', 'puedo', 'pueden', 'estoy', 'soy', 'buenas', 'buenos', 'dias', 'tardes',
    'noches', 'como', 'donde', 'cuando', 'cuanto', 'cuanta', 'porque', 'pero', 'muy', 'yo', 'usted', 'ustedes',
    'necesito', 'trabajo', 'ahora', 'tambien', 'informacion', 'mañana', 'sabados', 'domingos', 'lunes', 'martes',
    'miercoles', 'jueves', 'viernes', 'el', 'los', 'las', 'del', 'una', 'hay', 'sí', 'ya', 'llego', 'enlace',
    'ficha', 'fotos', 'agencia', 'con', 'hablar', 'persona', 'reclutador', 'ayuda', 'favor', 'quisiera', 'mi',
  ]),
  en: new Set([
    'hi', 'hello', 'hey', 'thanks', 'thank', 'you', 'want', 'have', 'can', 'could', 'would', 'the', 'is', 'are',
    'am', 'my', 'what', 'where', 'when', 'how', 'much', 'please', 'yes', 'work', 'job', 'link', 'form', 'photos',
    'agency', 'talk', 'to', 'with', 'someone', 'recruiter', 'available', 'saturday', 'saturdays', 'sunday',
    'monday', 'mornings', 'afternoons', 'evenings', 'and', 'i', 'it', 'do', 'does', 'of', 'in', 'on', 'good',
    'morning', 'afternoon', 'evening', 'need', 'help', 'there', 'this', 'that', 'not', "don't", "i'm",
  ]),
  pt: new Set([
    'ola', 'olá', 'oi', 'obrigado', 'obrigada', 'quero', 'tenho', 'posso', 'podem', 'estou', 'sou', 'bom', 'boa',
    'dia', 'tarde', 'noite', 'como', 'onde', 'quando', 'quanto', 'porque', 'mas', 'muito', 'eu', 'você', 'voce',
    'vocês', 'preciso', 'trabalho', 'agora', 'também', 'informação', 'amanhã', 'sábados', 'domingos', 'segunda',
    'terça', 'quarta', 'quinta', 'sexta', 'o', 'os', 'as', 'do', 'da', 'dos', 'das', 'um', 'uma', 'não', 'sim',
    'já', 'chegou', 'fotos', 'agência', 'com', 'falar', 'pessoa', 'recrutador', 'ajuda', 'favor', 'meu', 'minha',
  ]),
};

// Letters one language uses and the others do not.
const letterMarkers: ReadonlyArray<readonly [RegExp, BotLanguage]> = [
  [/[ñ¿¡]/u, 'es'],
  [/[ãõç]|ções|ção/u, 'pt'],
];

/**
 * The language of a chat message, or undefined when the message gives no clear signal (a single "ok", an
 * emoji, a tie). Deterministic: votes of marker words and letters, the winner needs a strict majority over the
 * runner-up.
 */
export function detectLanguage(text: string | null | undefined): BotLanguage | undefined {
  if (!text) return undefined;
  const lower = text.toLowerCase();
  const votes: Record<BotLanguage, number> = { es: 0, en: 0, pt: 0 };
  for (const [pattern, language] of letterMarkers) if (pattern.test(lower)) votes[language] += 2;
  const words = lower.match(/[\p{L}']+/gu) ?? [];
  for (const word of words) {
    for (const language of botLanguages) {
      if (markers[language].has(word) || markers[language].has(fold(word))) votes[language] += 1;
    }
  }
  const ranked = [...botLanguages].sort((a, b) => votes[b] - votes[a]);
  const [first, second] = ranked as [BotLanguage, BotLanguage];
  return votes[first] > 0 && votes[first] > votes[second] ? first : undefined;
}
