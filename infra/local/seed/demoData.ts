import type { StoredStatus } from '../../../functions/domain/pipeline.ts';

/**
 * The demo's cast and the lines they say. Everything is fixed so every fresh local database looks the same;
 * only times move with "now".
 */

export type Language = 'es' | 'pt' | 'en';

export interface DemoRecruiter {
  readonly key: 'admin' | 'recruiter1' | 'recruiter2';
  readonly email: string;
  readonly name: string;
  readonly role: 'admin' | 'recruiter';
}

export const demoRecruiters: readonly DemoRecruiter[] = [
  { key: 'admin', email: 'admin@example.com', name: 'Ada Admin', role: 'admin' },
  { key: 'recruiter1', email: 'recruiter1@example.com', name: 'Renata Reyes', role: 'recruiter' },
  { key: 'recruiter2', email: 'recruiter2@example.com', name: 'Paulo Prado', role: 'recruiter' },
];

interface Country {
  readonly city: string;
  /** A valid E.164 number for the n-th aspirant from this country. */
  readonly phone: (n: number) => string;
}

const countries = {
  MX: { city: 'Ciudad de México', phone: (n) => `+5255${31000000 + n * 1013}` },
  CO: { city: 'Medellín', phone: (n) => `+57310${2000000 + n * 1013}` },
  ES: { city: 'Madrid', phone: (n) => `+346${12000000 + n * 1013}` },
  BR: { city: 'São Paulo', phone: (n) => `+55119${81000000 + n * 1013}` },
  PT: { city: 'Lisboa', phone: (n) => `+35191${2000000 + n * 1013}` },
  US: { city: 'Miami', phone: (n) => `+1305555${String(100 + n).padStart(4, '0')}` },
} satisfies Record<string, Country>;

export interface DemoAspirant {
  readonly fullName: string;
  /** The WhatsApp profile name; null for the few who have none (the console shows their number). */
  readonly whatsappName: string | null;
  readonly country: keyof typeof countries;
  readonly language: Language;
  readonly status: StoredStatus;
}

