import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4, type SignatureV4Init } from '@smithy/signature-v4';
import { publishDocuments, publishVariables, type EventPublisher, type LiveEvent } from './publisher.ts';

export interface AppSyncPublisherOptions {
  /** The API's GraphQL endpoint, e.g. https://<id>.appsync-api.<region>.amazonaws.com/graphql. */
  readonly url: string;
  readonly region: string;
  /** Defaults to the Node credential chain: on Lambda, the function's role. */
  readonly credentials?: SignatureV4Init['credentials'];
  /** Publishing is best-effort, so a slow AppSync must not eat the resolver's 30 s budget. */
  readonly timeoutMs?: number;
}

export class PublishError extends Error {
  override name = 'PublishError';
}

interface GraphqlResponse {
  readonly errors?: readonly { readonly errorType?: string; readonly message?: string }[];
}

/** Sends live events to AppSync as the schema's IAM-only publish mutations, SigV4-signed for the 'appsync' service. */
export class AppSyncPublisher implements EventPublisher {
  readonly #endpoint: URL;
  readonly #signer: SignatureV4;
  readonly #timeoutMs: number;

  constructor(options: AppSyncPublisherOptions) {
    this.#endpoint = new URL(options.url);
    this.#signer = new SignatureV4({
      service: 'appsync',
      region: options.region,
      credentials: options.credentials ?? defaultProvider(),
      sha256: Sha256,
    });
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  async publish(event: LiveEvent): Promise<void> {
    const endpoint = this.#endpoint;
    const body = JSON.stringify({ query: publishDocuments[event.kind], variables: publishVariables(event) });
    const signed = await this.#signer.sign({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port === '' ? undefined : Number(endpoint.port),
      path: endpoint.pathname,
      query: {},
      headers: { host: endpoint.host, 'content-type': 'application/json' },
      body,
    });
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: signed.headers,
      body,
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    const text = await response.text();
    const errors = parseErrors(text);
    if (!response.ok || errors.length > 0) {
      const detail = errors.length > 0 ? errors.join('; ') : text.slice(0, 200);
      throw new PublishError(`publishing a ${event.kind} event failed (HTTP ${response.status}): ${detail}`);
    }
  }
}

/** AppSync reports problems as GraphQL errors, also on 4xx answers; anything unparseable has none to report. */
function parseErrors(text: string): string[] {
  let parsed: GraphqlResponse;
  try {
    parsed = JSON.parse(text) as GraphqlResponse;
  } catch {
    return [];
  }
  return (parsed.errors ?? []).map((error) => `${error.errorType ?? 'Error'}: ${error.message ?? ''}`);
}
