import { randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { answerByQuoting, classifyByRules } from '../../../functions/llm/local.ts';
import type { Passage } from '../../../functions/knowledge/search.ts';

/**
 * A local stand-in for the Amazon Bedrock runtime's Converse API: `POST /model/{modelId}/converse` with the
 * restJson1 body the official SDK sends, answered in the shape the SDK parses (`output.message.content[]` with
 * `text` or `toolUse` blocks, `stopReason`, `usage`, `metrics`), and errors the SDK turns into its exception
 * classes (`x-amzn-ErrorType` header, `{"message"}` body; 429 ThrottlingException, 400 ValidationException…).
 * Requests must carry a SigV4 Authorization header (any static credentials), as the SDK always sends one.
 * It speaks HTTP/2 without TLS (h2c), as the SDK's default NodeHttp2Handler does with an http:// endpoint.
 *
 * The default responder is a deterministic "model" over the local provider's rules, so LLM_PROVIDER=bedrock
 * with BEDROCK_ENDPOINT pointing here works end to end; tests script replies (errors, delays, hostile output)
 * with `respond`. For local development and tests only.
 */
export interface ConverseCall {
  readonly modelId: string;
  readonly body: ConverseBody;
  readonly authorization: string;
}

export type ConverseReply =
  | { readonly kind: 'tool'; readonly input: unknown; readonly name?: string; readonly stopReason?: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'error'; readonly status: number; readonly type: string; readonly message: string }
  | { readonly kind: 'delay'; readonly ms: number; readonly then: ConverseReply };

export type ConverseResponder = (call: ConverseCall) => ConverseReply | Promise<ConverseReply>;

export interface BedrockEndpoint {
  readonly url: string;
  /** Every well-formed call received, in order. */
  readonly calls: readonly ConverseCall[];
  close(): Promise<void>;
}

const contentBlockSchema = z.record(z.string(), z.unknown());
const converseBodySchema = z.looseObject({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(contentBlockSchema).min(1) })).min(1),
  system: z.array(z.looseObject({ text: z.string() })).optional(),
  inferenceConfig: z
    .looseObject({ maxTokens: z.number().int().min(1).optional(), temperature: z.number().min(0).max(1).optional(), topP: z.number().min(0).max(1).optional() })
    .optional(),
  toolConfig: z
    .object({
      tools: z.array(z.object({ toolSpec: z.object({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/), description: z.string().optional(), inputSchema: z.object({ json: z.unknown() }) }) })).min(1),
      toolChoice: z.object({ tool: z.object({ name: z.string() }).optional(), auto: z.object({}).optional(), any: z.object({}).optional() }).optional(),
    })
    .optional(),
});

export type ConverseBody = z.infer<typeof converseBodySchema>;

const MAX_BODY_BYTES = 1024 * 1024;

class ConverseError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message);
  }
}

const unescape = (text: string): string => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
const textOf = (body: ConverseBody): string =>
  body.messages.flatMap((message) => message.content.map((block) => (typeof block.text === 'string' ? block.text : ''))).join('\n');
const between = (text: string, tag: string): string | undefined => new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(text)?.[1];

/** The deterministic model: the local provider's rules behind the same tools the Bedrock adapter declares. */
const ruleBasedResponder: ConverseResponder = (call) => {
  const toolName = call.body.toolConfig?.toolChoice?.tool?.name;
  const text = textOf(call.body);
  if (toolName === 'classify_intent') {
    const { intent, confidence } = classifyByRules(unescape(between(text, 'aspirant_message') ?? ''));
    return { kind: 'tool', input: { intent, confidence } };
  }
  if (toolName === 'answer_from_passages') {
    const passages: Passage[] = [...text.matchAll(/<passage id="([^"]+)" source="([^"]*)">\n([\s\S]*?)\n<\/passage>/g)].map((match) => ({
      id: match[1]!,
      documentId: match[1]!,
      documentTitle: unescape(match[2]!),
      documentLanguage: 'es',
      heading: null,
      body: unescape(match[3]!),
      rank: 1,
    }));
    const answer = answerByQuoting({ question: unescape(between(text, 'aspirant_question') ?? ''), language: 'es', passages });
    return { kind: 'tool', input: answer === undefined ? { answerable: false, answer: '', passage_ids: [] } : { answerable: true, answer: answer.text, passage_ids: [answer.passageId] } };
  }
  return { kind: 'text', text: 'I can only answer through the tools I am given.' };
};

function replyBody(reply: Exclude<ConverseReply, { kind: 'error' | 'delay' }>, call: ConverseCall, startedAt: number): object {
  const content =
    reply.kind === 'text'
      ? [{ text: reply.text }]
      : [{ toolUse: { toolUseId: `tooluse_${randomUUID().replaceAll('-', '')}`, name: reply.name ?? call.body.toolConfig?.toolChoice?.tool?.name ?? 'tool', input: reply.input } }];
  const inputTokens = Math.ceil(JSON.stringify(call.body).length / 4);
  const outputTokens = Math.ceil(JSON.stringify(content).length / 4);
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: reply.kind === 'text' ? 'end_turn' : (reply.stopReason ?? 'tool_use'),
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    metrics: { latencyMs: Date.now() - startedAt },
  };
}

async function readBody(request: http2.Http2ServerRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ConverseError(413, 'ValidationException', 'the request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBedrockEndpoint(options: { respond?: ConverseResponder; port?: number; host?: string } = {}): Promise<BedrockEndpoint> {
  const respond = options.respond ?? ruleBasedResponder;
  const calls: ConverseCall[] = [];

  const send = (response: http2.Http2ServerResponse, status: number, body: object, errorType?: string) => {
    // The client may have given up (a timeout test): nothing to answer.
    if (response.stream.destroyed) return;
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    response.end(text);
  };

  const handle = (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => {
    const startedAt = Date.now();
    void (async () => {
      try {
        const match = /^\/model\/([^/]+)\/converse$/.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
        if (request.method !== 'POST' || match === null) throw new ConverseError(404, 'ResourceNotFoundException', `no operation at ${request.method} ${request.url}`);
        const authorization = request.headers.authorization ?? '';
        if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) throw new ConverseError(403, 'AccessDeniedException', 'the request is not signed');
        let json: unknown;
        try {
          json = JSON.parse(await readBody(request));
        } catch (error) {
          if (error instanceof ConverseError) throw error;
          throw new ConverseError(400, 'ValidationException', 'the request body is not JSON');
        }
        const body = converseBodySchema.safeParse(json);
        if (!body.success) throw new ConverseError(400, 'ValidationException', `malformed Converse request: ${body.error.issues[0]?.path.join('.')} ${body.error.issues[0]?.message}`);
        const call: ConverseCall = { modelId: decodeURIComponent(match[1]!), body: body.data, authorization };
        calls.push(call);
        let reply = await respond(call);
        while (reply.kind === 'delay') {
          const { ms, then } = reply;
          await new Promise((resolve) => setTimeout(resolve, ms));
          reply = then;
        }
        if (reply.kind === 'error') send(response, reply.status, { message: reply.message }, reply.type);
        else send(response, 200, replyBody(reply, call, startedAt));
      } catch (error) {
        if (error instanceof ConverseError) send(response, error.status, { message: error.message }, error.type);
        else send(response, 500, { message: 'internal error' }, 'InternalServerException');
      }
    })();
  };

  // HTTP/2 without TLS, which the SDK's NodeHttp2Handler speaks to an http:// endpoint.
  const server = http2.createServer(handle);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const session of sessions) session.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
