import { addMember, bearer, createKnowledgeBase, createTenant, loginAdmin } from '../../factories';
import { describeE2E, startTestApp, TestApp } from '../../support/test-app';
import { describeWithRedis, TEST_REDIS_URL } from '../../support/redis-availability';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

describeWithRedis('rate limits shared through Redis', () =>
  describeE2E('by two api processes', () => {
    let db: TestDatabase;
    let first: TestApp;
    let second: TestApp;

    beforeAll(async () => {
      db = await createTestDatabase();
      const env = { REDIS_URL: TEST_REDIS_URL, JWT_SECRET: 's'.repeat(40), MASTER_KEY: 'e'.repeat(64) };
      first = await startTestApp(env, db);
      second = await startTestApp(env, db);
    });
    afterAll(async () => {
      await first.close();
      await second.close();
      await db.drop();
    });

    it('holds requests_per_minute across both processes', async () => {
      const platform = await loginAdmin(first.http);
      const tenant = await createTenant(first.http, platform);
      const admin = (await addMember(first.http, platform, tenant, { role: 'admin' })).token;
      await first.http
        .patch(`/api/v1/tenants/${tenant.id}`)
        .set(bearer(platform))
        .send({ quotas: { requests_per_minute: 6 } })
        .expect(200);

      const path = `/api/v1/tenants/${tenant.id}/knowledge-bases`;
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const app = i % 2 === 0 ? first : second;
        statuses.push((await app.http.get(path).set(bearer(admin))).status);
      }
      // Six allowed in all, not six per process.
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      const ready = await second.http.get('/health/ready');
      expect(ready.body.info.redis.status).toBe('up');
    });

    it('holds queries_per_minute across both processes', async () => {
      const platform = await loginAdmin(first.http);
      const tenant = await createTenant(first.http, platform);
      const admin = (await addMember(first.http, platform, tenant, { role: 'admin' })).token;
      const kb = await createKnowledgeBase(first.http, admin, tenant);
      await first.http
        .patch(`/api/v1/tenants/${tenant.id}`)
        .set(bearer(platform))
        .send({ quotas: { queries_per_minute: 4 } })
        .expect(200);
      const path = `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const app = i % 2 === 0 ? first : second;
        const res = await app.http
          .post(path)
          .set(bearer(admin))
          .send({ query: `question ${i}` });
        statuses.push(res.status);
        if (res.status === 429) expect(res.body.code).toBe('QUOTA_QUERIES_PER_MINUTE_EXCEEDED');
      }
      // Four queries in all, not four per process; other routes still answer.
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      await second.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases`).set(bearer(admin)).expect(200);
    });
  }),
);
