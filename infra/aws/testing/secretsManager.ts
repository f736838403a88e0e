import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for AWS Secrets Manager's GetSecretValue, for tests: the AWS JSON 1.1 protocol the official SDK
 * speaks (`POST /` with `X-Amz-Target: secretsmanager.GetSecretValue`), answers and errors in its shape. Point
 * the SDK at it with AWS_ENDPOINT_URL_SECRETS_MANAGER. Requests are not authenticated.
 */
export interface SecretsManagerEndpoint {
  readonly url: string;
  /** The secret ids asked for, in order. */
  readonly requested: string[];
  close(): Promise<void>;
}

export async function startSecretsManagerEndpoint(secrets: Readonly<Record<string, string>>): Promise<SecretsManagerEndpoint> {
  const requested: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return answer(400, { __type: 'UnknownOperationException', message: `not implemented: ${req.headers['x-amz-target']}` });
      }
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId: string };
      requested.push(SecretId);
      const value = secrets[SecretId];
      if (value === undefined) return answer(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      answer(200, { ARN: SecretId, Name: SecretId.split(':').at(-1), SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requested,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
