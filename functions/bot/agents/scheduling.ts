import type { StoredShift } from '../../../web/src/features/apply/form/schema.ts';
import { fold } from '../../knowledge/terms.ts';
import type { TextRef } from '../texts.ts';
import type { TraceEntry } from './outcome.ts';

/**
 * The scheduling agent: reads availability from chat in es/en/pt ("puedo los sábados por la tarde" → sat
 * afternoon, "de lunes a viernes por la mañana", "weekends", "só à noite"), updates the shift preferences and
 * confirms them. Days without a time of day mean morning to evening; times without days mean every day.
 * Clauses with a negation ("no puedo los lunes") are left out. "Only …" replaces the preferences; otherwise
 * the new shifts are added to the ones from the form.
 */
type Day = StoredShift['day'];
type Window = StoredShift['window'];

const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WINDOWS: readonly Window[] = ['morning', 'afternoon', 'evening', 'night'];
const DAYTIME: readonly Window[] = ['morning', 'afternoon', 'evening'];

// Single days, matched on folded words; plurals and the Portuguese "-feira" included.
const DAY_WORDS: ReadonlyArray<readonly [Day, RegExp]> = [
  ['mon', /\b(lunes|mondays?|segundas?(-feiras?)?)\b/],
  ['tue', /\b(martes|tuesdays?|tercas?(-feiras?)?)\b/],
  ['wed', /\b(miercoles|wednesdays?|quartas?(-feiras?)?)\b/],
  ['thu', /\b(jueves|thursdays?|quintas?(-feiras?)?)\b/],
  ['fri', /\b(viernes|fridays?|sextas?(-feiras?)?)\b/],
  ['sat', /\b(sabados?|saturdays?)\b/],
  ['sun', /\b(domingos?|sundays?)\b/],
];
const DAY_GROUPS: ReadonlyArray<readonly [readonly Day[], RegExp]> = [
  [['sat', 'sun'], /\b(fin(es)? de semana|weekends?|fi(m|ns) de semana)\b/],
  [['mon', 'tue', 'wed', 'thu', 'fri'], /\b(entre semana|dias de semana|weekdays|dias uteis|dia de semana)\b/],
  [DAYS, /\b(todos los dias|cualquier dia|every ?day|any day|todos os dias|qualquer dia)\b/],
];
const WINDOW_WORDS: ReadonlyArray<readonly [readonly Window[], RegExp]> = [
  [['morning'], /\b((por|en|de) la manana|mananas|mornings?|(de|pela) manha|manhas?)\b/],
  [['afternoon'], /\b(tardes?|afternoons?)\b/],
  [['evening'], /\b(noches?|evenings?|noites?|a noite)\b/],
  [['night'], /\b(madrugadas?|nights?|overnight|de madrugada)\b/],
  [DAYTIME, /\b(todo el dia|all day|o dia todo|dia inteiro|o dia inteiro)\b/],
];
const DAY_NAME = '(lunes|martes|miercoles|jueves|viernes|sabados?|domingos?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|segundas?|tercas?|quartas?|quintas?|sextas?)';
const RANGE = new RegExp(`\\b${DAY_NAME}(?:-feiras?)?\\s+(?:a|al|to|through|till|until|ate|-)\\s+${DAY_NAME}\\b`);
// Portuguese "no" before a day is "on the" ("no domingo"), not a negation.
const NEGATION = /\bno\b(?!\s+(domingo|sabado|fim de semana)s?\b)|\b(not|never|nunca|nao|can'?t|cannot|don'?t)\b/;
const ONLY = /\b(solo|solamente|unicamente|only|somente|apenas)\b/;
const CLAUSE_BREAK = /[,;.]|\b(?:pero|but|mas|porem|sin embargo|however)\b/;

const dayOf = (word: string): Day | undefined => DAY_WORDS.find(([, pattern]) => pattern.test(word))?.[0];

function clauseShifts(clause: string): { days: Set<Day>; windows: Set<Window> } {
  const days = new Set<Day>();
  const windows = new Set<Window>();
  const range = RANGE.exec(clause);
  if (range !== null) {
    const from = DAYS.indexOf(dayOf(range[1]!)!);
    const to = DAYS.indexOf(dayOf(range[2]!)!);
    for (let index = from; ; index = (index + 1) % DAYS.length) {
      days.add(DAYS[index]!);
      if (index === to) break;
    }
  }
  for (const [day, pattern] of DAY_WORDS) if (pattern.test(clause)) days.add(day);
  for (const [group, pattern] of DAY_GROUPS) if (pattern.test(clause)) group.forEach((day) => days.add(day));
  for (const [group, pattern] of WINDOW_WORDS) if (pattern.test(clause)) group.forEach((window) => windows.add(window));
  return { days, windows };
}

/** Shifts a message states, in grid order, and whether it says "only"; undefined when it names no day or time. */
export function parseShifts(text: string): { shifts: StoredShift[]; only: boolean } | undefined {
  const folded = fold(text);
  const days = new Set<Day>();
  const windows = new Set<Window>();
  // Each clause pairs its own days with its own times ("lunes por la mañana y sábados por la tarde" is one
  // clause, so it gives both days both times: a grid cannot say more from one sentence without guessing).
  const pairs: { days: Set<Day>; windows: Set<Window> }[] = [];
  for (const clause of folded.split(CLAUSE_BREAK)) {
    if (clause.trim() === '' || NEGATION.test(clause)) continue;
    const found = clauseShifts(clause);
    if (found.days.size > 0 || found.windows.size > 0) pairs.push(found);
    found.days.forEach((day) => days.add(day));
    found.windows.forEach((window) => windows.add(window));
  }
  if (pairs.length === 0) return undefined;
  const cells = new Set<string>();
  for (const pair of pairs) {
    // A clause with only days takes the message's times, and the other way round ("sábados, por la tarde").
    const pairDays = pair.days.size > 0 ? pair.days : days.size > 0 ? days : new Set(DAYS);
    const pairWindows = pair.windows.size > 0 ? pair.windows : windows.size > 0 ? windows : new Set(DAYTIME);
    for (const day of pairDays) for (const window of pairWindows) cells.add(`${day}:${window}`);
  }
  const shifts = DAYS.flatMap((day) => WINDOWS.filter((window) => cells.has(`${day}:${window}`)).map((window) => ({ day, window })));
  return { shifts, only: ONLY.test(folded) };
}

export interface SchedulingResult {
  readonly reply: TextRef;
  readonly shiftPreferences?: readonly StoredShift[];
  readonly trace: TraceEntry;
}

export function updateShifts(text: string, current: readonly StoredShift[], confidence: number, latencyMs: number): SchedulingResult {
  const parsed = parseShifts(text);
  if (parsed === undefined) {
    return {
      reply: { textKey: 'scheduling.unclear', variables: {} },
      trace: { agent: 'scheduling', intent: 'scheduling', confidence, latencyMs, summary: 'no day or time found; asked again' },
    };
  }
  const merged = parsed.only ? parsed.shifts : DAYS.flatMap((day) => WINDOWS.filter((window) => [...current, ...parsed.shifts].some((shift) => shift.day === day && shift.window === window)).map((window) => ({ day, window })));
  const listed = merged.map((shift) => `${shift.day}/${shift.window}`).join(', ');
  return {
    reply: { textKey: 'scheduling.confirm', variables: { shifts: { shifts: merged } } },
    shiftPreferences: merged,
    trace: { agent: 'scheduling', intent: 'scheduling', confidence, latencyMs, summary: `${parsed.only ? 'replaced' : 'added to'} shift preferences: ${listed}` },
  };
}
