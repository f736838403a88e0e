import { foldedWords, fold, matchesTerm, questionConcepts, type Term } from '../knowledge/terms.ts';
import type { AnswerRequest, AnswerResult, Intent, IntentRequest, IntentResult, LlmProvider } from './provider.ts';

/**
 * The deterministic provider, the embedded default: intent rules over the folded message in es/en/pt, and
 * answers that are sentences quoted from the best-matching passage. Same input, same output, no network.
 */

// Each rule adds its weight to one intent when it matches the folded text (lower case, no accents).
const RULES: ReadonlyArray<readonly [Intent, number, RegExp]> = [
  // Wants no more messages, in words rather than the STOP keyword (ingestion handles the keywords).
  ['opt_out', 3, /\b(no|nao) (me )?(escriban|escribas|manden|mandes|envien|envies|contacten|molesten|mandem|enviem|escrevam|mande)\b.*\b(mas|mais)\b/],
  ['opt_out', 3, /\bdej(en|a|ar) de (escribirme|mandarme|enviarme|contactarme|molestarme)\b/],
  ['opt_out', 3, /\bno quiero (recibir )?(mas )?mensajes\b|\bdar(me|se)? de baja\b|\bno me interesa\b/],
  ['opt_out', 3, /\bstop (messaging|texting|writing to|contacting) me\b|\bdon'?t (message|text|contact|write to) me\b|\bunsubscribe\b|\bno more messages\b|\bnot interested\b|\bremove me\b/],
  ['opt_out', 3, /\bpar(e|em|ar) de me (mandar|enviar|escrever)\b|\bnao quero (mais )?(receber )?mensagens\b|\bdescadastr|\bnao (tenho|estou) interessad/],
  // Wants a person.
  ['human', 3, /\b(hablar|comunicarme|contactar|charlar) con (una |un |alguna |algun )?(persona|humano|reclutador|reclutadora|asesor|asesora|agente|alguien)\b/],
  ['human', 3, /\b(talk|speak|chat) (to|with) (a |an |some |a real )?(human|person|recruiter|agent|someone|somebody|people)\b/],
  ['human', 3, /\bfalar com (um |uma |algum |alguma )?(pessoa|humano|recrutador|recrutadora|atendente|alguem)\b/],
  ['human', 3, /\b(reclutador|reclutadora|recruiter|recrutador|recrutadora|atendente|persona real|real person|human being|pessoa real)\b/],
  ['human', 2, /\bllam(a|e|en)me\b|\bcall me\b|\bme (liga|ligue|liguem)\b/],
  // Availability: days and times of day.
  ['scheduling', 2, /\b(lunes|martes|miercoles|jueves|viernes|sabados?|domingos?|fin(es)? de semana|entre semana|todos los dias)\b/],
  ['scheduling', 2, /\b(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekends?|weekdays|every day)\b/],
  ['scheduling', 2, /\b(segundas?|tercas?|quartas?|quintas?|sextas?)(-feiras?)?\b|\bfi(m|ns) de semana\b|\bdias uteis\b|\btodos os dias\b/],
  ['scheduling', 2, /\b(por|en|de) la (manana|tarde|noche)\b|\b(mananas|tardes|noches|madrugadas?)\b|\b(mornings?|afternoons?|evenings?|nights?|overnight)\b|\b(de manha|a tarde|a noite|de noite|manhas|noites)\b/],
  ['scheduling', 1, /\b(disponib\w*|turnos?|shifts?|availab\w*|schedule)\b/],
  // Questions about the agency.
  ['faq', 1, /\?/],
  ['faq', 1, /^(cuanto|cuanta|cuantos|donde|cuando|como|que|cual|quien|how|what|where|when|which|who|is|are|do|does|quanto|quanta|onde|quando|qual|quem)\b/],
  ['faq', 2, /\b(pag\w*|cobr\w*|sueldo|salario|dinero|tarifa|costo|cuesta|precio|gratis|agencia|requisitos?|edad|casting|contrato|ubicad\w*|direccion|oficina|pay\w*|paid|salary|money|fee|cost|price|free|agency|requirements?|age|office|address|located|pagamento|dinheiro|custa|custo|preco|gratuito|idade|endereco|escritorio|cache)\b/],
  // About the application itself: the form, the link, the photos, what comes next.
  ['onboarding', 2, /\b(formulario|ficha|enlace|link|form|fotos?|photos?|pictures?|selfies?|imagen|imagenes|imagem|imagens)\b/],
  ['onboarding', 2, /\b(no (me )?(llego|abre|funciona|carga)|doesn'?t (work|open|load)|did ?n'?t (get|receive)|nao (chegou|abre|funciona|carrega))\b/],
  ['onboarding', 2, /\b(que (sigue|hago|debo hacer)|siguiente paso|next step|what now|what do i do|e agora|proximo passo|o que (eu )?faco)\b/],
  ['onboarding', 1, /^(hola|buenas|buenos dias|hi|hello|hey|oi|ola|bom dia|boa tarde|boa noite)\b/],
];

// When two intents score the same, the more specific one wins.
const PRIORITY: readonly Intent[] = ['opt_out', 'human', 'scheduling', 'faq', 'onboarding', 'other'];

export function classifyByRules(text: string): { intent: Intent; confidence: number } {
  const folded = fold(text).trim();
  const scores = new Map<Intent, number>();
  for (const [intent, weight, pattern] of RULES) if (pattern.test(folded)) scores.set(intent, (scores.get(intent) ?? 0) + weight);
  const best = PRIORITY.filter((intent) => scores.has(intent)).sort((a, b) => scores.get(b)! - scores.get(a)!)[0];
  if (best === undefined) return { intent: 'other', confidence: 0.3 };
  const score = scores.get(best)!;
  return { intent: best, confidence: score >= 4 ? 0.9 : score === 3 ? 0.8 : score === 2 ? 0.7 : 0.55 };
}

const MAX_ANSWER_CHARS = 500;
const sentencesOf = (text: string): string[] => text.replace(/\s+/g, ' ').split(/(?<=[.!?…])\s+/).map((sentence) => sentence.trim()).filter(Boolean);

/** How many of the question's concepts a sentence (with its passage heading) mentions. */
const conceptsMatched = (concepts: readonly (readonly Term[])[], words: readonly string[]): number =>
  concepts.filter((concept) => concept.some((term) => words.some((word) => matchesTerm(word, term)))).length;

/**
 * The best sentence of the passages for the question (and the next one when it is also relevant), quoted,
 * citing its passage. No answer unless the sentence covers at least half of the question's concepts (two
 * concepts always suffice): a passage that only shares a word like "agencia" is not an answer.
 */
export function answerByQuoting(request: AnswerRequest): { text: string; passageId: string } | undefined {
  const concepts = questionConcepts(request.question);
  if (concepts.length === 0) return undefined;
  let best: { score: number; passageId: string; sentences: string[]; index: number; headingWords: string[] } | undefined;
  for (const passage of request.passages) {
    const headingWords = foldedWords(passage.heading ?? '');
    const sentences = sentencesOf(passage.body);
    for (const [index, sentence] of sentences.entries()) {
      const score = conceptsMatched(concepts, [...headingWords, ...foldedWords(sentence)]);
      if (best === undefined || score > best.score) best = { score, passageId: passage.id, sentences, index, headingWords };
    }
  }
  if (best === undefined || best.score === 0 || (best.score < 2 && best.score / concepts.length < 0.5)) return undefined;
  const { sentences, index, headingWords } = best;
  let text = sentences[index]!;
  const next = sentences[index + 1];
  if (next !== undefined && text.length + 1 + next.length <= MAX_ANSWER_CHARS && conceptsMatched(concepts, [...headingWords, ...foldedWords(next)]) > 0) {
    text = `${text} ${next}`;
  }
  return { text: text.length > MAX_ANSWER_CHARS ? `${text.slice(0, MAX_ANSWER_CHARS - 1).replace(/\s+\S*$/, '')}…` : text, passageId: best.passageId };
}

export function createLocalProvider(): LlmProvider {
  return {
    name: 'local',
    async classifyIntent(request: IntentRequest): Promise<IntentResult> {
      return { ...classifyByRules(request.text), via: 'local' };
    },
    async answerFromPassages(request: AnswerRequest): Promise<AnswerResult> {
      const answer = answerByQuoting(request);
      return answer === undefined
        ? { kind: 'no_answer', reason: 'no passage answers the question', via: 'local' }
        : { kind: 'answer', text: answer.text, passageIds: [answer.passageId], via: 'local' };
    },
  };
}
