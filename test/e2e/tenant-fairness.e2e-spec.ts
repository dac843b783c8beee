import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  documentsPath,
  loginAdmin,
  waitForDocument,
} from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const BULK = 60;

/** One tenant's bulk upload and another tenant's single document, through the API. */
describeE2E("fairness: a tenant's document beside another tenant's bulk upload", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('becomes searchable while most of the bulk upload still waits', async () => {
    const platform = await loginAdmin(t.http);
    const [busy, quiet] = [await createTenant(t.http, platform), await createTenant(t.http, platform)];
    const busyAdmin = (await addMember(t.http, platform, busy, { role: 'admin' })).token;
    const quietAdmin = (await addMember(t.http, platform, quiet, { role: 'admin' })).token;
    const busyKb = await createKnowledgeBase(t.http, busyAdmin, busy);
    const quietKb = await createKnowledgeBase(t.http, quietAdmin, quiet);

    const upload = await t.http
      .post(documentsPath(busy, busyKb))
      .set(bearer(busyAdmin))
      .send({
        documents: Array.from({ length: BULK }, (_, i) => ({
          title: `note ${i}`,
          text: `Note ${i}: the survey of site ${i} recorded ${i % 7} samples of granite.`,
        })),
      });
    expect(upload.status).toBe(202);

    const id = await addTextDocument(t.http, quietAdmin, quiet, quietKb, 'The ferry leaves at seven.');
    const doc = await waitForDocument(t.http, quietAdmin, quiet, quietKb, id, {
      until: (status, body) => status === 200 && body.status === 'processed',
    });
    expect(doc.status).toBe('processed');
    const waiting = await t.http
      .get(`${documentsPath(busy, busyKb)}?status=pending&limit=200`)
      .set(bearer(busyAdmin));
    // Its turn came next, and its document did not wait for a slot: most of the bulk still waits.
    expect(waiting.body.items.length).toBeGreaterThanOrEqual(BULK / 2);
    // Its statements asked for the database in the newcomer lane, ahead of the bulk's jobs.
    const metrics = await t.http.get('/metrics').expect(200);
    const newcomerWaits = /strata_db_connection_wait_seconds_count\{lane="newcomer"\} (\d+)/.exec(
      metrics.text,
    );
    expect(Number(newcomerWaits?.[1] ?? 0)).toBeGreaterThan(0);
  });
});
