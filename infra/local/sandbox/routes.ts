import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { whatsappAddressToE164 } from '../../../functions/channels/address.ts';
import { WebhookPayloadError } from '../../../functions/channels/model.ts';
import { publicWebhookUrl } from '../../../functions/channels/provider.ts';
import { BodyTooLargeError, readBody } from '../http/body.ts';
import { postWebhook, sendJson } from '../providers/http.ts';
import { signedTwilioWebhook, twilioInboundParams, twilioSid } from '../providers/twilioWebhooks.ts';
import { serveSimulatorPage } from '../simulator/page.ts';
import type { SandboxTimeline, SimulatedMedia } from './timeline.ts';

/**
 * The simulator's JSON API on the host's server:
 * - `GET /sandbox/aspirants`: the sender number and every phone the sandbox has seen, latest first;
 * - `GET /sandbox/thread?phone=+52…`: that phone's messages both ways, with webhook answers and ticks;
 * - `POST /sandbox/messages` (multipart: `from`, `profileName`, `body`, `media` files): a message as that
 *   aspirant — the host signs Twilio's inbound webhook for PUBLIC_URL and posts it to its own webhook route;
 * - `POST /sandbox/messages/<MessageSid>/replay`: posts that exact signed webhook again (Twilio redelivering);
 * - `GET /sandbox/media/<id>`: an attachment the simulator uploaded, for the page to show.
 * Answers are JSON; bad input is a 400 with the reason and changes nothing.
 */
export interface SandboxRoutesOptions {
  readonly publicUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly whatsappFrom: string;
  readonly timeline: SandboxTimeline;
  /** Keeps an attachment on the sandbox's Twilio API, behind its credentials, and returns its media URL. */
  readonly addMedia: (bytes: Uint8Array, contentType: string) => string;
}

const WEBHOOK_PATH = '/webhooks/twilio/whatsapp';
/** Above WhatsApp's 16 MB so the platform's own size limit can be seen refusing an attachment. */
const MAX_SUBMISSION_BYTES = 25 * 1024 * 1024;
/** Twilio's most media per message. */
const MAX_ATTACHMENTS = 10;
/** WhatsApp's longest text message. */
const MAX_BODY_CHARS = 4096;

class SandboxInputError extends Error {
  override readonly name = 'SandboxInputError';
}

const submissionSchema = z
  .object({
    from: z.string({ error: 'from: a phone number is required' }),
    profileName: z.string().trim().max(100, 'profileName: at most 100 characters').optional(),
    body: z.string().max(MAX_BODY_CHARS, `body: at most ${MAX_BODY_CHARS} characters`).optional(),
    media: z
      .array(z.instanceof(Blob, { error: 'media: expected files' }).refine((file) => file.size > 0, 'media: a file is empty'))
      .max(MAX_ATTACHMENTS, `media: at most ${MAX_ATTACHMENTS} files`),
  })
  .refine((submission) => Boolean(submission.body?.trim()) || submission.media.length > 0, 'a message needs a body or a media file');

