/**
 * `npm start`: the whole product on one machine — embedded PostgreSQL (or DATABASE_URL), the local
 * AppSync-compatible host, the token issuer and the demo agency on first start.
 */
import { config } from '../../functions/shared/config.ts';
import { logger } from '../../functions/shared/logger.ts';
import { startLocalHost } from './host.ts';

const settings = config();
const host = await startLocalHost(settings);
logger.info('WasaPrecruit local host ready', { url: host.url, graphql: `${host.url}/graphql`, driver: host.db.driver });

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await host.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
