-- The recruiting bot (functions/bot/), the texts it says and the knowledge base its FAQ agent answers from
-- (functions/knowledge/). Runs unchanged on PostgreSQL 15, Aurora PostgreSQL 16 and PGlite.

-- The flow's whole state per aspirant (functions/bot/flow.ts BotState, validated on read);
-- conversations.bot_state mirrors its phase for the console.
CREATE TABLE bot_flow_states (
  aspirant_id uuid PRIMARY KEY REFERENCES aspirants (id) ON DELETE CASCADE,
  state       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per message the bot sent. The primary key makes the reply to a redelivered or concurrent event a
-- no-op (the wiring claims the step in the same transaction as the outbound message); today's rows are the
-- daily automated-message count.
CREATE TABLE bot_steps (
  aspirant_id     uuid NOT NULL REFERENCES aspirants (id) ON DELETE CASCADE,
  step_key        text NOT NULL CHECK (length(step_key) BETWEEN 1 AND 200),
  conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
  text_key        text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (aspirant_id, step_key)
);
CREATE INDEX bot_steps_daily_idx ON bot_steps (aspirant_id, created_at);

-- Everything the bot says, per language; admins edit it. Only approved rows are ever sent.
CREATE TABLE bot_texts (
  key           text NOT NULL CHECK (key ~ '^[a-z][a-z_]*(\.[a-z0-9_]+)*$'),
  language      text NOT NULL CHECK (language IN ('es', 'en', 'pt')),
  body          text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
  approved      boolean NOT NULL DEFAULT true,
  -- The WhatsApp template (message_templates, migration 0003) that says this text outside the 24-hour window:
  -- its {{n}} variables are the text's placeholders in declared order. Null: the text waits for the window.
  template_name text,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  updated_by    uuid REFERENCES recruiters (id) ON DELETE SET NULL,
  PRIMARY KEY (key, language),
  FOREIGN KEY (template_name, language) REFERENCES message_templates (name, language) ON DELETE SET NULL (template_name)
);

CREATE TABLE knowledge_documents (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type text NOT NULL CHECK (content_type IN ('text/plain', 'text/markdown')),
  language     text NOT NULL CHECK (language IN ('es', 'en', 'pt')),
  blob_key     text NOT NULL,
  size_bytes   integer NOT NULL CHECK (size_bytes > 0),
  uploaded_by  uuid REFERENCES recruiters (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Chunks of a document. search_vector is written with the text folded (lower case, no accents): the
-- document language's stemmed lexemes plus 'simple' ones, so questions match across plurals and spellings.
CREATE TABLE knowledge_passages (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  document_id   uuid NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
  position      integer NOT NULL CHECK (position >= 0),
  heading       text,
  body          text NOT NULL,
  search_vector tsvector NOT NULL,
  UNIQUE (document_id, position)
);
CREATE INDEX knowledge_passages_search_idx ON knowledge_passages USING gin (search_vector);

-- The approved texts every key of functions/bot/texts.ts starts with (functions/bot/texts.test.ts checks that
-- each key has one per language with exactly its placeholders).
INSERT INTO bot_texts (key, language, body) VALUES
  ('welcome', 'es', '¡Hola! 👋 Soy el asistente automático de la agencia. Te acompaño en los primeros pasos de tu postulación; después, un reclutador de nuestro equipo revisará tu perfil.'),
  ('welcome', 'en', 'Hi! 👋 I am the agency''s automated assistant. I will guide you through the first steps of your application; then a recruiter from our team will review your profile.'),
  ('welcome', 'pt', 'Olá! 👋 Sou o assistente automático da agência. Vou acompanhar você nos primeiros passos da sua candidatura; depois, um recrutador da nossa equipe vai analisar seu perfil.'),

  ('form.link', 'es', 'Para empezar, completa tu ficha en este enlace personal (no lo compartas): {formUrl}'),
  ('form.link', 'en', 'To begin, fill in your application at this personal link (please do not share it): {formUrl}'),
  ('form.link', 'pt', 'Para começar, preencha sua ficha neste link pessoal (não compartilhe): {formUrl}'),

  ('form.reminder', 'es', 'Recordatorio: tu ficha sigue pendiente. Se completa en pocos minutos aquí: {formUrl}'),
  ('form.reminder', 'en', 'Reminder: your application is still waiting. It takes a few minutes to fill in here: {formUrl}'),
  ('form.reminder', 'pt', 'Lembrete: sua ficha ainda está pendente. Leva poucos minutos para preencher aqui: {formUrl}'),

  ('photos.request', 'es', '¡Gracias por completar tu ficha! Ahora envíanos por este chat, en este orden: {checklist}. Sin filtros, con buena luz y un fondo sencillo.'),
  ('photos.request', 'en', 'Thank you for filling in your application! Now please send us in this chat, in this order: {checklist}. No filters, good light and a plain background.'),
  ('photos.request', 'pt', 'Obrigado por preencher sua ficha! Agora envie por este chat, nesta ordem: {checklist}. Sem filtros, com boa luz e fundo simples.'),

  ('photos.ack', 'es', 'Recibimos tu {received}. Aún nos falta: {missing}.'),
  ('photos.ack', 'en', 'We received your {received}. Still missing: {missing}.'),
  ('photos.ack', 'pt', 'Recebemos sua {received}. Ainda falta: {missing}.'),

  ('photos.thanks', 'es', '¡Gracias! Agregamos la foto a tu perfil.'),
  ('photos.thanks', 'en', 'Thank you! We added the photo to your profile.'),
  ('photos.thanks', 'pt', 'Obrigado! Adicionamos a foto ao seu perfil.'),

  ('photos.early', 'es', '¡Gracias por la foto! Antes de las fotos necesitamos tu ficha: {formUrl}'),
  ('photos.early', 'en', 'Thanks for the photo! Before the photos we need your application: {formUrl}'),
  ('photos.early', 'pt', 'Obrigado pela foto! Antes das fotos precisamos da sua ficha: {formUrl}'),

  ('guardian.consent.request', 'es', 'Gracias por tu ficha. Como eres menor de edad, necesitamos el consentimiento de tu madre, padre o tutor antes de continuar. Un reclutador te contactará para gestionarlo; mientras tanto, por favor no envíes fotos.'),
  ('guardian.consent.request', 'en', 'Thank you for your application. As you are under 18, we need the consent of your parent or guardian before we continue. A recruiter will contact you about it; in the meantime, please do not send photos.'),
  ('guardian.consent.request', 'pt', 'Obrigado pela sua ficha. Como você é menor de idade, precisamos do consentimento da sua mãe, pai ou responsável antes de continuar. Um recrutador vai entrar em contato para isso; enquanto isso, por favor não envie fotos.'),

  ('guardian.consent.pending', 'es', 'Gracias. Todavía no podemos recibir fotos: primero necesitamos el consentimiento de tu madre, padre o tutor. Un reclutador te contactará.'),
  ('guardian.consent.pending', 'en', 'Thank you. We cannot receive photos yet: first we need your parent''s or guardian''s consent. A recruiter will contact you.'),
  ('guardian.consent.pending', 'pt', 'Obrigado. Ainda não podemos receber fotos: primeiro precisamos do consentimento da sua mãe, pai ou responsável. Um recrutador vai entrar em contato.'),

  ('affirmation.1', 'es', '¡Listo! Recibimos tu ficha y tus fotos. Un reclutador revisará tu perfil y te contactará por este chat. ¡Gracias por tu interés!'),
  ('affirmation.1', 'en', 'All set! We have your application and your photos. A recruiter will review your profile and contact you in this chat. Thank you for your interest!'),
  ('affirmation.1', 'pt', 'Pronto! Recebemos sua ficha e suas fotos. Um recrutador vai analisar seu perfil e entrar em contato por este chat. Obrigado pelo seu interesse!'),
  ('affirmation.2', 'es', '¡Gracias! Tu postulación está completa. Un reclutador de la agencia la revisará con atención y te contactará por aquí.'),
  ('affirmation.2', 'en', 'Thank you! Your application is complete. A recruiter from the agency will review it carefully and contact you here.'),
  ('affirmation.2', 'pt', 'Obrigado! Sua candidatura está completa. Um recrutador da agência vai analisá-la com atenção e entrar em contato por aqui.'),
  ('affirmation.3', 'es', 'Todo recibido 🙌 Tu perfil ya está en revisión y un reclutador te contactará por este chat. ¡Gracias por tu paciencia!'),
  ('affirmation.3', 'en', 'Everything received 🙌 Your profile is now under review and a recruiter will contact you in this chat. Thank you for your patience!'),
  ('affirmation.3', 'pt', 'Tudo recebido 🙌 Seu perfil já está em análise e um recrutador vai entrar em contato por este chat. Obrigado pela paciência!'),

  ('status.in_review', 'es', 'Tu perfil está en revisión. Un reclutador te contactará por este chat.'),
  ('status.in_review', 'en', 'Your profile is under review. A recruiter will contact you in this chat.'),
  ('status.in_review', 'pt', 'Seu perfil está em análise. Um recrutador vai entrar em contato por este chat.'),

  ('handoff', 'es', 'Le pedí a un reclutador que continúe la conversación contigo. Te responderá por este chat lo antes posible.'),
  ('handoff', 'en', 'I have asked a recruiter to continue the conversation with you. They will answer in this chat as soon as possible.'),
  ('handoff', 'pt', 'Pedi a um recrutador que continue a conversa com você. Ele vai responder por este chat o quanto antes.'),

  ('faq.answer', 'es', '{answer}

(Fuente: {source})'),
  ('faq.answer', 'en', '{answer}

(Source: {source})'),
  ('faq.answer', 'pt', '{answer}

(Fonte: {source})'),

  ('faq.unknown', 'es', 'No tengo esa información. Se la pregunto a un reclutador y te responderá por este chat.'),
  ('faq.unknown', 'en', 'I do not have that information. I will ask a recruiter, who will answer you in this chat.'),
  ('faq.unknown', 'pt', 'Não tenho essa informação. Vou perguntar a um recrutador, que vai responder por este chat.'),

  ('scheduling.confirm', 'es', 'Anotado: tu disponibilidad es {shifts}. Puedes cambiarla cuando quieras escribiéndome.'),
  ('scheduling.confirm', 'en', 'Noted: your availability is {shifts}. You can change it any time by writing to me.'),
  ('scheduling.confirm', 'pt', 'Anotado: sua disponibilidade é {shifts}. Você pode mudar quando quiser me escrevendo.'),

  ('scheduling.unclear', 'es', '¿Qué días y horarios tienes disponibles? Por ejemplo: «sábados por la tarde» o «lunes y martes por la mañana».'),
  ('scheduling.unclear', 'en', 'Which days and times are you available? For example: "Saturday afternoons" or "Monday and Tuesday mornings".'),
  ('scheduling.unclear', 'pt', 'Quais dias e horários você tem disponíveis? Por exemplo: "sábados à tarde" ou "segunda e terça de manhã".'),

  ('optout.how', 'es', 'Si no quieres recibir más mensajes, responde BAJA y dejaremos de escribirte.'),
  ('optout.how', 'en', 'If you do not want any more messages, reply STOP and we will stop writing to you.'),
  ('optout.how', 'pt', 'Se não quiser receber mais mensagens, responda SAIR e deixaremos de escrever.'),

  ('fallback', 'es', 'Soy un asistente automático: puedo ayudarte con tu ficha, tus fotos, tu disponibilidad y preguntas sobre la agencia. Si prefieres hablar con una persona, escribe «reclutador».'),
  ('fallback', 'en', 'I am an automated assistant: I can help with your application, your photos, your availability and questions about the agency. If you would rather talk to a person, write "recruiter".'),
  ('fallback', 'pt', 'Sou um assistente automático: posso ajudar com sua ficha, suas fotos, sua disponibilidade e perguntas sobre a agência. Se preferir falar com uma pessoa, escreva "recrutador".'),

  ('photo.headshot', 'es', 'foto de rostro (de frente)'),
  ('photo.headshot', 'en', 'headshot (face, from the front)'),
  ('photo.headshot', 'pt', 'foto do rosto (de frente)'),
  ('photo.full_body', 'es', 'foto de cuerpo entero'),
  ('photo.full_body', 'en', 'full-body photo'),
  ('photo.full_body', 'pt', 'foto de corpo inteiro'),
  ('photo.profile', 'es', 'foto de perfil (de lado)'),
  ('photo.profile', 'en', 'profile photo (from the side)'),
  ('photo.profile', 'pt', 'foto de perfil (de lado)'),

  ('day.mon', 'es', 'lunes'), ('day.mon', 'en', 'Monday'), ('day.mon', 'pt', 'segunda-feira'),
  ('day.tue', 'es', 'martes'), ('day.tue', 'en', 'Tuesday'), ('day.tue', 'pt', 'terça-feira'),
  ('day.wed', 'es', 'miércoles'), ('day.wed', 'en', 'Wednesday'), ('day.wed', 'pt', 'quarta-feira'),
  ('day.thu', 'es', 'jueves'), ('day.thu', 'en', 'Thursday'), ('day.thu', 'pt', 'quinta-feira'),
  ('day.fri', 'es', 'viernes'), ('day.fri', 'en', 'Friday'), ('day.fri', 'pt', 'sexta-feira'),
  ('day.sat', 'es', 'sábado'), ('day.sat', 'en', 'Saturday'), ('day.sat', 'pt', 'sábado'),
  ('day.sun', 'es', 'domingo'), ('day.sun', 'en', 'Sunday'), ('day.sun', 'pt', 'domingo'),

  ('window.morning', 'es', 'por la mañana'), ('window.morning', 'en', 'morning'), ('window.morning', 'pt', 'de manhã'),
  ('window.afternoon', 'es', 'por la tarde'), ('window.afternoon', 'en', 'afternoon'), ('window.afternoon', 'pt', 'à tarde'),
  ('window.evening', 'es', 'por la noche'), ('window.evening', 'en', 'evening'), ('window.evening', 'pt', 'à noite'),
  ('window.night', 'es', 'de madrugada'), ('window.night', 'en', 'night'), ('window.night', 'pt', 'de madrugada');