export function createSandboxRoutes(options: SandboxRoutesOptions) {
  const { timeline } = options;
  const signedForUrl = publicWebhookUrl(options.publicUrl, WEBHOOK_PATH);
  /** Each simulated message's webhook parameters as first posted: a replay posts exactly these again. */
  const webhookParams = new Map<string, Record<string, string>>();
  const uploads = new Map<string, { readonly bytes: Uint8Array; readonly contentType: string }>();

  const deliver = async (request: IncomingMessage, messageSid: string): Promise<number | null> => {
    const webhook = signedTwilioWebhook(options.authToken, signedForUrl, webhookParams.get(messageSid)!);
    // Straight to this host's own server, the one the page's request came in on: signed for PUBLIC_URL all the same.
    const target = `http://127.0.0.1:${request.socket.localPort}${WEBHOOK_PATH}`;
    const answer = await postWebhook(target, webhook.headers, webhook.body).catch(() => null);
    timeline.recordDelivery(messageSid, answer);
    return answer;
  };

  const postMessage = async (request: IncomingMessage, response: ServerResponse) => {
    const submission = await readSubmission(request);
    const phone = whatsappAddressToE164(submission.from, 'from');
    const profileName = submission.profileName || null;
    const body = submission.body ?? '';
    const media: (SimulatedMedia & { readonly providerUrl: string })[] = [];
    for (const file of submission.media) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      // What the phone declared; the platform decides the type from the bytes.
      const contentType = file.type || 'application/octet-stream';
      const id = randomBytes(12).toString('hex');
      uploads.set(id, { bytes, contentType });
      media.push({ previewUrl: `/sandbox/media/${id}`, contentType, sizeBytes: bytes.byteLength, providerUrl: options.addMedia(bytes, contentType) });
    }
    const messageSid = twilioSid(media.length > 0 ? 'MM' : 'SM');
    webhookParams.set(
      messageSid,
      twilioInboundParams({
        accountSid: options.accountSid,
        messageSid,
        from: phone,
        to: options.whatsappFrom,
        body,
        ...(profileName === null ? {} : { profileName }),
        media: media.map((item) => ({ url: item.providerUrl, contentType: item.contentType })),
      }),
    );
    timeline.recordInbound({
      phone,
      messageSid,
      profileName,
      body,
      media: media.map(({ providerUrl: _providerUrl, ...shown }) => shown),
    });
    sendJson(response, 201, { messageSid, phone, answer: await deliver(request, messageSid) }, NO_STORE);
  };

  const replay = async (request: IncomingMessage, response: ServerResponse, messageSid: string) => {
    if (!webhookParams.has(messageSid)) return sendJson(response, 404, { error: 'not_found', message: `no simulated message ${messageSid}` }, NO_STORE);
    sendJson(response, 200, { messageSid, answer: await deliver(request, messageSid) }, NO_STORE);
  };

  const showUpload = (response: ServerResponse, id: string) => {
    const upload = uploads.get(id);
    if (!upload) return sendJson(response, 404, { error: 'not_found', message: 'no such upload' }, NO_STORE);
    response.writeHead(200, {
      'content-type': upload.contentType,
      'content-length': upload.bytes.byteLength,
      // Whatever was uploaded (an "image" that is really HTML or SVG with script), it cannot run here.
      'content-security-policy': "sandbox; default-src 'none'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=3600',
    });
    response.end(upload.bytes);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const route = `${request.method} ${url.pathname}`;
    if (request.method === 'POST' && crossOrigin(request)) {
      return sendJson(response, 403, { error: 'forbidden', message: 'the sandbox only takes requests from its own pages' }, NO_STORE);
    }
    if (route === 'GET /sandbox/aspirants') return sendJson(response, 200, { sender: options.whatsappFrom, aspirants: timeline.aspirants() }, NO_STORE);
    if (route === 'GET /sandbox/thread') {
      const phone = whatsappAddressToE164(url.searchParams.get('phone') ?? '', 'phone');
      return sendJson(response, 200, { phone, entries: timeline.thread(phone) }, NO_STORE);
    }
    if (route === 'POST /sandbox/messages') return postMessage(request, response);
    const replayed = /^POST \/sandbox\/messages\/([A-Za-z0-9]{34})\/replay$/.exec(route);
    if (replayed) return replay(request, response, replayed[1]!);
    const upload = /^GET \/sandbox\/media\/([0-9a-f]{24})$/.exec(route);
    if (upload) return showUpload(response, upload[1]!);
    sendJson(response, 404, { error: 'not_found', message: `no sandbox route for ${route}` }, NO_STORE);
  };

  return async function sandboxRoutes(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const url = new URL(request.url ?? '/', 'http://local');
    if (url.pathname === '/simulator' || url.pathname.startsWith('/simulator/')) {
      return serveSimulatorPage(request, response, url.pathname);
    }
    if (!url.pathname.startsWith('/sandbox/')) return false;
    try {
      await handle(request, response, url);
    } catch (error) {
      if (error instanceof SandboxInputError || error instanceof WebhookPayloadError) {
        sendJson(response, 400, { error: 'bad_request', message: error.message }, NO_STORE);
      } else if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { error: 'payload_too_large', message: error.message }, NO_STORE);
      } else {
        throw error;
      }
    }
    return true;
  };
}

const NO_STORE = { 'cache-control': 'no-store' };

async function readSubmission(request: IncomingMessage): Promise<z.output<typeof submissionSchema>> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    throw new SandboxInputError('expected multipart/form-data with from, profileName, body and media files');
  }
  const raw = await readBody(request, MAX_SUBMISSION_BYTES);
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new SandboxInputError('the form data could not be read');
  }
  const text = (name: string) => form.get(name) ?? undefined;
  const parsed = submissionSchema.safeParse({ from: text('from'), profileName: text('profileName'), body: text('body'), media: form.getAll('media') });
  if (!parsed.success) throw new SandboxInputError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

/** A browser request sent from another site's page (a form posted at localhost): refused. */
function crossOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  return !URL.canParse(origin) || new URL(origin).host !== request.headers.host;
}
