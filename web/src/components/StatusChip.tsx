import type { PipelineStatus } from '../generated/graphql.ts';
import { pipelineStatusLabels } from '../lib/labels.ts';

export function StatusChip({ status }: { readonly status: PipelineStatus }) {
  return <span className={`chip chip--${status.toLowerCase().replace(/_/g, '-')}`}>{pipelineStatusLabels[status]}</span>;
}
