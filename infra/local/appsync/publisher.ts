import { PublishError } from '../../../functions/live/appsyncPublisher.ts';
import { publishDocuments, publishVariables, type EventPublisher, type LiveEvent } from '../../../functions/live/publisher.ts';
import type { AppSyncEngine } from './engine.ts';

/**
 * The local twin of the AWS publisher: the same publish mutations and variables, executed in-process as the
 * backend's IAM role, so events go through the NONE passthrough resolver and fan out exactly as on AppSync.
 */
export class InProcessEventPublisher implements EventPublisher {
  constructor(private readonly engine: Pick<AppSyncEngine, 'executeAsIam'>) {}

  async publish(event: LiveEvent): Promise<void> {
    const response = await this.engine.executeAsIam(publishDocuments[event.kind], publishVariables(event));
    const errors = response.errors ?? [];
    if (errors.length > 0) {
      throw new PublishError(`publishing a ${event.kind} event failed: ${errors.map((error) => `${error.errorType ?? 'Error'}: ${error.message}`).join('; ')}`);
    }
  }
}
