import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { formRoutes } from '../forms/http.ts';
import { relayAfterCommit } from '../jobs/relayAfterCommit.ts';
import { jobsQueue, lambdaBlobStore, lambdaDb, lambdaServices, withSecrets } from '../shared/lambdaRuntime.ts';
import { powertoolsMetrics, withInvocationMetrics } from '../shared/powertoolsMetrics.ts';
import { channelProviders } from '../worker/channels.ts';
import { httpApiEventOf, restApiResultOf } from './restApiEvent.ts';
import { webhookRoutes } from './routes.ts';

/**
 * The webhook Lambda on AWS, built once per cold start: the same webhookRoutes and formRoutes handlers as the
 * local host, over the Data API, with the providers' credentials and the form secrets from Secrets Manager and
 * live events through AppSync, metrics as EMF (MessagesIn, Errors).
 * The jobs a webhook enqueued (media downloads, bot turns) are relayed to SQS as soon as it committed.
 */
const config = await withSecrets(process.env);
const relay = relayAfterCommit(lambdaDb(config), jobsQueue(config));
const metrics = new Metrics();
const services = lambdaServices(config, relay.db, lambdaBlobStore(config), powertoolsMetrics(metrics));
const routes = new Map(
  [
    ...webhookRoutes({
      services,
      providers: channelProviders(config),
      publicUrl: config.webhookBaseUrl,
      policy: { staleInboundSeconds: config.staleInboundSeconds, automationLimitPerMinute: config.inboundAutomationLimitPerMinute },
    }),
    ...formRoutes({ services, webhookSecret: config.forms.webhookSecret }),
  ].map((route) => [route.routeKey, route.handler]),
);

export const handler = relay.relaying(
  withInvocationMetrics(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    // The REST API's resource is the route's path template, e.g. POST /webhooks/twilio/whatsapp or GET /api/forms/{token}.
    const routeKey = `${event.httpMethod} ${event.resource}`;
    const route = routes.get(routeKey);
    if (route === undefined) return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `no route for ${routeKey}` };
    return restApiResultOf(await route(httpApiEventOf(event, routeKey)));
  }, metrics),
);
