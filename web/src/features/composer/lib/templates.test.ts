import { describe, expect, it } from 'vitest';
import { quickReplies, quickReplyText } from './quickReplies.ts';
import { fillTemplate } from './templates.ts';

describe('filling templates and quick replies', () => {
  it('fills template variables in order and leaves missing ones visible', () => {
    expect(fillTemplate('Hola {{1}}, tu casting es el {{2}}. {{1}}, ¡te esperamos!', ['Ana', ' '])).toBe('Hola Ana, tu casting es el {{2}}. Ana, ¡te esperamos!');
  });

  it('writes a quick reply in the aspirant\'s language with their first name, and reads well without one', () => {
    const greeting = quickReplies[0]!;
    expect(quickReplyText(greeting, 'PT', 'Bia')).toBe('Olá Bia! Faço parte da equipe da agência. Obrigado por nos escrever.');
    expect(quickReplyText(greeting, 'EN', '')).toBe('Hi! I am part of the agency team. Thanks for writing to us.');
    expect(quickReplyText(quickReplies[1]!, null, '')).toMatch(/^¿nos puedes enviar/);
  });
});
