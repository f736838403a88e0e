import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { AppSyncIdentityCognito } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localCognitoClient, startCognitoEndpoint, type CognitoEndpoint } from '../../infra/local/cognito/server.ts';
import { createIdentityIssuer, type IdentityIssuer } from '../../infra/local/identity/issuer.ts';
import { handleTokenRequest } from '../../infra/local/identity/tokenEndpoint.ts';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import { cognitoRecruiterDirectory } from '../directory/cognito.ts';
import type { RecruiterDirectory } from '../directory/directory.ts';
import type { CreatedRecruiter, Recruiter } from '../generated/graphql.ts';
import { UNASSIGNED_SCOPE } from '../live/publisher.ts';
import { createGraphqlHandler } from './handler.ts';
import { cognitoIdentity, resolverEvent } from './testing/events.ts';
import { insertAspirant, insertConversation, insertRecruiter } from './testing/fixtures.ts';
import { RecordingPublisher } from './testing/recordingPublisher.ts';

const NOW = new Date('2025-03-10T12:00:00.000Z');
const recruiterSelection = 'id email name role active createdAt';
const createdSelection = `recruiter { ${recruiterSelection} } temporaryPassword`;

/** The GraphQL handler with `directory`, over a fresh database with one admin, as its tests use it. */
async function graphqlWith(db: Db, directory: RecruiterDirectory | undefined) {
  const publisher = new RecordingPublisher();
  const handler = createGraphqlHandler({ db, publisher, now: () => NOW, ...(directory ? { directory } : {}) });
  const adminId = await insertRecruiter(db, { name: 'Ada Admin', email: `ada.${Math.random().toString(36).slice(2)}@example.com`, role: 'admin' });
  const admin = cognitoIdentity({ id: adminId, groups: ['admin'] });
  const call = (identity: AppSyncIdentityCognito, field: string, args: Record<string, unknown>, selection = '') =>
    handler(resolverEvent(field, { arguments: args, identity, selection }));
  const create = (input: Record<string, unknown>, as = admin) =>
    call(as, 'Mutation.createRecruiter', { input }, createdSelection) as Promise<CreatedRecruiter>;
  const setActive = (id: string, active: boolean, as = admin) =>
    call(as, 'Mutation.setRecruiterActive', { id, active }, recruiterSelection) as Promise<Recruiter>;
  return { publisher, adminId, admin, call, create, setActive };
}

const rowOf = async (db: Db, email: string) =>
  (
    await db.query<{ id: string; active: boolean; passwordHash: string | null }>(
      'SELECT id, active, password_hash FROM recruiters WHERE lower(email) = lower(:email)',
      { email },
    )
  )[0];
