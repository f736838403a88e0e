import type { FormLanguage } from './form/messages.ts';
import type { formShiftWindows, formWeekdays } from './form/schema.ts';
import type { RefusalReason } from './api.ts';

/** The page's own words in each form language (validation messages come from form/messages.ts). */
interface PageTexts {
  readonly title: string;
  readonly intro: string;
  readonly language: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly city: string;
  readonly heightCm: string;
  readonly measurements: string;
  readonly bustCm: string;
  readonly waistCm: string;
  readonly hipsCm: string;
  readonly shoeSizeEu: string;
  readonly optional: string;
  readonly experience: string;
  readonly portfolioUrl: string;
  readonly instagram: string;
  readonly shifts: string;
  readonly shiftsHint: string;
  readonly days: Readonly<Record<(typeof formWeekdays)[number], string>>;
  readonly windows: Readonly<Record<(typeof formShiftWindows)[number], string>>;
  readonly consentData: string;
  readonly consentWhatsapp: string;
  readonly submit: string;
  readonly sending: string;
  readonly fixErrors: string;
  readonly thanksTitle: string;
  readonly thanks: string;
  readonly edit: string;
  readonly loading: string;
  readonly refused: Readonly<Record<RefusalReason, string>>;
}

export const pageTexts: Readonly<Record<FormLanguage, PageTexts>> = {
  es: {
    title: 'Tu ficha de postulación',
    intro: 'Completa tus datos. Solo los verá el equipo de la agencia.',
    language: 'Idioma',
    fullName: 'Nombre completo',
    dateOfBirth: 'Fecha de nacimiento',
    city: 'Ciudad',
    heightCm: 'Altura (cm)',
    measurements: 'Medidas (cm)',
    bustCm: 'Busto',
    waistCm: 'Cintura',
    hipsCm: 'Cadera',
    shoeSizeEu: 'Talla de calzado (EU)',
    optional: 'opcional',
    experience: 'Experiencia',
    portfolioUrl: 'Enlace a tu portafolio',
    instagram: 'Instagram',
    shifts: '¿Cuándo puedes trabajar?',
    shiftsHint: 'Marca los días y horarios.',
    days: { MON: 'Lun', TUE: 'Mar', WED: 'Mié', THU: 'Jue', FRI: 'Vie', SAT: 'Sáb', SUN: 'Dom' },
    windows: { MORNING: 'Mañana', AFTERNOON: 'Tarde', EVENING: 'Noche', NIGHT: 'Madrugada' },
    consentData: 'Acepto el tratamiento de mis datos para esta postulación.',
    consentWhatsapp: 'Acepto que la agencia me contacte por WhatsApp.',
    submit: 'Enviar mi ficha',
    sending: 'Enviando…',
    fixErrors: 'Revisa los campos marcados.',
    thanksTitle: '¡Gracias!',
    thanks: 'Recibimos tu ficha. Sigue la conversación en WhatsApp: ahí te pediremos las fotos.',
    edit: 'Corregir mis datos',
    loading: 'Cargando…',
    refused: {
      malformed: 'Este enlace está incompleto. Ábrelo de nuevo desde el mensaje de WhatsApp.',
      bad_signature: 'Este enlace no es válido. Ábrelo de nuevo desde el mensaje de WhatsApp.',
      unknown_link: 'Este enlace no es válido. Pide uno nuevo por WhatsApp.',
      expired: 'Este enlace caducó. Escríbenos por WhatsApp y te enviaremos uno nuevo.',
      revoked: 'Este enlace ya no está activo. Escríbenos por WhatsApp y te enviaremos uno nuevo.',
      unavailable: 'No pudimos cargar el formulario. Inténtalo de nuevo en unos minutos.',
    },
  },
  en: {
    title: 'Your application',
    intro: 'Fill in your details. Only the agency team will see them.',
    language: 'Language',
    fullName: 'Full name',
    dateOfBirth: 'Date of birth',
    city: 'City',
    heightCm: 'Height (cm)',
    measurements: 'Measurements (cm)',
    bustCm: 'Bust',
    waistCm: 'Waist',
    hipsCm: 'Hips',
    shoeSizeEu: 'Shoe size (EU)',
    optional: 'optional',
    experience: 'Experience',
    portfolioUrl: 'Portfolio link',
    instagram: 'Instagram',
    shifts: 'When can you work?',
    shiftsHint: 'Tick the days and times.',
    days: { MON: 'Mon', TUE: 'Tue', WED: 'Wed', THU: 'Thu', FRI: 'Fri', SAT: 'Sat', SUN: 'Sun' },
    windows: { MORNING: 'Morning', AFTERNOON: 'Afternoon', EVENING: 'Evening', NIGHT: 'Night' },
    consentData: 'I accept the processing of my data for this application.',
    consentWhatsapp: 'I agree to be contacted by the agency on WhatsApp.',
    submit: 'Send my application',
    sending: 'Sending…',
    fixErrors: 'Please check the marked fields.',
    thanksTitle: 'Thank you!',
    thanks: 'We received your application. Carry on in WhatsApp: we will ask for your photos there.',
    edit: 'Correct my details',
    loading: 'Loading…',
    refused: {
      malformed: 'This link is incomplete. Open it again from the WhatsApp message.',
      bad_signature: 'This link is not valid. Open it again from the WhatsApp message.',
      unknown_link: 'This link is not valid. Ask for a new one on WhatsApp.',
      expired: 'This link has expired. Write to us on WhatsApp and we will send you a new one.',
      revoked: 'This link is no longer active. Write to us on WhatsApp and we will send you a new one.',
      unavailable: 'We could not load the form. Please try again in a few minutes.',
    },
  },
  pt: {
    title: 'Sua ficha de candidatura',
    intro: 'Preencha seus dados. Só a equipe da agência vai vê-los.',
    language: 'Idioma',
    fullName: 'Nome completo',
    dateOfBirth: 'Data de nascimento',
    city: 'Cidade',
    heightCm: 'Altura (cm)',
    measurements: 'Medidas (cm)',
    bustCm: 'Busto',
    waistCm: 'Cintura',
    hipsCm: 'Quadril',
    shoeSizeEu: 'Número do calçado (EU)',
    optional: 'opcional',
    experience: 'Experiência',
    portfolioUrl: 'Link do portfólio',
    instagram: 'Instagram',
    shifts: 'Quando você pode trabalhar?',
    shiftsHint: 'Marque os dias e horários.',
    days: { MON: 'Seg', TUE: 'Ter', WED: 'Qua', THU: 'Qui', FRI: 'Sex', SAT: 'Sáb', SUN: 'Dom' },
    windows: { MORNING: 'Manhã', AFTERNOON: 'Tarde', EVENING: 'Noite', NIGHT: 'Madrugada' },
    consentData: 'Aceito o tratamento dos meus dados para esta candidatura.',
    consentWhatsapp: 'Aceito que a agência entre em contato pelo WhatsApp.',
    submit: 'Enviar minha ficha',
    sending: 'Enviando…',
    fixErrors: 'Confira os campos marcados.',
    thanksTitle: 'Obrigado!',
    thanks: 'Recebemos sua ficha. Continue a conversa no WhatsApp: é lá que vamos pedir suas fotos.',
    edit: 'Corrigir meus dados',
    loading: 'Carregando…',
    refused: {
      malformed: 'Este link está incompleto. Abra de novo pela mensagem do WhatsApp.',
      bad_signature: 'Este link não é válido. Abra de novo pela mensagem do WhatsApp.',
      unknown_link: 'Este link não é válido. Peça um novo pelo WhatsApp.',
      expired: 'Este link expirou. Escreva para nós no WhatsApp e enviaremos um novo.',
      revoked: 'Este link não está mais ativo. Escreva para nós no WhatsApp e enviaremos um novo.',
      unavailable: 'Não conseguimos carregar o formulário. Tente de novo em alguns minutos.',
    },
  },
};
