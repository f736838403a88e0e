import type { Language } from '../../../generated/graphql.ts';

/**
 * Canned replies recruiters use all day, in the aspirant's language; {{name}} becomes their first name. They
 * fill the draft, never send on their own.
 */
export interface QuickReply {
  readonly label: string;
  readonly text: Readonly<Record<Language, string>>;
}

export const quickReplies: readonly QuickReply[] = [
  {
    label: 'Greeting',
    text: {
      ES: '¡Hola {{name}}! Soy parte del equipo de la agencia. Gracias por escribirnos.',
      EN: 'Hi {{name}}! I am part of the agency team. Thanks for writing to us.',
      PT: 'Olá {{name}}! Faço parte da equipe da agência. Obrigado por nos escrever.',
    },
  },
  {
    label: 'Ask for photos',
    text: {
      ES: '{{name}}, ¿nos puedes enviar tres fotos recientes sin filtros: rostro, cuerpo completo y perfil?',
      EN: '{{name}}, could you send us three recent photos without filters: face, full body and profile?',
      PT: '{{name}}, pode nos enviar três fotos recentes sem filtros: rosto, corpo inteiro e perfil?',
    },
  },
  {
    label: 'Thanks, reviewing',
    text: {
      ES: '¡Gracias {{name}}! Revisamos tu perfil y te escribimos en los próximos días.',
      EN: 'Thank you {{name}}! We are reviewing your profile and will write to you in the next few days.',
      PT: 'Obrigado {{name}}! Estamos analisando seu perfil e entraremos em contato nos próximos dias.',
    },
  },
  {
    label: 'Availability',
    text: {
      ES: '{{name}}, ¿qué días y horarios tienes disponibles para un casting?',
      EN: '{{name}}, which days and times are you available for a casting?',
      PT: '{{name}}, quais dias e horários você tem disponíveis para um casting?',
    },
  },
];

export function quickReplyText(reply: QuickReply, language: Language | null, name: string): string {
  return reply.text[language ?? 'ES'].replace(/\{\{name\}\}/g, name).replace(/\s+([,!?.])/g, '$1').replace(/^,\s*/, '');
}
