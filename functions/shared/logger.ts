import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Log ids, kinds and counts — never tokens, passwords, phone numbers or message
 * bodies. The level comes from POWERTOOLS_LOG_LEVEL (tests run with SILENT).
 */
export const logger = new Logger({ serviceName: 'wasaprecruit' });
