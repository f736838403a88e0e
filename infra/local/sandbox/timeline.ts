import type { OutboundStatus } from '../../../functions/channels/model.ts';
import { deriveStatus, type StatusEvent } from '../../../functions/channels/status.ts';
import { STATUS_BY_TWILIO_STATUS } from '../../../functions/channels/twilio/inbound.ts';
import type { TwilioSentMessage } from '../providers/twilioApi.ts';

/**
 * What the sandbox saw on each aspirant's phone, in order: the messages the simulator posted as the aspirant
 * (with every delivery of their webhook, replays included) and the messages the platform sent to the aspirant
 * through the sandbox's Twilio API (with the status callbacks played for them). Kept in memory: it is the
 * phone's side of the story, the database keeps the platform's.
 */

/** One POST of an inbound webhook to the host; `answer` is its HTTP status, null when the host was unreachable. */
export interface WebhookDelivery {
  readonly at: string;
  readonly answer: number | null;
}

export interface SimulatedMedia {
  /** Where the page shows it: the sandbox's own copy, not the credentialed provider URL. */
  readonly previewUrl: string;
  readonly contentType: string;
  readonly sizeBytes: number;
}

export interface InboundEntry {
  readonly kind: 'inbound';
  readonly messageSid: string;
  readonly at: string;
  readonly profileName: string | null;
  readonly body: string;
  readonly media: readonly SimulatedMedia[];
  readonly deliveries: readonly WebhookDelivery[];
}

export interface OutboundEntry {
  readonly kind: 'outbound';
  readonly messageSid: string;
  readonly at: string;
  readonly body: string | null;
  readonly mediaUrls: readonly string[];
  /** A template send: its ContentSid and the variables by position. */
  readonly template: { readonly contentSid: string; readonly variables: Readonly<Record<string, string>> } | null;
  /** Derived like the platform derives it, from the callbacks the host accepted (2xx), in whatever order they came. */
  readonly status: OutboundStatus;
}

export type TimelineEntry = InboundEntry | OutboundEntry;

export interface AspirantSummary {
  readonly phone: string;
  readonly profileName: string | null;
  readonly lastActivityAt: string;
  readonly messages: number;
}

interface InboundRecord {
  readonly kind: 'inbound';
  readonly phone: string;
  readonly messageSid: string;
  readonly at: Date;
  readonly profileName: string | null;
  readonly body: string;
  readonly media: readonly SimulatedMedia[];
  readonly deliveries: WebhookDelivery[];
}

interface OutboundRecord {
  readonly kind: 'outbound';
  readonly phone: string;
  readonly messageSid: string;
  readonly at: Date;
  readonly params: TwilioSentMessage['params'];
  readonly acceptedStatuses: StatusEvent[];
}

export interface NewInbound {
  readonly phone: string;
  readonly messageSid: string;
  readonly profileName: string | null;
  readonly body: string;
  readonly media: readonly SimulatedMedia[];
}

export class SandboxTimeline {
  private readonly records: (InboundRecord | OutboundRecord)[] = [];
  private readonly bySid = new Map<string, InboundRecord | OutboundRecord>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  recordInbound(message: NewInbound): void {
    this.add({ kind: 'inbound', ...message, at: this.now(), deliveries: [] });
  }

  /** Notes one POST of an inbound message's webhook and the host's answer. */
  recordDelivery(messageSid: string, answer: number | null): void {
    const record = this.bySid.get(messageSid);
    if (record?.kind !== 'inbound') throw new Error(`no simulated message ${messageSid}`);
    record.deliveries.push({ at: this.now().toISOString(), answer });
  }

  recordOutbound(message: TwilioSentMessage): void {
    const phone = String(message.params.To).replace(/^whatsapp:/, '');
    this.add({ kind: 'outbound', phone, messageSid: message.sid, at: this.now(), params: message.params, acceptedStatuses: [] });
  }

  /** Notes a played status callback; only the ones the host accepted move the ticks. */
  recordStatusCallback(messageSid: string, twilioStatus: string, answer: number | undefined): void {
    const record = this.bySid.get(messageSid);
    const status = STATUS_BY_TWILIO_STATUS[twilioStatus];
    if (record?.kind !== 'outbound' || status === undefined || answer === undefined || answer < 200 || answer > 299) return;
    record.acceptedStatuses.push({ status });
  }

  thread(phone: string): TimelineEntry[] {
    return this.records.filter((record) => record.phone === phone).map(toEntry);
  }

  aspirants(): AspirantSummary[] {
    const byPhone = new Map<string, AspirantSummary>();
    for (const record of this.records) {
      const previous = byPhone.get(record.phone);
      const profileName = (record.kind === 'inbound' ? record.profileName : null) ?? previous?.profileName ?? null;
      byPhone.set(record.phone, { phone: record.phone, profileName, lastActivityAt: record.at.toISOString(), messages: (previous?.messages ?? 0) + 1 });
    }
    return [...byPhone.values()].sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
  }

  private add(record: InboundRecord | OutboundRecord): void {
    this.records.push(record);
    this.bySid.set(record.messageSid, record);
  }
}

function toEntry(record: InboundRecord | OutboundRecord): TimelineEntry {
  if (record.kind === 'inbound') {
    const { phone: _phone, ...entry } = record;
    return { ...entry, at: record.at.toISOString(), deliveries: [...record.deliveries] };
  }
  const body = typeof record.params.Body === 'string' ? record.params.Body : null;
  const contentSid = typeof record.params.ContentSid === 'string' ? record.params.ContentSid : null;
  return {
    kind: 'outbound',
    messageSid: record.messageSid,
    at: record.at.toISOString(),
    body,
    mediaUrls: [record.params.MediaUrl ?? []].flat(),
    template: contentSid === null ? null : { contentSid, variables: contentVariables(record.params.ContentVariables) },
    status: deriveStatus(record.acceptedStatuses).status,
  };
}

/** Twilio's ContentVariables (`{"1":"Ana"}`) as the page shows them; anything else shows as none. */
function contentVariables(raw: string | readonly string[] | undefined): Record<string, string> {
  if (typeof raw !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
  } catch {
    return {};
  }
}
