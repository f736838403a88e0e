/**
 * Who writes to the agency in the inbox benchmark's data: the countries the demo agency recruits in, with
 * E.164 number plans, and common first and last names per language, so that name-prefix and phone-suffix
 * searches meet the spread a real inbox has (many "Vale…", few "Xime…"; any four final digits ~10 people in
 * 100,000).
 */

export type PersonLanguage = 'es' | 'pt' | 'en';

export interface Country {
  readonly code: string;
  readonly city: string;
  readonly language: PersonLanguage;
  /** How many aspirants in 100 come from here. */
  readonly weight: number;
  /** Mobile numbers: this prefix (country code included) and `digits` free digits after it. */
  readonly prefix: string;
  readonly digits: number;
}

export const countries: readonly Country[] = [
  { code: 'MX', city: 'Ciudad de México', language: 'es', weight: 28, prefix: '+52555', digits: 7 },
  { code: 'CO', city: 'Medellín', language: 'es', weight: 17, prefix: '+57310', digits: 7 },
  { code: 'ES', city: 'Madrid', language: 'es', weight: 10, prefix: '+3461', digits: 7 },
  { code: 'BR', city: 'São Paulo', language: 'pt', weight: 25, prefix: '+551198', digits: 7 },
  { code: 'PT', city: 'Lisboa', language: 'pt', weight: 5, prefix: '+35191', digits: 7 },
  { code: 'US', city: 'Miami', language: 'en', weight: 15, prefix: '+13057', digits: 6 },
];

// Odd and not a multiple of 5: coprime with every power of ten, so n → n × SPREAD mod 10^digits is a bijection.
const SPREAD = 7_654_321;

/** The `n`-th number handed out in `country`: distinct for distinct n, with its final digits spread evenly. */
export function phoneNumber(country: Country, n: number): string {
  const range = 10 ** country.digits;
  if (n >= range) throw new Error(`more than ${range} aspirants from ${country.code}`);
  const national = Number((BigInt(n) * BigInt(SPREAD) + 12_345n) % BigInt(range));
  return `${country.prefix}${String(national).padStart(country.digits, '0')}`;
}

export const firstNames: Readonly<Record<PersonLanguage, readonly string[]>> = {
  es: [
    'Valentina', 'Sofía', 'Isabella', 'Camila', 'Valeria', 'Mariana', 'Gabriela', 'Daniela', 'Victoria', 'Martina',
    'Lucía', 'Ximena', 'Natalia', 'Sara', 'Paula', 'Andrea', 'Regina', 'Renata', 'Fernanda', 'Alejandra',
    'Juliana', 'Manuela', 'Luciana', 'Antonella', 'Emilia', 'Abril', 'Julieta', 'Carolina', 'Laura', 'Ana',
    'María José', 'Paola', 'Diana', 'Elena', 'Carla', 'Santiago', 'Mateo', 'Sebastián', 'Diego', 'Alejandro',
  ],
  pt: [
    'Ana Clara', 'Beatriz', 'Larissa', 'Gabriela', 'Júlia', 'Letícia', 'Mariana', 'Isabela', 'Manuela', 'Laura',
    'Giovanna', 'Luana', 'Camila', 'Bruna', 'Amanda', 'Rafaela', 'Fernanda', 'Carolina', 'Yasmin', 'Bianca',
    'Inês', 'Matilde', 'Leonor', 'Carolina', 'Beatriz', 'Maria Eduarda', 'Lívia', 'Helena', 'Alice', 'Sophia',
    'Lorena', 'Vitória', 'Lara', 'Nicole', 'Raquel', 'Lucas', 'Gabriel', 'Rafael', 'Tiago', 'Miguel',
  ],
  en: [
    'Olivia', 'Emma', 'Ava', 'Sophia', 'Mia', 'Chloe', 'Emily', 'Madison', 'Abigail', 'Ella',
    'Harper', 'Avery', 'Scarlett', 'Grace', 'Lily', 'Aubrey', 'Zoey', 'Hannah', 'Natalie', 'Addison',
    'Brooklyn', 'Savannah', 'Layla', 'Riley', 'Nora', 'Hazel', 'Aria', 'Stella', 'Claire', 'Naomi',
    'Victoria', 'Samantha', 'Jasmine', 'Taylor', 'Morgan', 'Ethan', 'Noah', 'Liam', 'Mason', 'Logan',
  ],
};

export const lastNames: Readonly<Record<PersonLanguage, readonly string[]>> = {
  es: [
    'García', 'Rodríguez', 'Martínez', 'Hernández', 'López', 'González', 'Pérez', 'Sánchez', 'Ramírez', 'Torres',
    'Flores', 'Rivera', 'Gómez', 'Díaz', 'Cruz', 'Morales', 'Reyes', 'Gutiérrez', 'Ortiz', 'Castillo',
    'Jiménez', 'Ruiz', 'Vargas', 'Romero', 'Navarro', 'Restrepo', 'Ospina', 'Cardona', 'Mejía', 'Fernández',
    'Álvarez', 'Moreno', 'Muñoz', 'Castro', 'Herrera', 'Medina', 'Aguilar', 'Vega', 'Salazar', 'Delgado',
  ],
  pt: [
    'Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes',
    'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa',
    'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques', 'Machado', 'Mendes', 'Freitas',
    'Cardoso', 'Ramos', 'Gonçalves', 'Santana', 'Teixeira', 'Araújo', 'Pinto', 'Correia', 'Monteiro', 'Cunha',
  ],
  en: [
    'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
    'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
    'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams',
    'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans',
  ],
};

/** What people put after their name on WhatsApp. */
export const profileNameFlourishes: readonly string[] = [' ✨', ' 🌸', ' 💫', ' 🦋', ' ❤️', ' 🌻', ''];

export const recruiterNames: readonly string[] = [
  'Renata Reyes', 'Paulo Prado', 'Lucía Ibarra', 'Carlos Mendes', 'Sofia Albuquerque', 'Andrés Quintero', 'Marta Solís',
  'Jorge Campos', 'Beatriz Lacerda', 'Elena Duarte', 'Hugo Salgado', 'Patricia Lemos', 'Rocío Valdés', 'Tomás Aranda',
  'Clara Peixoto', 'Diego Fuentes', 'Natália Brandão', 'Irene Calvo', 'Felipe Arantes', 'Julia Werner',
];
