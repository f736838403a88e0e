import type { FormLinkSettings } from '../forms/links.ts';
import { parseConfig } from '../shared/config.ts';
import type { AppMetrics, MetricName } from '../shared/metrics.ts';

/** Form links signed with a fixed test secret, under https://forms.test/apply. */
export const TEST_FORM_LINKS: FormLinkSettings = { secret: 'form-link-secret-for-tests-only-0123456789', ttlDays: 14, baseUrl: 'https://forms.test/apply' };

/** What createServices and createGraphqlHandler need besides the database, publisher and clock, for tests. */
export const testDomainSettings = { formLinks: TEST_FORM_LINKS, bot: parseConfig({}).bot };

/** Metrics kept in memory, to assert what the domain reported. */
export class RecordingMetrics implements AppMetrics {
  readonly recorded: { readonly name: MetricName; readonly value: number }[] = [];

  count(name: MetricName, value = 1): void {
    this.recorded.push({ name, value });
  }

  duration(name: MetricName, ms: number): void {
    this.recorded.push({ name, value: ms });
  }

  total(name: MetricName): number {
    return this.recorded.filter((entry) => entry.name === name).reduce((sum, entry) => sum + entry.value, 0);
  }
}
