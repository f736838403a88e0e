import type { EventPublisher, LiveEvent } from '../../live/publisher.ts';

/** An EventPublisher that keeps what it was asked to publish, for tests. */
export class RecordingPublisher implements EventPublisher {
  readonly events: LiveEvent[] = [];

  async publish(event: LiveEvent): Promise<void> {
    this.events.push(event);
  }

  clear(): void {
    this.events.length = 0;
  }
}
