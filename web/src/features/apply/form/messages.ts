/**
 * The application form's validation messages in every form language. Browser-safe (no imports): the console's
 * `/apply/<token>` page shows the same texts the server answers with.
 */
export type FormLanguage = 'es' | 'en' | 'pt';

export const formMessages = {
  'form.invalid': {
    es: 'No pudimos leer el formulario. Vuelve a intentarlo.',
    en: 'We could not read the form. Please try again.',
    pt: 'Não conseguimos ler o formulário. Tente novamente.',
  },
  'field.invalid': {
    es: 'Revisa este dato.',
    en: 'Please check this field.',
    pt: 'Confira este campo.',
  },
  'language.invalid': {
    es: 'Elige español, inglés o portugués.',
    en: 'Choose Spanish, English or Portuguese.',
    pt: 'Escolha espanhol, inglês ou português.',
  },
  'fullName.required': {
    es: 'Escribe tu nombre completo.',
    en: 'Please enter your full name.',
    pt: 'Escreva seu nome completo.',
  },
  'fullName.tooShort': {
    es: 'El nombre es demasiado corto.',
    en: 'The name is too short.',
    pt: 'O nome é curto demais.',
  },
  'fullName.tooLong': {
    es: 'El nombre puede tener hasta 120 caracteres.',
    en: 'The name can have up to 120 characters.',
    pt: 'O nome pode ter até 120 caracteres.',
  },
  'fullName.invalid': {
    es: 'Escribe tu nombre con letras.',
    en: 'Please write your name with letters.',
    pt: 'Escreva seu nome com letras.',
  },
  'dateOfBirth.required': {
    es: 'Indica tu fecha de nacimiento.',
    en: 'Please enter your date of birth.',
    pt: 'Informe sua data de nascimento.',
  },
  'dateOfBirth.invalid': {
    es: 'Esa fecha de nacimiento no es válida.',
    en: 'That date of birth is not valid.',
    pt: 'Essa data de nascimento não é válida.',
  },
  'dateOfBirth.future': {
    es: 'La fecha de nacimiento no puede ser futura.',
    en: 'The date of birth cannot be in the future.',
    pt: 'A data de nascimento não pode ser no futuro.',
  },
  'dateOfBirth.tooYoung': {
    es: 'Debes tener al menos 13 años para postularte.',
    en: 'You must be at least 13 years old to apply.',
    pt: 'Você precisa ter pelo menos 13 anos para se candidatar.',
  },
  'city.required': {
    es: 'Indica tu ciudad.',
    en: 'Please enter your city.',
    pt: 'Informe sua cidade.',
  },
  'city.invalid': {
    es: 'Escribe el nombre de tu ciudad (2 a 80 caracteres).',
    en: 'Enter the name of your city (2 to 80 characters).',
    pt: 'Escreva o nome da sua cidade (2 a 80 caracteres).',
  },
  'heightCm.required': {
    es: 'Indica tu altura en centímetros.',
    en: 'Please enter your height in centimetres.',
    pt: 'Informe sua altura em centímetros.',
  },
  'heightCm.range': {
    es: 'La altura debe ser un número entero de centímetros entre 100 y 230.',
    en: 'Height must be a whole number of centimetres from 100 to 230.',
    pt: 'A altura deve ser um número inteiro de centímetros entre 100 e 230.',
  },
  'measurement.range': {
    es: 'Las medidas van en centímetros enteros, entre 40 y 200.',
    en: 'Measurements are whole centimetres, from 40 to 200.',
    pt: 'As medidas são em centímetros inteiros, entre 40 e 200.',
  },
  'shoeSizeEu.range': {
    es: 'La talla de calzado europea va de 30 a 50 (se permiten medias tallas).',
    en: 'EU shoe size goes from 30 to 50 (half sizes allowed).',
    pt: 'O número do calçado europeu vai de 30 a 50 (meio número permitido).',
  },
  'experience.tooLong': {
    es: 'Cuéntanos tu experiencia en hasta 1000 caracteres.',
    en: 'Tell us about your experience in up to 1000 characters.',
    pt: 'Conte sua experiência em até 1000 caracteres.',
  },
  'portfolioUrl.invalid': {
    es: 'Escribe un enlace completo, que empiece por https://',
    en: 'Enter a full link starting with https://',
    pt: 'Escreva um link completo, começando com https://',
  },
  'instagram.invalid': {
    es: 'Escribe tu usuario de Instagram, por ejemplo @tu.usuario',
    en: 'Enter your Instagram username, for example @your.name',
    pt: 'Escreva seu usuário do Instagram, por exemplo @seu.usuario',
  },
  'shiftPreferences.required': {
    es: 'Marca al menos un día y horario en que puedas trabajar.',
    en: 'Tick at least one day and time you can work.',
    pt: 'Marque pelo menos um dia e horário em que pode trabalhar.',
  },
  'shiftPreferences.invalid': {
    es: 'Elige los días y horarios de la tabla.',
    en: 'Choose days and times from the grid.',
    pt: 'Escolha os dias e horários da tabela.',
  },
  'consents.dataProcessing': {
    es: 'Para postularte debes aceptar el tratamiento de tus datos.',
    en: 'To apply you must accept the processing of your data.',
    pt: 'Para se candidatar você precisa aceitar o tratamento dos seus dados.',
  },
  'consents.whatsappContact': {
    es: 'Debes aceptar que te contactemos por WhatsApp.',
    en: 'You must agree to be contacted on WhatsApp.',
    pt: 'Você precisa aceitar o contato pelo WhatsApp.',
  },
} as const satisfies Record<string, Record<FormLanguage, string>>;

export type FormMessageKey = keyof typeof formMessages;
