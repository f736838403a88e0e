import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The official client's HTTP layer with the REST API's origin replaced by `apiBaseUrl` (a local endpoint that
 * speaks Twilio's API). The package has no base-URL option — edge and region only pick other *.twilio.com
 * hosts — but takes a custom `httpClient`; this one changes the origin and leaves the rest (auth, form
 * encoding, response handling) to the package's own RequestClient, so the real client sends real HTTP.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(private readonly apiBaseUrl: URL) {
    super({ timeout: REQUEST_TIMEOUT_MS });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    if (uri.origin !== TWILIO_API_BASE_URL) return super.request(opts);
    const rebased = new URL(`${uri.pathname}${uri.search}`, this.apiBaseUrl);
    return super.request({ ...opts, uri: rebased.href });
  }
}

/** A Twilio REST client; `apiBaseUrl` points it at another endpoint than https://api.twilio.com. */
export function createTwilioClient(accountSid: string, authToken: string, apiBaseUrl?: URL): twilio.Twilio {
  const httpClient = apiBaseUrl ? new RebasedRequestClient(apiBaseUrl) : new twilio.RequestClient({ timeout: REQUEST_TIMEOUT_MS });
  return twilio(accountSid, authToken, { httpClient });
}
