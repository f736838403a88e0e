/**
 * `npm start`: the whole product on one machine — embedded PostgreSQL (or DATABASE_URL), the local
 * AppSync-compatible host, the token issuer, the job worker and the demo agency on first start. Without
 * Twilio or Meta credentials a local WhatsApp sandbox stands in, played from /simulator.
 */
import { config } from '../../functions/shared/config.ts';
import { logger } from '../../functions/shared/logger.ts';
import { ensureConsoleBuilt } from '../../web/build.ts';
import { startLocalHost } from './host.ts';
import { startSandbox } from './sandbox/sandbox.ts';

const settings = config();
await ensureConsoleBuilt();
const sandbox = settings.twilio || settings.meta ? undefined : await startSandbox({ publicUrl: settings.publicUrl });
const host = await startLocalHost(
  settings,
  sandbox ? { channels: { twilio: sandbox.channel }, mediaFetch: sandbox.mediaFetchOptions, routes: sandbox.routes } : {},
);
logger.info('WasaPrecruit local host ready', { url: host.url, graphql: `${host.url}/graphql`, driver: host.db.driver });
if (sandbox) logger.info('no WhatsApp credentials: the local sandbox stands in for Twilio', { simulator: `${host.url}/simulator` });

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await host.close();
  await sandbox?.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
