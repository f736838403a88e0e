/**
 * How questions and passages are turned into search terms, the same way on both sides: folded (lower case,
 * accents removed — aspirants type "sabado" for "sábado"), split into words, stop words of es/en/pt dropped,
 * and a few FAQ topics widened to their synonyms across the three languages ("dónde" also finds "dirección").
 */
export const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    // es
    'a al algo algun alguna como con cual cuales cuando de del desde donde el ella ellas ellos en entre era es esa ese eso esta estan este esto estoy fue ha hace hacen hay la las le les lo los mas me mi mis muy no nos o para pero piden por porque que queda se ser si sin sobre son su sus te tengo tiene tienen tienes ti tu tus un una uno unos y ya yo hola gracias puedo quiero saber favor ' +
    // en
    'about an and are as at be but by can could do does for from get has have how i if in is it its me my of on or so that the their there this to was we what when where which who will with would you your hello hi thanks please know want ' +
    // pt
    'ao aos as ate com como da das de do dos e ela elas ele eles em entre era esta estao estou eu fica foi isso isto ja lhe mais mas me meu minha muito na nas nao no nos num numa o onde os ou para pela pelo por porque quais qual quando que sao se sem ser seu sua suas tem tenho um uma voce vc obrigado obrigada oi ola posso quero'
  ).split(/\s+/),
);

/** A search term: a whole folded word, or (prefix) the start of words ("pag" finds "pagos", "pagamos"). */
export interface Term {
  readonly text: string;
  readonly prefix: boolean;
}

/** Topics aspirants ask about. A trailing '*' marks a prefix; other members are whole words ("age" ≠ "agency"). */
const TOPICS: readonly (readonly string[])[] = [
  ['donde', 'ubicacion', 'ubicad*', 'direccion', 'calle', 'oficina*', 'where', 'address', 'located', 'location', 'street', 'office*', 'onde', 'endereco', 'localizacao', 'rua', 'escritorio'],
  ['pag*', 'cobr*', 'sueldo*', 'salario*', 'dinero', 'tarifa*', 'pay*', 'paid', 'salary', 'money', 'fee*', 'rate*', 'dinheiro', 'remuneracao', 'cache'],
  ['cuesta', 'costo*', 'coste*', 'precio*', 'gratis', 'gratuit*', 'cost*', 'price*', 'free', 'charge*', 'custa', 'custo*', 'preco*'],
  ['edad', 'ano', 'anos', 'menor*', 'minim*', 'age', 'old', 'minor*', 'minimum', 'idade'],
  ['requisito*', 'necesit*', 'altura', 'medida*', 'requirement*', 'need*', 'height', 'measurement*', 'precis*'],
  ['horario*', 'turno*', 'hora', 'horas', 'schedule*', 'shift*', 'hour*'],
  ['casting*', 'prueba*', 'audicion*', 'audition*', 'teste*', 'audicao*'],
  ['contrato*', 'contract*'],
].map((topic) => [...new Set(topic)]);

const termOf = (member: string): Term => (member.endsWith('*') ? { text: member.slice(0, -1), prefix: true } : { text: member, prefix: false });

/** Whether a folded word is matched by a term. */
export const matchesTerm = (word: string, term: Term): boolean => (term.prefix ? word.startsWith(term.text) : word === term.text);

/** Words of a text, folded. */
export const foldedWords = (text: string): string[] => fold(text).match(/[a-z0-9]+/g) ?? [];

/** Crude, language-neutral stem: trailing plural endings off, so "sabados" and "sabado" meet. */
const stem = (word: string): string => (word.length > 4 ? word.replace(/(es|s)$/, '') : word);

/**
 * What a question is about: one concept per content word (its stem, as a prefix when long enough to be
 * specific), widened to a whole topic when the word belongs to one. Question words are stop words but still
 * name a topic ("dónde" → location).
 */
export function questionConcepts(question: string): Term[][] {
  const concepts = new Map<string, Term[]>();
  for (const word of foldedWords(question)) {
    const topic = TOPICS.find((members) => members.some((member) => matchesTerm(word, termOf(member))));
    if (topic !== undefined) concepts.set(topic[0]!, topic.map(termOf));
    else if (word.length > 1 && !STOP_WORDS.has(word)) {
      const stemmed = stem(word);
      concepts.set(stemmed, [{ text: stemmed, prefix: stemmed.length >= 4 }]);
    }
  }
  return [...concepts.values()];
}