// 36 people over every pipeline status, in an order that mixes countries, languages and statuses.
export const demoAspirants: readonly DemoAspirant[] = [
  { fullName: 'Valentina Rodríguez', whatsappName: 'Vale ✨', country: 'MX', language: 'es', status: 'new' },
  { fullName: 'Ana Beatriz Souza', whatsappName: 'Bia Souza', country: 'BR', language: 'pt', status: 'contacted' },
  { fullName: 'Emily Johnson', whatsappName: 'Emily J', country: 'US', language: 'en', status: 'form_sent' },
  { fullName: 'Isabella Gómez', whatsappName: 'Isa', country: 'CO', language: 'es', status: 'form_completed' },
  { fullName: 'Lucía Fernández', whatsappName: 'Lucía', country: 'ES', language: 'es', status: 'photos_requested' },
  { fullName: 'Inês Costa', whatsappName: 'Inês', country: 'PT', language: 'pt', status: 'photos_received' },
  { fullName: 'Camila Hernández', whatsappName: 'Cami 🌸', country: 'MX', language: 'es', status: 'in_review' },
  { fullName: 'Larissa Oliveira', whatsappName: 'Lari', country: 'BR', language: 'pt', status: 'accepted' },
  { fullName: 'Olivia Smith', whatsappName: 'Liv', country: 'US', language: 'en', status: 'rejected' },
  { fullName: 'Daniela Restrepo', whatsappName: 'Dani R', country: 'CO', language: 'es', status: 'withdrawn' },
  { fullName: 'Sofía Martínez', whatsappName: null, country: 'MX', language: 'es', status: 'new' },
  { fullName: 'Gabriela Santos', whatsappName: 'Gabi', country: 'BR', language: 'pt', status: 'new' },
  { fullName: 'Ava Williams', whatsappName: 'Ava', country: 'US', language: 'en', status: 'contacted' },
  { fullName: 'Juliana Ospina', whatsappName: 'Juli', country: 'CO', language: 'es', status: 'form_sent' },
  { fullName: 'Paula Navarro', whatsappName: 'Paula N', country: 'ES', language: 'es', status: 'form_completed' },
  { fullName: 'Matilde Ferreira', whatsappName: 'Matilde', country: 'PT', language: 'pt', status: 'photos_requested' },
  { fullName: 'Ximena López', whatsappName: 'Xime', country: 'MX', language: 'es', status: 'photos_received' },
  { fullName: 'Júlia Pereira', whatsappName: 'Ju Pereira', country: 'BR', language: 'pt', status: 'in_review' },
  { fullName: 'Mia Brown', whatsappName: 'Mia B', country: 'US', language: 'en', status: 'accepted' },
  { fullName: 'Santiago Vargas', whatsappName: 'Santi', country: 'CO', language: 'es', status: 'rejected' },
  { fullName: 'Alejandro Ruiz', whatsappName: 'Álex', country: 'ES', language: 'es', status: 'withdrawn' },
  { fullName: 'Regina Torres', whatsappName: null, country: 'MX', language: 'es', status: 'new' },
  { fullName: 'Rafael Almeida', whatsappName: 'Rafa', country: 'BR', language: 'pt', status: 'contacted' },
  { fullName: 'Ethan Davis', whatsappName: 'Ethan', country: 'US', language: 'en', status: 'form_sent' },
  { fullName: 'Luciana Mejía', whatsappName: 'Lu Mejía', country: 'CO', language: 'es', status: 'form_completed' },
  { fullName: 'Tiago Marques', whatsappName: 'Tiago', country: 'PT', language: 'pt', status: 'in_review' },
  { fullName: 'Diego Ramírez', whatsappName: 'Diego', country: 'MX', language: 'es', status: 'photos_requested' },
  { fullName: 'Letícia Carvalho', whatsappName: 'Lê', country: 'BR', language: 'pt', status: 'photos_received' },
  { fullName: 'Chloe Miller', whatsappName: 'Chloe', country: 'US', language: 'en', status: 'in_review' },
  { fullName: 'Manuela Cardona', whatsappName: 'Manu', country: 'CO', language: 'es', status: 'accepted' },
  { fullName: 'Andrea Morales', whatsappName: 'Andre', country: 'US', language: 'es', status: 'rejected' },
  { fullName: 'Bruna Ribeiro', whatsappName: 'Bruna', country: 'BR', language: 'pt', status: 'withdrawn' },
  { fullName: 'Grace Wilson', whatsappName: 'Gracie', country: 'US', language: 'en', status: 'contacted' },
  { fullName: 'Mariana Castillo', whatsappName: 'Mari', country: 'MX', language: 'es', status: 'form_completed' },
  { fullName: 'Natalia Cruz', whatsappName: 'Nati', country: 'US', language: 'es', status: 'form_sent' },
  { fullName: 'Zoe Anderson', whatsappName: 'Zoe', country: 'US', language: 'en', status: 'new' },
];

export const phoneOf = (aspirant: DemoAspirant, index: number): string => countries[aspirant.country].phone(index);
export const cityOf = (aspirant: DemoAspirant): string => countries[aspirant.country].city;

/** One line of a conversation: who says it and what, per language. `{name}`, `{age}`, `{city}`, `{recruiter}` are filled in. */
export interface Line {
  readonly author: 'aspirant' | 'bot' | 'recruiter';
  readonly intent: string;
  readonly text: Readonly<Record<Language, string>>;
}

const line = (author: Line['author'], intent: string, es: string, pt: string, en: string): Line => ({ author, intent, text: { es, pt, en } });

