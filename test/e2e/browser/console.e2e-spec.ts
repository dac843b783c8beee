import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { addMember, bearer, createTenant, loginAdmin, Tenant } from '../../factories';
import { builtConsole } from '../../support/built-app';
import { until } from '../../support/eventually';
import { ARTIFACTS, describeWithBrowser, launchChromium } from '../../support/browser';
import { consoleSession } from '../../support/console-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from '../../support/test-app';

const FILES = [
  {
    name: 'ferries.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from(
      '# Ferries\n\nThe Aurora ferry leaves Port Anselm every morning at seven and reaches Gull Island by nine.',
    ),
  },
  {
    name: 'lighthouse.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('The Gull Island lighthouse was built in 1871 and is kept by the Marlow family.'),
  },
];

/**
 * The web console in a real browser (headless Chromium through playwright-core) against the real
 * API: sign in, create a KB, upload, watch processing, ask with a streamed answer, and what each
 * role sees. Screenshots go to test/artifacts/console.
 */
describeWithBrowser('web console', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let tenant: Tenant;
  let admin: { email: string; token: string };
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    builtConsole();
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = await addMember(t.http, platform, tenant, { role: 'admin' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    writeFileSync(join(ARTIFACTS, 'timings.json'), JSON.stringify(timings, null, 2));
  });

  const { signIn, shot, unlabelledControls } = consoleSession(
    () => browser,
    () => base,
    timings,
  );
  const kbIdByName = async (name: string) => {
    const res = await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases`).set(bearer(admin.token));
    return (res.body.items as Array<{ id: string; name: string }>).find((k) => k.name === name)!.id;
  };

  it('signs in, creates a KB, uploads two files and watches them get processed', async () => {
    const page = await signIn(admin.email);
    expect(page.url()).toBe(`${base}/console/t/${tenant.id}/kbs`);
    await page.getByLabel('Name').fill('Handbook');
    await page.getByRole('button', { name: 'Create knowledge base' }).click();
    await page.getByRole('link', { name: /Handbook/ }).click();
    await page.getByRole('heading', { name: 'Documents' }).waitFor();

    await page.setInputFiles('#file-input', FILES);
    await page.locator('tr[data-status="processed"]').nth(1).waitFor({ timeout: 60_000 });
    // Searchable first; the page keeps polling until each document's graph is built behind it.
    await page.locator('.graph-done').nth(1).waitFor({ timeout: 60_000 });
    expect(await page.locator('.graph-status').allInnerTexts()).toEqual(['graph built', 'graph built']);
    expect(await page.locator('.uploads li').allInnerTexts()).toEqual([
      expect.stringContaining('ferries.md'),
      expect.stringContaining('lighthouse.txt'),
    ]);
    expect(await page.locator('tbody td.document-title a').allInnerTexts()).toEqual(
      expect.arrayContaining(['ferries.md', 'lighthouse.txt']),
    );
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, '1-documents-processed');
  });

  it('asks a question and shows the streamed answer with references that open their chunk', async () => {
    const page = await signIn(admin.email);
    await page.getByRole('link', { name: /Handbook/ }).click();
    await page.getByRole('link', { name: 'Query' }).click();
    await page.getByLabel('Question', { exact: true }).fill('When does the Aurora ferry leave Port Anselm?');
    await page.getByLabel('Mode').selectOption('naive');
    const request = page.waitForRequest((r) => r.url().endsWith('/query') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Ask' }).click();
    expect((await request).postDataJSON()).toMatchObject({ stream: true, mode: 'naive' });
    await page.locator('article.answer[data-finished="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('.answer-text').innerText()).toContain('seven');
    await page.getByRole('button', { name: /\[1\] ferries\.md/ }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.innerText()).resolves.toContain('Aurora ferry leaves Port Anselm');
    expect(await page.locator('.timings').innerText()).toMatch(/total \d+ ms/);
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, '2-query-streamed-answer');
  });

  it('chats with two KBs, rates an answer not helpful, and shows the rating in the KB’s feedback', async () => {
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin.token))
      .send({ privacy: { store_query_text: true } })
      .expect(200);
    const timetables = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set(bearer(admin.token))
      .send({ name: 'Timetables', config: { query: { default_mode: 'naive' } } })
      .expect(201);
    const doc = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${timetables.body.id}/documents`)
      .set(bearer(admin.token))
      .send({
        title: 'winter.md',
        text: 'In winter the Aurora ferry leaves Port Anselm at eight instead of seven.',
      })
      .expect(202);
    await until(async () => {
      const res = await t.http
        .get(
          `/api/v1/tenants/${tenant.id}/knowledge-bases/${timetables.body.id}/documents/${doc.body.documents[0].id}`,
        )
        .set(bearer(admin.token));
      return res.body.status === 'processed';
    }, 30_000);

    const page = await signIn(admin.email);
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.getByRole('heading', { name: 'Chat' }).waitFor();
    await page.getByRole('checkbox', { name: 'Handbook' }).check();
    await page.getByRole('checkbox', { name: 'Timetables' }).check();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByLabel('Your question').fill('When does the Aurora ferry leave Port Anselm?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const turn = page.locator('li.turn:not([aria-busy])').first();
    await turn.waitFor({ timeout: 30_000 });
    expect(await turn.locator('.answer-text').innerText()).toMatch(/seven|eight/);
    // The references name their KB, and the conversation took its title from the question.
    expect(await turn.locator('.references .tag').allInnerTexts()).toEqual(
      expect.arrayContaining(['Handbook', 'Timetables']),
    );
    await page.getByRole('heading', { name: 'When does the Aurora ferry leave Port Anselm?' }).waitFor();
    await page.getByRole('link', { name: 'When does the Aurora ferry leave Port Anselm?' }).waitFor();

    await turn.getByRole('button', { name: 'Not helpful' }).click();
    await turn.getByLabel('What was wrong?').fill('It should say the winter time first');
    await turn.getByLabel('Wrong reference').selectOption({ index: 1 });
    await turn.getByRole('button', { name: 'Send' }).click();
    await turn.locator('button[aria-pressed="true"]', { hasText: 'Not helpful' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, '14-chat-across-kbs');

    await page.goto(`${base}/console/t/${tenant.id}/kbs/${timetables.body.id}/feedback`);
    await page.getByRole('heading', { name: 'Feedback' }).waitFor();
    const rated = page.locator('li.rated-down').first();
    await rated.waitFor();
    expect(await rated.innerText()).toContain('It should say the winter time first');
    await page.getByLabel('Show').selectOption('up');
    await page.getByText('No ratings yet.').waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Show').selectOption('down');
    await rated.waitFor();
    await shot(page, '15-kb-feedback');
  });

  it('explores the graph: nodes drawn, an entity opened, its type corrected', async () => {
    const page = await signIn(admin.email);
    await page.getByRole('link', { name: /Handbook/ }).click();
    await page.getByRole('link', { name: 'Graph' }).click();
    const canvas = page.getByRole('img', { name: /Knowledge graph: [1-9]\d* entities/ });
    await canvas.waitFor({ timeout: 30_000 });
    expect(await page.locator('.graph-canvas canvas').count()).toBeGreaterThan(0);
    const summary = await page.locator('.graph-summary').innerText();
    expect(Number(/^(\d+) entities/.exec(summary)![1])).toBeGreaterThan(1);
    await shot(page, '3-graph');

    await page.getByRole('button', { name: 'Aurora', exact: true }).click();
    await page.getByRole('heading', { name: 'Aurora', level: 2 }).waitFor();
    await page.getByLabel('Type', { exact: true }).fill('vessel');
    await page.getByRole('button', { name: 'Save entity' }).click();
    await page.locator('.graph-details .tag', { hasText: 'vessel' }).first().waitFor();
    const saved = await t.http
      .get(
        `/api/v1/tenants/${tenant.id}/knowledge-bases/${await kbIdByName('Handbook')}/graph/entities/aurora`,
      )
      .set(bearer(admin.token))
      .expect(200);
    expect(saved.body.type).toBe('vessel');
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, '4-graph-entity-edited');
  });

  it('curates the graph: an entity created, related, renamed, then its relation and itself deleted', async () => {
    const page = await signIn(admin.email);
    await page.getByRole('link', { name: /Handbook/ }).click();
    await page.getByRole('link', { name: 'Graph' }).click();
    await page.getByRole('img', { name: /Knowledge graph: [1-9]\d* entities/ }).waitFor({ timeout: 30_000 });
    const graph = `/api/v1/tenants/${tenant.id}/knowledge-bases/${await kbIdByName('Handbook')}/graph`;

    await page.getByText('New entity', { exact: true }).click();
    await page.locator('#new-entity-name').fill('Harbor Office');
    await page.locator('#new-entity-type').fill('place');
    await page.getByRole('button', { name: 'Create entity' }).click();
    await page.getByRole('heading', { name: 'Harbor Office', level: 2 }).waitFor();
    await page.locator('#relate-to').fill('Aurora');
    await page.locator('#relate-keywords').fill('berth');
    await page.getByRole('button', { name: 'Add relation' }).click();
    await page.locator('.relations').getByRole('button', { name: 'Aurora', exact: true }).waitFor();
    await page.locator('#entity-name').fill('Harbour Office');
    await page.getByRole('button', { name: 'Save entity' }).click();
    await page.getByRole('heading', { name: 'Harbour Office', level: 2 }).waitFor();
    const renamed = await t.http
      .get(`${graph}/entities/harbour%20office`)
      .set(bearer(admin.token))
      .expect(200);
    expect(renamed.body.relations.map((r: { entity: string }) => r.entity)).toEqual(['Aurora']);
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, '4b-graph-curated');
    await page.setViewportSize({ width: 390, height: 844 });
    // The drawing follows the window's width.
    await until(
      async () => Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390,
      5_000,
    );
    await shot(page, '4c-graph-curated-390');

    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete the relation with Aurora' }).click();
    await page.locator('.relations li').first().waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete entity' }).click();
    await page.getByRole('heading', { name: 'Harbour Office', level: 2 }).waitFor({ state: 'detached' });
    await t.http.get(`${graph}/entities/harbour%20office`).set(bearer(admin.token)).expect(404);
  });

  it('shows a viewer no upload or delete control, and an editor of one KB no other KB', async () => {
    const handbook = await kbIdByName('Handbook');
    await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set(bearer(admin.token))
      .send({ name: 'Secret plans' })
      .expect(201);
    const viewer = await addMember(t.http, admin.token, tenant, { role: 'viewer' });
    const editor = await addMember(t.http, admin.token, tenant, {
      role: 'editor',
      knowledge_base_ids: [handbook],
    });

    const viewerPage = await signIn(viewer.email);
    await viewerPage.goto(`${base}/console/t/${tenant.id}/kbs/${handbook}/documents`);
    await viewerPage.locator('tr[data-status="processed"]').first().waitFor();
    expect(await viewerPage.getByText('Choose files').count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: 'Create knowledge base' }).count()).toBe(0);
    await viewerPage.goto(`${base}/console/t/${tenant.id}/kbs/${handbook}/graph`);
    await viewerPage.getByRole('button', { name: 'Aurora', exact: true }).click();
    await viewerPage.getByRole('heading', { name: 'Aurora', level: 2 }).waitFor();
    expect(await viewerPage.getByRole('button', { name: 'Save entity' }).count()).toBe(0);
    await shot(viewerPage, '5-viewer-graph');

    const editorPage = await signIn(editor.email);
    await editorPage.locator('.tiles li').first().waitFor();
    expect(await editorPage.locator('.tiles li strong').allInnerTexts()).toEqual(['Handbook']);
    await shot(editorPage, '6-editor-one-kb');
  });

  it("runs a tenant admin's pages: members, an API key shown once, audit, usage, KB settings", async () => {
    const page = await signIn(admin.email);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const handbook = await kbIdByName('Handbook');

    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByLabel('Email').fill('newcomer@console.test');
    await page.getByLabel('Role', { exact: true }).selectOption('editor');
    await page.getByRole('button', { name: 'Invite' }).click();
    const link = await page.getByTestId('invitation-link').innerText();
    expect(link).toMatch(/\/console\/accept-invitation#token=inv_/);
    await page.getByRole('cell', { name: 'newcomer@console.test', exact: true }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, '8-members-invited');

    // The invitee opens the link in a browser of their own, chooses a password, and is a member.
    const invitee = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await invitee.goto(link);
    await invitee.getByLabel('Password').fill('newcomer-password-1');
    expect(await unlabelledControls(invitee)).toEqual([]);
    await shot(invitee, '8-accept-invitation-390');
    await invitee.getByRole('button', { name: 'Accept' }).click();
    await invitee.getByRole('heading', { name: 'Invitation accepted' }).waitFor();
    await invitee.context().close();
    await page.reload();
    await page.getByRole('cell', { name: 'newcomer@console.test', exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: 'Pending invitations' }).count()).toBe(0);
    // The tenant's only admin can be neither removed nor demoted: the page offers neither.
    const adminRow = page.getByRole('row').filter({ hasText: admin.email });
    expect(await adminRow.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await adminRow.getByText('the only admin').count()).toBe(1);
    expect(await adminRow.getByRole('combobox').isDisabled()).toBe(true);
    const editorRow = page.getByRole('row').filter({ hasText: 'newcomer@console.test' });
    expect(await editorRow.getByRole('button', { name: 'Remove' }).count()).toBe(1);
    await shot(page, '8-members');

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('nightly sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByTestId('new-api-key').innerText();
    expect(key).toMatch(/^sk_/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key);
    // The key works, and after "Done" the secret is gone from the page.
    await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases`).set('X-API-Key', key).expect(200);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('new-api-key').count()).toBe(0);
    await page.getByRole('cell', { name: 'nightly sync' }).waitFor();
    // The State column says the state; revoking is an action of its own.
    const keyRow = page.getByRole('row').filter({ hasText: 'nightly sync' });
    expect(await keyRow.getByRole('cell', { name: 'active', exact: true }).count()).toBe(1);
    expect(await keyRow.getByRole('button', { name: 'Revoke' }).count()).toBe(1);
    // Rotating shows the new secret once and says until when the old one works; both work now.
    page.once('dialog', (dialog) => void dialog.accept());
    await keyRow.getByRole('button', { name: 'Rotate' }).click();
    await page.getByText(/Its old secret works until/).waitFor();
    const rotated = await page.getByTestId('new-api-key').innerText();
    expect(rotated).not.toBe(key);
    for (const secret of [key, rotated])
      await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases`).set('X-API-Key', secret).expect(200);
    // The replaced key says so and offers no second rotation.
    const oldRow = page.getByRole('row').filter({ hasText: 'replaced by a rotation' });
    await oldRow.waitFor();
    expect(await oldRow.getByRole('button', { name: 'Rotate' }).count()).toBe(0);
    await shot(page, '9-api-keys');
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Action').fill('api_key.create');
    await page.getByRole('button', { name: 'Filter' }).click();
    // The unfiltered list may still be on screen for a moment: wait for the filtered one.
    const actions = () => page.locator('table.audit tbody td:nth-child(2)').allInnerTexts();
    await until(async () => {
      const shown = await actions();
      return shown.length > 0 && shown.every((action) => action === 'api_key.create');
    });
    expect(await actions()).toEqual(['api_key.create']);
    await shot(page, '10-audit');

    await page.getByRole('link', { name: 'Usage' }).click();
    // Two in Handbook, one in the chat test's Timetables.
    const documents = page.getByRole('meter', { name: /^Documents: 3 of \d+/ });
    await documents.waitFor();
    expect(
      await page
        .getByRole('img', { name: /^Documents added per day: 3 documents in 30 days; \d{4}-\d\d-\d\d: 3/ })
        .count(),
    ).toBe(1);
    // The chat test rated one answer; no model provider is set, so no tokens cost anything.
    await page.getByText(/Answers rated over 30 days: 0 helpful, 1 not helpful/).waitFor();
    await page.getByRole('heading', { name: 'Tokens and cost over 30 days' }).waitFor();
    await page.getByText('No tokens spent at a model provider.').waitFor();
    await shot(page, '11-usage');

    await page.getByRole('link', { name: 'Providers' }).click();
    const prices = page.getByRole('form', { name: 'Model prices' });
    await prices.getByRole('button', { name: 'Add a model' }).click();
    await prices.getByLabel('Model', { exact: true }).fill('gpt-4o-mini');
    await prices.getByLabel('Input').fill('0.15');
    await prices.getByLabel('Output').fill('0.6');
    await prices.getByLabel('Currency').fill('EUR');
    await prices.getByRole('button', { name: 'Save prices' }).click();
    await prices.getByRole('status').waitFor();
    const config = await t.http.get(`/api/v1/tenants/${tenant.id}/config`).set(bearer(admin.token));
    expect(config.body.prices).toEqual({
      currency: 'EUR',
      models: [{ model: 'gpt-4o-mini', input_per_million: 0.15, output_per_million: 0.6 }],
    });
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, '17-model-prices');

    await page.goto(`${base}/console/t/${tenant.id}/kbs/${handbook}/settings`);
    await page.getByLabel('Tokens per chunk').fill('600');
    await page.getByLabel('Mode', { exact: true }).selectOption('hybrid');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const kb = await t.http
      .get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${handbook}`)
      .set(bearer(admin.token));
    expect(kb.body.config).toMatchObject({
      chunking: { chunk_size: 600 },
      query: { default_mode: 'hybrid' },
    });
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, '12-kb-settings');
  });

  it("lets a platform admin change a tenant's quotas", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${base}/console/`);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    await page
      .getByRole('row', { name: new RegExp(tenant.slug) })
      .getByRole('link', { name: 'Quotas' })
      .click();
    await page.getByLabel('Documents').fill('500');
    await page.getByRole('button', { name: 'Save quotas' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const platform = await loginAdmin(t.http);
    const saved = await t.http.get(`/api/v1/tenants/${tenant.id}`).set(bearer(platform));
    expect(saved.body.quotas.max_documents).toBe(500);
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, '13-platform-quotas');
  });

  it('fits a 390 px wide screen', async () => {
    const page = await signIn(admin.email, 390);
    const handbook = await kbIdByName('Handbook');
    for (const path of [
      'kbs',
      `kbs/${handbook}/documents`,
      `kbs/${handbook}/graph`,
      `kbs/${handbook}/query`,
      `kbs/${handbook}/settings`,
      'members',
      'api-keys',
      'providers',
      'audit',
      'usage',
      'chat',
      `kbs/${handbook}/feedback`,
    ]) {
      await page.goto(`${base}/console/t/${tenant.id}/${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const wide = await page.evaluate(
        "[...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > 390).map((el) => el.tagName + '.' + el.className).slice(0, 5)",
      );
      expect({ path, wide }).toEqual({ path, wide: [] });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }
    await shot(page, '7-narrow-usage');
    await page.goto(`${base}/console/t/${tenant.id}/chat`);
    await page.getByRole('link', { name: 'When does the Aurora ferry leave Port Anselm?' }).click();
    await page.locator('li.turn').first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, '16-narrow-chat');
  });
});
