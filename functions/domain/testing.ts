import type { FormLinkSettings } from '../forms/links.ts';
import { parseConfig } from '../shared/config.ts';

/** Form links signed with a fixed test secret, under https://forms.test/apply. */
export const TEST_FORM_LINKS: FormLinkSettings = { secret: 'form-link-secret-for-tests-only-0123456789', ttlDays: 14, baseUrl: 'https://forms.test/apply' };

/** What createServices and createGraphqlHandler need besides the database, publisher and clock, for tests. */
export const testDomainSettings = { formLinks: TEST_FORM_LINKS, bot: parseConfig({}).bot };