export const lines = {
  greet: line('aspirant', 'greeting',
    'Hola! Vi su anuncio en Instagram y me interesa ser modelo 😊',
    'Oi! Vi o anúncio de vocês no Instagram e quero ser modelo 😊',
    "Hi! I saw your post on Instagram and I'd love to start modeling 😊"),
  welcome: line('bot', 'ask_basics',
    '¡Hola {name}! Soy el asistente de la agencia. ¿Cuántos años tienes y en qué ciudad vives?',
    'Oi {name}! Sou o assistente da agência. Quantos anos você tem e em que cidade mora?',
    "Hi {name}! I'm the agency's assistant. How old are you and which city do you live in?"),
  answer: line('aspirant', 'basics',
    'Tengo {age} años y vivo en {city}',
    'Tenho {age} anos e moro em {city}',
    "I'm {age} and I live in {city}"),
  // The same answer, from the one minor in the demo (the bot then asks for guardian consent).
  answerMinor: line('aspirant', 'basics',
    'Tengo {age} años, vivo en {city}',
    'Tenho {age} anos, moro em {city}',
    "I'm {age}, I live in {city}"),
  form: line('bot', 'send_form',
    '¡Genial! Completa este formulario para conocerte mejor, toma 3 minutos.',
    'Ótimo! Preencha este formulário para a gente te conhecer melhor, leva 3 minutos.',
    'Great! Please fill in this short form so we can get to know you, it takes 3 minutes.'),
  formDone: line('aspirant', 'form_submitted',
    'Listo, ya lo llené ✅',
    'Pronto, já preenchi ✅',
    'Done, I filled it in ✅'),
  guardian: line('bot', 'ask_guardian_consent',
    'Gracias {name}. Como eres menor de edad, necesitamos la autorización de tu mamá, papá o tutor antes de seguir.',
    'Obrigado {name}. Como você é menor de idade, precisamos da autorização da sua mãe, pai ou responsável antes de continuar.',
    "Thanks {name}. Since you're under 18, we need your parent or guardian's consent before we continue."),
  photosAsk: line('bot', 'ask_photos',
    '¡Perfecto! Ahora envíanos 3 fotos: rostro, cuerpo completo y perfil. Con luz natural y sin filtros, por favor.',
    'Perfeito! Agora envie 3 fotos: rosto, corpo inteiro e perfil. Com luz natural e sem filtros, por favor.',
    'Perfect! Now please send 3 photos: face, full body and profile. Natural light and no filters, please.'),
  photos: line('aspirant', 'photos_sent',
    'Ahí van las fotos 📸 ¿Así están bien?',
    'Mandei as fotos 📸 Estão boas assim?',
    'Here are my photos 📸 Are these okay?'),
  review: line('recruiter', 'review',
    'Hola {name}, soy {recruiter} de la agencia. Tus fotos se ven muy bien, las estamos revisando con el equipo.',
    'Oi {name}, aqui é {recruiter} da agência. Suas fotos ficaram ótimas, estamos avaliando com a equipe.',
    "Hi {name}, this is {recruiter} from the agency. Your photos look great, we're reviewing them with the team."),
  accepted: line('recruiter', 'accepted',
    '¡Felicidades {name}! Queremos invitarte a una sesión de prueba el jueves a las 10:00.',
    'Parabéns {name}! Queremos te convidar para um teste na quinta às 10h.',
    'Congratulations {name}! We would like to invite you to a test shoot on Thursday at 10am.'),
  rejected: line('recruiter', 'rejected',
    'Gracias por tu interés, {name}. Por ahora no tenemos un perfil que se ajuste; te escribiremos si surge algo.',
    'Obrigado pelo interesse, {name}. No momento não temos um perfil compatível; avisaremos se surgir algo.',
    "Thank you for your interest, {name}. We don't have a matching role right now; we'll reach out if something comes up."),
  withdraw: line('aspirant', 'withdraw',
    'Al final no podré continuar, ¡muchas gracias por todo!',
    'No fim não vou poder continuar, muito obrigada por tudo!',
    "I won't be able to continue after all, thanks so much!"),
  optOut: line('aspirant', 'opt_out', 'BAJA', 'SAIR', 'STOP'),
} satisfies Record<string, Line>;

/** The conversation so far for each status (2–8 messages). */
export const scripts: Readonly<Record<StoredStatus, readonly Line[]>> = {
  new: [lines.greet, lines.welcome],
  contacted: [lines.greet, lines.welcome, lines.answer],
  form_sent: [lines.greet, lines.welcome, lines.answer, lines.form],
  form_completed: [lines.greet, lines.welcome, lines.answer, lines.form, lines.formDone],
  photos_requested: [lines.greet, lines.welcome, lines.answer, lines.form, lines.formDone, lines.photosAsk],
  photos_received: [lines.greet, lines.welcome, lines.answer, lines.form, lines.formDone, lines.photosAsk, lines.photos],
  in_review: [lines.greet, lines.welcome, lines.answer, lines.form, lines.formDone, lines.photosAsk, lines.photos, lines.review],
  accepted: [lines.greet, lines.form, lines.formDone, lines.photosAsk, lines.photos, lines.review, lines.accepted],
  rejected: [lines.greet, lines.form, lines.formDone, lines.photosAsk, lines.photos, lines.rejected],
  withdrawn: [lines.greet, lines.welcome, lines.answer, lines.form, lines.withdraw],
};

