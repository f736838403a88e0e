import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRICS } from './metrics.ts';
import { powertoolsMetrics, withInvocationMetrics } from './powertoolsMetrics.ts';

/** The EMF lines Powertools writes to stdout while `run` runs. */
async function emfWrittenBy(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    stdout.mockRestore();
  }
  return written.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

const newMetrics = () => new Metrics({ namespace: 'WasaPrecruit', serviceName: 'worker' });

describe('the Powertools metrics adapter', () => {
  afterEach(() => vi.restoreAllMocks());

  it('flushes the counts and durations an invocation recorded as one EMF line', async () => {
    const metrics = newMetrics();
    const port = powertoolsMetrics(metrics);
    const handler = withInvocationMetrics(async (messages: number) => {
      port.count(METRICS.messagesIn, messages);
      port.count(METRICS.messagesOut);
      port.duration(METRICS.botLatency, 1250);
      return 'ok';
    }, metrics);

    const emf = await emfWrittenBy(() => handler(3));

    expect(emf).toEqual([
      expect.objectContaining({
        service: 'worker',
        MessagesIn: 3,
        MessagesOut: 1,
        BotLatency: 1250,
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'WasaPrecruit',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'MessagesIn', Unit: 'Count' },
                { Name: 'MessagesOut', Unit: 'Count' },
                { Name: 'BotLatency', Unit: 'Milliseconds' },
              ],
            },
          ],
        }),
      }),
    ]);
  });

  it('counts an unhandled failure as Errors, flushes it and rethrows', async () => {
    const metrics = newMetrics();
    const handler = withInvocationMetrics(async () => {
      throw new Error('database gone');
    }, metrics);

    let thrown: unknown;
    const emf = await emfWrittenBy(() => handler().catch((error: unknown) => (thrown = error)));

    expect(thrown).toMatchObject({ message: 'database gone' });
    expect(emf).toEqual([expect.objectContaining({ Errors: 1 })]);
  });

  it("counts the failures an entry reports in its result, e.g. a batch's failed jobs", async () => {
    const metrics = newMetrics();
    const handler = withInvocationMetrics(async () => ({ batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }] }), metrics, {
      failuresIn: (response) => response.batchItemFailures.length,
    });

    expect(await emfWrittenBy(handler)).toEqual([expect.objectContaining({ Errors: 2 })]);
  });

  it('writes nothing, not even a warning, for an invocation that recorded nothing', async () => {
    const metrics = newMetrics();
    const written: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
    }
    const handler = withInvocationMetrics(async () => ({ batchItemFailures: [] }), metrics, { failuresIn: (response) => response.batchItemFailures.length });

    await handler();

    vi.restoreAllMocks();
    expect(written).toEqual([]);
  });

  it('starts every invocation from zero', async () => {
    const metrics = newMetrics();
    const port = powertoolsMetrics(metrics);
    const handler = withInvocationMetrics(async () => port.count(METRICS.messagesOut), metrics);

    const emf = await emfWrittenBy(async () => {
      await handler();
      await handler();
    });

    expect(emf).toEqual([expect.objectContaining({ MessagesOut: 1 }), expect.objectContaining({ MessagesOut: 1 })]);
  });
});
