import { config } from '../shared/config.ts';
import { lambdaDb } from '../shared/lambdaRuntime.ts';
import { createSqsDeadLetterHandler } from './sqsDeadLetters.ts';

/** The dead-letter queue's consumer on AWS: records each dead-lettered job as a `dead` row (sqsDeadLetters.ts). */
export const handler = createSqsDeadLetterHandler(lambdaDb(config()));