export const experiences: Readonly<Record<Language, readonly string[]>> = {
  es: ['Desfiles escolares y fotos para una marca local', 'Sin experiencia, ¡pero con muchas ganas!', 'Dos años con una agencia en mi ciudad'],
  pt: ['Desfiles na escola e fotos para uma marca local', 'Sem experiência, mas com muita vontade!', 'Dois anos com uma agência na minha cidade'],
  en: ['School fashion shows and a local brand shoot', 'No experience yet, but very motivated!', 'Two years with an agency in my city'],
};

export const demoTags: readonly (readonly string[])[] = [['runway'], ['commercial', 'bilingual'], ['fitness'], ['petite'], ['editorial', 'runway']];

export const demoNotes: readonly string[] = [
  'Muy buena presencia en fotos, pedir book completo.',
  'Prefers weekend shifts; studies during the week.',
  'Llamar después de las 18:00.',
  'Já trabalhou com catálogo, pedir referências.',
  'Great energy on the phone, good fit for commercial work.',
  'Revisar medidas en persona antes de la sesión.',
];

/** A WhatsApp template as the agency had it approved; `approved: false` is one still in review. */
export interface DemoTemplate {
  readonly name: string;
  readonly language: Language;
  readonly body: string;
  readonly variables: readonly string[];
  /** The code Meta approved it under. */
  readonly metaLanguage: string;
  readonly approved: boolean;
}

const metaLanguages: Readonly<Record<Language, string>> = { es: 'es', pt: 'pt_BR', en: 'en_US' };

const template = (name: string, variables: readonly string[], bodies: Readonly<Record<Language, string>>, approved = true): DemoTemplate[] =>
  (['es', 'pt', 'en'] as const).map((language) => ({ name, language, body: bodies[language], variables, metaLanguage: metaLanguages[language], approved }));

/** What recruiters may send once the 24-hour window has closed. */
export const demoTemplates: readonly DemoTemplate[] = [
  ...template('follow_up', ['first name', "recruiter's name"], {
    es: 'Hola {{1}}, soy {{2}} de la agencia. ¿Seguimos con tu postulación? Respóndenos cuando puedas.',
    pt: 'Oi {{1}}, aqui é {{2}} da agência. Vamos continuar com a sua candidatura? Responda quando puder.',
    en: "Hi {{1}}, this is {{2}} from the agency. Shall we continue with your application? Reply whenever you're ready.",
  }),
  ...template('form_reminder', ['first name'], {
    es: 'Hola {{1}}, tu formulario de la agencia sigue pendiente. Respóndenos y te enviamos el enlace de nuevo.',
    pt: 'Oi {{1}}, o seu formulário da agência continua pendente. Responda e enviamos o link de novo.',
    en: 'Hi {{1}}, your agency form is still waiting for you. Reply and we will send you the link again.',
  }),
  ...template('casting_invitation', ['first name', 'date and time', 'place'], {
    es: '¡Hola {{1}}! Te invitamos a un casting el {{2}} en {{3}}. ¿Nos confirmas tu asistencia?',
    pt: 'Oi {{1}}! Convidamos você para um casting em {{2}} no endereço {{3}}. Pode confirmar a sua presença?',
    en: 'Hi {{1}}! We would like to invite you to a casting on {{2}} at {{3}}. Can you confirm you will attend?',
  }),
  // Still in review with WhatsApp: not offered until approved.
  ...template('photo_reminder', ['first name'], {
    es: 'Hola {{1}}, aún esperamos tus fotos: rostro, cuerpo completo y perfil.',
    pt: 'Oi {{1}}, ainda esperamos as suas fotos: rosto, corpo inteiro e perfil.',
    en: 'Hi {{1}}, we are still waiting for your photos: face, full body and profile.',
  }, false),
];
