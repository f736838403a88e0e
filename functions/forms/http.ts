import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { enqueueBotEventForAspirant } from '../bot/job.ts';
import { publishAspirantEvents } from '../domain/live.ts';
import type { Services } from '../domain/services.ts';
import { logger } from '../shared/logger.ts';
import type { WebhookRoute } from '../webhooks/routes.ts';
import { openFormLink } from './links.ts';
import { type RecordedSubmission, submitFormLink } from './submissions.ts';
import { FormTokenError, type FormTokenErrorKind } from './tokens.ts';
import { acceptFormWebhook, FORM_WEBHOOK_SIGNATURE_HEADER, MAX_FORM_WEBHOOK_BYTES } from './webhook.ts';

/**
 * The web form's API as API Gateway HTTP API (payload 2.0) Lambda handlers; the local host serves the same.
 * The console's `/apply/<token>` page reads and posts here, without login: the signed token is the key.
 *
 *   GET  /api/forms/{token}  → 200 { language, previous } and the link counts as opened (once);
 *   POST /api/forms/{token}  → 200 { submittedAt } once stored, 400 { errors } per field (nothing stored);
 *   POST /webhooks/form      → external form tools, HMAC-SHA256 of the raw body (FORM_WEBHOOK_SECRET).
 *
 * A tampered or unknown token answers 403, an expired or revoked one 410, each with its reason, and stores
 * nothing. A stored submission updates the aspirant, is published live and becomes a bot event.
 */
export const FORM_API_PATH = '/api/forms';
export const FORM_WEBHOOK_PATH = '/webhooks/form';

export interface FormRouteDeps {
  readonly services: Services;
  /** FORM_WEBHOOK_SECRET; without one every form webhook is refused as unsigned. */
  readonly webhookSecret: string | undefined;
}

export function formRoutes(deps: FormRouteDeps): WebhookRoute[] {
  return [
    { routeKey: `GET ${FORM_API_PATH}/{token}`, handler: openForm(deps) },
    { routeKey: `POST ${FORM_API_PATH}/{token}`, handler: submitForm(deps) },
    { routeKey: `POST ${FORM_WEBHOOK_PATH}`, handler: receiveFormWebhook(deps) },
  ];
}

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const tokenStatus: Readonly<Record<FormTokenErrorKind, number>> = { malformed: 403, bad_signature: 403, unknown_link: 403, expired: 410, revoked: 410 };

/** The token's refusal as an answer, or rethrows anything else. */
function refusal(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (!(error instanceof FormTokenError)) throw error;
  return json(tokenStatus[error.kind], { error: error.kind, message: error.message });
}

function openForm({ services }: FormRouteDeps): Handler {
  return async (event) => {
    const token = event.pathParameters?.token ?? '';
    let opened;
    try {
      opened = await services.db.transaction(async (tx) => {
        const result = await openFormLink(tx, token, services.formLinks.secret, services.now());
        if (result.firstOpen) {
          await enqueueBotEventForAspirant(tx, result.link.aspirantId, { type: 'form_opened', formLinkId: result.link.id }, `bot.event:form-opened:${result.link.id}`);
        }
        return result;
      });
    } catch (error) {
      return refusal(error);
    }
    // The recruiter's funnel shows the link opened.
    if (opened.firstOpen) await publishAspirantEvents(services, opened.link.aspirantId);
    return json(200, { language: opened.language ?? services.bot.defaultLanguage, previous: opened.previousSubmission, expiresAt: opened.link.expiresAt });
  };
}

function submitForm({ services }: FormRouteDeps): Handler {
  return async (event) => {
    const token = event.pathParameters?.token ?? '';
    const raw = bodyOf(event);
    if (raw.byteLength > MAX_FORM_WEBHOOK_BYTES) return json(413, { error: 'too_large', message: `the form is larger than ${MAX_FORM_WEBHOOK_BYTES} bytes` });
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = null;
    }
    let result;
    try {
      result = await services.db.transaction(async (tx) => {
        const submitted = await submitFormLink(tx, { token, body, secret: services.formLinks.secret, now: services.now() });
        if (submitted.ok) await enqueueSubmitted(tx, submitted.submission);
        return submitted;
      });
    } catch (error) {
      return refusal(error);
    }
    if (!result.ok) return json(400, { error: 'invalid_fields', errors: result.errors });
    await publishAspirantEvents(services, result.submission.aspirantId);
    return json(200, { submittedAt: result.submission.submittedAt });
  };
}

function receiveFormWebhook({ services, webhookSecret }: FormRouteDeps): Handler {
  return async (event) => {
    const outcome = await services.db.transaction(async (tx) => {
      const accepted = await acceptFormWebhook(tx, {
        rawBody: bodyOf(event),
        signature: event.headers[FORM_WEBHOOK_SIGNATURE_HEADER],
        webhookSecret: webhookSecret ?? '',
        linkSecret: services.formLinks.secret,
        now: services.now(),
      });
      if (accepted.status === 200) await enqueueSubmitted(tx, accepted.submission);
      return accepted;
    });
    if (outcome.status !== 200) {
      if (outcome.status === 401) logger.warn('form webhook refused: invalid or missing signature', { sourceIp: event.requestContext.http.sourceIp });
      return json(outcome.status, { error: outcome.reason, ...('errors' in outcome && outcome.errors ? { errors: outcome.errors } : {}) });
    }
    await publishAspirantEvents(services, outcome.submission.aspirantId);
    return json(200, { submissionId: outcome.submission.submissionId, aspirantId: outcome.submission.aspirantId });
  };
}

const enqueueSubmitted = (tx: Parameters<typeof enqueueBotEventForAspirant>[0], submission: RecordedSubmission) =>
  enqueueBotEventForAspirant(tx, submission.aspirantId, { type: 'form_submitted', submissionId: submission.submissionId }, `bot.event:form-submitted:${submission.submissionId}`);

const bodyOf = (event: APIGatewayProxyEventV2): Buffer => (event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'));

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});