const recruiterCount = async (db: Db) => (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM recruiters'))[0]!.count;

for (const database of testDatabases()) {
  describe(`admins manage recruiters, with the local issuer's accounts, on ${database.name}`, () => {
    let db: Db;
    let issuer: IdentityIssuer;
    let api: Awaited<ReturnType<typeof graphqlWith>>;

    beforeAll(async () => {
      db = await database.open();
      issuer = createIdentityIssuer({ publicUrl: 'http://localhost:4000' });
      api = await graphqlWith(db, undefined);
    });
    afterAll(async () => {
      await db?.close();
    });
    beforeEach(() => api.publisher.clear());

    const signIn = (username: string, password: string) => handleTokenRequest({ db, issuer }, { username, password });
    /** Signs in through the token endpoint and answers the AppSync identity its ID token stands for. */
    async function identityOf(username: string, password: string): Promise<AppSyncIdentityCognito> {
      const answer = await signIn(username, password);
      if (answer.status !== 200) throw new Error(`sign-in of ${username} failed with ${answer.status}`);
      return issuer.verifyToken(answer.body.idToken);
    }
    const me = (identity: AppSyncIdentityCognito) => api.call(identity, 'Query.me', {}, 'id email role active') as Promise<Recruiter>;

    it('creates a recruiter who signs in with the temporary password shown once and uses the API', async () => {
      const created = await api.create({ email: '  Nora.Nueva@Agency.Example ', name: '  Nora Nueva ', role: 'RECRUITER' });

      expect(created).toEqual({
        recruiter: { id: expect.any(String), email: 'nora.nueva@agency.example', name: 'Nora Nueva', role: 'RECRUITER', active: true, createdAt: NOW.toISOString() },
        temporaryPassword: expect.stringMatching(/^\S{20}$/),
      });
      const row = await rowOf(db, 'nora.nueva@agency.example');
      expect(row?.passwordHash).toMatch(/^scrypt\$/);
      expect(row?.passwordHash).not.toContain(created.temporaryPassword);

      const nora = await identityOf('nora.nueva@agency.example', created.temporaryPassword);
      expect(nora.groups).toEqual(['recruiter']);
      expect(await me(nora)).toEqual(created.recruiter);
      const listed = (await api.call(api.admin, 'Query.recruiters', {}, recruiterSelection)) as Recruiter[];
      expect(listed).toContainEqual(created.recruiter);
    });

    it('creates admins, who may then manage recruiters themselves', async () => {
      const created = await api.create({ email: 'otto.admin@agency.example', name: 'Otto Admin', role: 'ADMIN' });
      const otto = await identityOf('otto.admin@agency.example', created.temporaryPassword);

      expect(otto.groups).toEqual(['admin']);
      const byOtto = await api.create({ email: 'pia@agency.example', name: 'Pía', role: 'RECRUITER' }, otto);
      expect(byOtto.recruiter).toMatchObject({ email: 'pia@agency.example', active: true });
    });

    it('refuses an email already taken, whatever its case, creating nothing', async () => {
      await api.create({ email: 'quim@agency.example', name: 'Quim', role: 'RECRUITER' });
      const before = await recruiterCount(db);

      await expect(api.create({ email: 'QUIM@agency.example', name: 'Another Quim', role: 'ADMIN' })).rejects.toMatchObject({
        name: 'Conflict',
        message: expect.stringContaining('input.email'),
      });
      expect(await recruiterCount(db)).toBe(before);
    });

    it('refuses invalid input naming the field, creating nothing', async () => {
      const before = await recruiterCount(db);
      const invalid: [Record<string, unknown>, string][] = [
        [{ email: 'not an email', name: 'Rafa', role: 'RECRUITER' }, 'input.email'],
        [{ email: `${'r'.repeat(250)}@agency.example`, name: 'Rafa', role: 'RECRUITER' }, 'input.email'],
        [{ email: 'rafa@agency.example', name: '   ', role: 'RECRUITER' }, 'input.name'],
        [{ email: 'rafa@agency.example', name: 'R'.repeat(101), role: 'RECRUITER' }, 'input.name'],
        [{ email: 'rafa@agency.example', name: 'Rafa', role: 'OWNER' }, 'input.role'],
      ];
      for (const [input, field] of invalid) {
        await expect(api.create(input), field).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringContaining(field) });
      }
      expect(await recruiterCount(db)).toBe(before);
    });

    it('refuses recruiters who are not admins, changing nothing', async () => {
      const sofiaId = await insertRecruiter(db, { name: 'Sofía', email: 'sofia@agency.example' });
      const sofia = cognitoIdentity({ id: sofiaId });
      const before = await recruiterCount(db);

      await expect(api.create({ email: 'tomas@agency.example', name: 'Tomás', role: 'ADMIN' }, sofia)).rejects.toMatchObject({ name: 'Unauthorized' });
      await expect(api.setActive(api.adminId, false, sofia)).rejects.toMatchObject({ name: 'Unauthorized' });
      expect(await recruiterCount(db)).toBe(before);
      expect((await rowOf(db, 'sofia@agency.example'))?.active).toBe(true);
    });

    it('deactivates a recruiter: their token is refused at once, they cannot sign in, and their aspirants return to the queue live', async () => {
      const { recruiter, temporaryPassword } = await api.create({ email: 'ursula@agency.example', name: 'Úrsula', role: 'RECRUITER' });
      const ursula = await identityOf('ursula@agency.example', temporaryPassword);
      const aspirantIds = [await insertAspirant(db, { assigneeId: recruiter.id }), await insertAspirant(db, { assigneeId: recruiter.id })];
      const conversationId = await insertConversation(db, { aspirantId: aspirantIds[0]!, lastActivityAt: NOW });
      const othersAspirant = await insertAspirant(db, { assigneeId: api.adminId });
      api.publisher.clear();

      const deactivated = await api.setActive(recruiter.id, false);

      expect(deactivated).toMatchObject({ id: recruiter.id, active: false });
      await expect(me(ursula)).rejects.toMatchObject({ name: 'UnauthorizedException' });
      expect(await signIn('ursula@agency.example', temporaryPassword)).toMatchObject({ status: 401 });
      const assignees = await db.query<{ id: string; assigneeId: string | null }>(
        'SELECT id, assignee_id FROM aspirants WHERE id IN (SELECT jsonb_array_elements_text(:ids::jsonb)::uuid)',
        { ids: [...aspirantIds, othersAspirant] },
      );
      expect(Object.fromEntries(assignees.map((row) => [row.id, row.assigneeId]))).toEqual({
        [aspirantIds[0]!]: null,
        [aspirantIds[1]!]: null,
        [othersAspirant]: api.adminId,
      });
      // Each released aspirant reaches the queue's consoles and leaves Úrsula's; so does the conversation.
      const published = api.publisher.events.map((event) => [event.kind, 'aspirantId' in event ? event.aspirantId : event.conversationId, event.scope]);
      for (const aspirantId of aspirantIds) {
        expect(published).toContainEqual(['aspirant', aspirantId, UNASSIGNED_SCOPE]);
        expect(published).toContainEqual(['aspirant', aspirantId, recruiter.id]);
      }
      expect(published).toContainEqual(['conversation', conversationId, UNASSIGNED_SCOPE]);
      expect(published.filter(([, id]) => id === othersAspirant)).toEqual([]);
    });

    it('reactivates a recruiter, who signs in and uses the API again', async () => {
      const { recruiter, temporaryPassword } = await api.create({ email: 'vera@agency.example', name: 'Vera', role: 'RECRUITER' });
      await api.setActive(recruiter.id, false);

      expect(await api.setActive(recruiter.id, true)).toMatchObject({ id: recruiter.id, active: true });
      expect(await me(await identityOf('vera@agency.example', temporaryPassword))).toMatchObject({ id: recruiter.id, active: true });
      expect(await api.setActive(recruiter.id, true)).toMatchObject({ active: true });
    });

    it('refuses an admin deactivating themselves, and an unknown recruiter, changing nothing', async () => {
      await expect(api.setActive(api.adminId, false)).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringContaining('yourself') });
      expect(await me(api.admin)).toMatchObject({ id: api.adminId, active: true });
      await expect(api.setActive('6f1d2c3b-4a5e-4f60-8a71-b82c93d4e5f6', false)).rejects.toMatchObject({ name: 'NotFound' });
      await expect(api.setActive('not-an-id', false)).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringContaining('id') });
    });
  });

  describe(`admins manage recruiters in a Cognito user pool (local endpoint), on ${database.name}`, () => {
    let db: Db;
    let cognito: CognitoEndpoint;
    let client: CognitoIdentityProviderClient;
    let directory: RecruiterDirectory;
    let api: Awaited<ReturnType<typeof graphqlWith>>;

    beforeAll(async () => {
      db = await database.open();
      cognito = await startCognitoEndpoint();
      client = localCognitoClient(cognito);
      directory = cognitoRecruiterDirectory({ userPoolId: cognito.userPoolId, client });
      api = await graphqlWith(db, directory);
    });
    afterAll(async () => {
      client?.destroy();
      await cognito?.close();
      await db?.close();
    });

    it("stores the recruiter under their Cognito sub, without a password, and the invitation carries the password shown", async () => {
      const created = await api.create({ email: 'wanda@agency.example', name: 'Wanda', role: 'ADMIN' });

      const user = cognito.user('wanda@agency.example')!;
      expect(created.recruiter).toMatchObject({ id: user.sub, role: 'ADMIN' });
      expect(user).toMatchObject({ groups: ['admin'], invitations: [created.temporaryPassword] });
      expect(await rowOf(db, 'wanda@agency.example')).toEqual({ id: user.sub, active: true, passwordHash: null });
    });

    it('takes over the account a failed attempt left in the pool, under the same id', async () => {
      const leftOver = await directory.createUser({ email: 'xenia@agency.example', name: 'Xenia', role: 'recruiter' });

      const created = await api.create({ email: 'xenia@agency.example', name: 'Xenia', role: 'RECRUITER' });

      expect(created.recruiter.id).toBe(leftOver.id);
      expect(cognito.user('xenia@agency.example')).toMatchObject({ temporaryPassword: created.temporaryPassword, groups: ['recruiter'] });
    });

    it('disables and signs out the account on deactivation, and enables it on reactivation', async () => {
      const { recruiter } = await api.create({ email: 'yago@agency.example', name: 'Yago', role: 'RECRUITER' });

      await api.setActive(recruiter.id, false);
      expect(cognito.user('yago@agency.example')).toMatchObject({ enabled: false, globalSignOuts: 1 });
      await api.setActive(recruiter.id, true);
      expect(cognito.user('yago@agency.example')).toMatchObject({ enabled: true });
    });

    it('changes nothing when Cognito refuses the deactivation', async () => {
      // A recruiters row whose account is not in the pool: Cognito answers UserNotFoundException.
      const zoeId = await insertRecruiter(db, { name: 'Zoe', email: 'zoe@agency.example' });
      const aspirantId = await insertAspirant(db, { assigneeId: zoeId });

      await expect(api.setActive(zoeId, false)).rejects.toThrow('internal error');
      expect((await rowOf(db, 'zoe@agency.example'))?.active).toBe(true);
      expect((await db.query<{ assigneeId: string }>('SELECT assignee_id FROM aspirants WHERE id = :id::uuid', { id: aspirantId }))[0]?.assigneeId).toBe(zoeId);
    });
  });
}
