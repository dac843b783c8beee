import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  documentsPath,
  KnowledgeBase,
  loginAdmin,
  MEMBER_PASSWORD,
  Tenant,
  waitForDocument,
} from '../../factories';
import { describeWithBrowser, launchChromium } from '../../support/browser';
import { until } from '../../support/eventually';
import { consoleSession } from '../../support/console-session';
import { OpenAiCompatibleServer } from '../../support/openai-compatible-server';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from '../../support/test-app';

const FERRIES =
  '# Ferries\n\nThe **Aurora** ferry leaves Port Anselm every morning at seven and reaches Gull Island by nine.';

/**
 * The console for daily work, one test per thing a user tripped on: the frame (which KB am I in,
 * a menu on a phone), what a platform admin is offered, documents (types, duplicates, the
 * document page), the query page, graph colours within the CSP, the audit log, usage charts,
 * provider settings with a connection test, form rules and confirmations, compressed assets.
 */
describeWithBrowser('web console for daily work', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let platform: string;
  let tenant: Tenant;
  let admin: { email: string; token: string; userId: string };
  let manuals: KnowledgeBase;
  let emptyShelf: KnowledgeBase;
  let provider: OpenAiCompatibleServer;
  const { signIn, shot, unlabelledControls } = consoleSession(
    () => browser,
    () => base,
  );
  const kbPage = (kb: KnowledgeBase, page: string) => `${base}/console/t/${tenant.id}/kbs/${kb.id}/${page}`;
  const signInPlatform = (width = 1280) => signIn(ADMIN_EMAIL, width, ADMIN_PASSWORD);

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    provider = await OpenAiCompatibleServer.start();
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = await addMember(t.http, platform, tenant, { role: 'admin' });
    manuals = await createKnowledgeBase(t.http, admin.token, tenant);
    emptyShelf = await createKnowledgeBase(t.http, admin.token, tenant);
    for (const [text, title] of [
      [FERRIES, 'ferries.md'],
      ['The Gull Island lighthouse was built in 1871 and is kept by the Marlow family.', 'lighthouse.txt'],
    ]) {
      const id = await addTextDocument(t.http, admin.token, tenant, manuals, text, {
        title,
        metadata: { shelf: 'harbour' },
      });
      await waitForDocument(t.http, admin.token, tenant, manuals, id);
    }
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await provider?.stop();
    await t?.close();
  });

  it('frames a KB page at 1280 px: a one-line top bar, the tenant pages and the KB tabs apart, the KB named', async () => {
    const page = await signIn(admin.email);
    await page.goto(kbPage(manuals, 'documents'));
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    const bar = (await page.locator('header.topbar').boundingBox())!;
    const signOut = (await page
      .locator('header.topbar')
      .getByRole('button', { name: 'Sign out' })
      .boundingBox())!;
    expect(bar.height).toBeLessThan(70);
    expect(signOut.y).toBeLessThan(bar.y + bar.height);
    expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).innerText()).toContain(manuals.name);
    const main = page.getByRole('navigation', { name: 'Main' });
    expect(await main.getByRole('link').allInnerTexts()).toEqual([
      'Knowledge bases',
      'Chat',
      'Members',
      'Groups',
      'API keys',
      'Providers',
      'Audit',
      'Usage',
    ]);
    expect(
      await page.getByRole('navigation', { name: 'Knowledge base' }).getByRole('link').allInnerTexts(),
    ).toEqual(['Documents', 'Query', 'Graph', 'Feedback', 'Settings']);
    await shot(page, 'daily-1-frame-1280');
  });

  it('folds the navigation behind Menu at 390 px, and keeps audit words whole', async () => {
    const page = await signIn(admin.email, 390);
    await page.goto(kbPage(manuals, 'documents'));
    const members = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' });
    expect(await members.isVisible()).toBe(false);
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await members.isVisible()).toBe(true);
    await shot(page, 'daily-2-menu-open-390');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await page.locator('td.audit-action').first().waitFor();
    // Each action name sits on one line: its text makes one box, not pieces of a broken word.
    const broken = await page.evaluate(
      "[...document.querySelectorAll('td.audit-action')].filter((td) => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length > 1; }).map((td) => td.textContent)",
    );
    expect(broken).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'daily-2-audit-390');
  });

  it("offers a platform admin a tenant's members and usage only, and lets them invite its first admin", async () => {
    const fresh = await createTenant(t.http, platform);
    const page = await signInPlatform();
    await page
      .getByRole('row', { name: new RegExp(fresh.slug) })
      .getByRole('link', { name: 'Members' })
      .click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts()).toEqual([
      'Members',
      'Usage',
      'Tenants',
    ]);
    await page.locator('header.topbar .tenant-name', { hasText: fresh.name }).waitFor();
    await page.getByLabel('Email').fill('first-admin@console.test');
    await page.getByLabel('Role', { exact: true }).selectOption('admin');
    await page.getByRole('button', { name: 'Invite' }).click();
    expect(await page.getByTestId('invitation-link').innerText()).toMatch(/accept-invitation#token=inv_/);
    await shot(page, 'daily-3-platform-members');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: `Usage of ${fresh.name}` }).waitFor();
    await page.getByText('No queries in the last 30 days.').waitFor();
    expect(await page.getByText(/^Storage: 0 B of \d+(\.\d)? GiB$/).count()).toBe(1);
    await shot(page, 'daily-3-platform-usage-empty');
  });

  it('refuses unreadable types before sending, flags a duplicate, clears the list and opens a document', async () => {
    const page = await signIn(admin.email);
    await page.goto(kbPage(manuals, 'documents'));
    await page.locator('tr[data-status="processed"]').nth(1).waitFor();
    const uploads: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/documents')) uploads.push(r.url());
    });
    await page.setInputFiles('#file-input', [
      { name: 'budget.xlsx', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from('PK not really') },
      { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
      { name: 'ferries-again.md', mimeType: 'text/markdown', buffer: Buffer.from(FERRIES) },
    ]);
    const duplicate = page.locator('.uploads li[data-outcome="duplicate"]');
    await duplicate.waitFor();
    expect(await duplicate.innerText()).toContain('already in this knowledge base');
    expect(await page.locator('.uploads li[data-outcome="refused"]').allInnerTexts()).toEqual([
      expect.stringContaining('.xlsx is not a type Strata reads'),
      expect.stringContaining('.png is not a type Strata reads'),
    ]);
    expect(uploads).toHaveLength(1);
    await shot(page, 'daily-4-upload-refused-and-duplicate');
    await page.getByRole('button', { name: 'Clear list' }).click();
    expect(await page.locator('.uploads').count()).toBe(0);

    // A file of a type the API cannot read, sent past the console: it fails, and is not offered a reindex.
    const scan = await t.http
      .post(documentsPath(tenant, manuals))
      .set(bearer(admin.token))
      .attach('files', Buffer.from([0x89, 0x50, 0x4e, 0x47]), {
        filename: 'scan.png',
        contentType: 'image/png',
      })
      .expect(202);
    await waitForDocument(t.http, admin.token, tenant, manuals, scan.body.documents[0].id);
    await page.reload();
    const scanRow = page.getByRole('row').filter({ hasText: 'scan.png' });
    await scanRow.locator('.status-failed').waitFor();
    expect(await scanRow.getByRole('button', { name: 'Reindex' }).count()).toBe(0);
    expect(
      await page
        .getByRole('row')
        .filter({ hasText: 'ferries.md' })
        .getByRole('button', { name: 'Reindex' })
        .count(),
    ).toBe(1);

    await scanRow.getByRole('link', { name: 'scan.png' }).click();
    await page.getByRole('heading', { name: 'scan.png', level: 1 }).waitFor();
    expect(await page.locator('.facts dd.error').first().innerText()).not.toBe('');
    await page.getByRole('link', { name: '← All documents' }).click();
    await page.getByRole('link', { name: 'ferries.md' }).click();
    await page.getByRole('heading', { name: 'ferries.md', level: 1 }).waitFor();
    expect(await page.locator('.chunks li').first().innerText()).toContain('Aurora');
    expect(await page.locator('pre.metadata').innerText()).toContain('"shelf": "harbour"');
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, 'daily-4-document-page');
  });

  it('offers the modes the KB answers, folds the graph context, and opens a chunk in a modal', async () => {
    const page = await signIn(admin.email);
    await page.goto(kbPage(manuals, 'query'));
    await page.getByText('No language model is configured').waitFor();
    expect(await page.getByLabel('Mode').locator('option').allInnerTexts()).toEqual([
      'naive',
      'local',
      'global',
      'hybrid',
      'mix',
    ]);
    await page.getByLabel('Question', { exact: true }).fill('When does the Aurora ferry leave Port Anselm?');
    await page.getByLabel('Mode').selectOption('mix');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.locator('article.answer[data-finished="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('details.drawn-from').count()).toBeGreaterThan(0);
    expect(await page.locator('details.drawn-from[open]').count()).toBe(0);
    expect(await page.locator('ol.references').count()).toBe(0);
    const snippet = await page.locator('.references p').first().innerText();
    expect(snippet).not.toMatch(/[#*]/);
    await page.getByRole('button', { name: /^\[1\] ferries\.md$/ }).click();
    await page.locator('dialog.chunk-dialog').waitFor();
    expect(await page.evaluate("document.querySelector('dialog.chunk-dialog').matches(':modal')")).toBe(true);
    await shot(page, 'daily-5-query-modal');
    await page.keyboard.press('Escape');
    await page.locator('dialog.chunk-dialog').waitFor({ state: 'detached' });

    await page.goto(kbPage(emptyShelf, 'query'));
    await page.getByText('This knowledge base has no documents yet').waitFor();
    expect(await page.getByRole('button', { name: 'Ask' }).isDisabled()).toBe(true);
    await shot(page, 'daily-5-query-empty-kb');
  });

  it('colours graph nodes by type with a legend, keeps labels apart, within the page’s Content-Security-Policy', async () => {
    // Places named alone, each in its own document: entities with no relation, drawn on their own.
    for (const text of [
      'Oslo is cold in winter.',
      'Valparaiso has many hills.',
      'Kathmandu lies in a valley.',
    ]) {
      const id = await addTextDocument(t.http, admin.token, tenant, manuals, text);
      await waitForDocument(t.http, admin.token, tenant, manuals, id);
    }
    for (const width of [1280, 390]) {
      const page = await signIn(admin.email, width);
      const refused: string[] = [];
      page.on('console', (m) => {
        if (/Content.Security.Policy|Refused to/i.test(m.text())) refused.push(m.text());
      });
      await page.goto(kbPage(manuals, 'graph'));
      await page
        .getByRole('img', { name: /Knowledge graph: [1-9]\d* entities/ })
        .waitFor({ timeout: 30_000 });
      const legend = await page
        .getByRole('list', { name: 'Entity types' })
        .getByRole('listitem')
        .allInnerTexts();
      expect(legend.length).toBeGreaterThan(0);
      expect(legend.every((entry) => /^\S.* \(\d+\)$/.test(entry))).toBe(true);
      expect(refused).toEqual([]);
      // No two nodes' drawn boxes (label included) overlap; cytoscape keeps its instance on the container.
      const overlaps = await page.evaluate(`(() => {
        const boxes = document.querySelector('.graph-canvas')._cyreg.cy.nodes()
          .map((n) => ({ label: n.data('label'), box: n.renderedBoundingBox({ includeLabels: true }) }));
        const apart = (a, b) => a.x2 <= b.x1 || b.x2 <= a.x1 || a.y2 <= b.y1 || b.y2 <= a.y1;
        return boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => !apart(a.box, b.box)).map((b) => a.label + ' / ' + b.label));
      })()`);
      expect(overlaps).toEqual([]);
      const canvas = (await page.locator('.graph-canvas').boundingBox())!;
      expect(canvas.x + canvas.width).toBeLessThanOrEqual(width);
      await shot(page, `daily-6-graph-${width}`);
    }
  });

  it('lists the audit log newest first, with actors by email or key name, rows opening to details', async () => {
    const key = await t.http
      .post(`/api/v1/tenants/${tenant.id}/api-keys`)
      .set(bearer(admin.token))
      .send({ name: 'nightly-sync', role: 'viewer' })
      .expect(201);
    // A viewer key may not create a KB: the refusal is audited with the key as its actor.
    await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set('X-API-Key', key.body.key)
      .send({ name: 'Not allowed' })
      .expect(403);
    const page = await signIn(admin.email);
    await page.goto(`${base}/console/t/${tenant.id}/audit`);
    await page.locator('table.audit tbody tr').first().waitFor();
    const rows = await page
      .locator('table.audit tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.querySelector('.audit-action')?.textContent,
          tr.querySelector('.audit-actor')?.textContent,
        ]),
      );
    // Newest first: the refusal comes before the key's creation, which comes before the KBs'.
    const refusal = rows.findIndex(
      ([action, actor]) => action === 'knowledge_base.create' && actor === 'key “nightly-sync”',
    );
    const keyCreated = rows.findIndex(([action]) => action === 'api_key.create');
    const firstKbCreated = rows.findIndex(
      ([action, actor]) => action === 'knowledge_base.create' && actor === admin.email,
    );
    expect(refusal).toBeGreaterThanOrEqual(0);
    expect(refusal).toBeLessThan(keyCreated);
    expect(keyCreated).toBeLessThan(firstKbCreated);
    expect(rows[keyCreated][1]).toBe(admin.email);
    await page.locator('table.audit tbody tr').nth(refusal).getByRole('button').click();
    const details = page.locator('tr.audit-details');
    await details.waitFor();
    expect(await details.innerText()).toContain('"status": 403');
    await shot(page, 'daily-7-audit-details');
  });

  it('sets a provider with a write-only key, tests the connection, and keeps the fallbacks', async () => {
    const page = await signIn(admin.email);
    await page.goto(`${base}/console/t/${tenant.id}/providers`);
    const llm = page.getByRole('form', { name: /Language model/ });
    await llm.getByLabel('Base URL').fill(provider.url);
    await llm.getByLabel('Model').fill('test-chat');
    await llm.getByLabel('API key').fill('sk-console-provider-key');
    await llm.getByRole('button', { name: 'Save' }).click();
    await llm.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await llm.getByLabel('API key').inputValue()).toBe('');
    expect(await llm.getByLabel('API key').getAttribute('placeholder')).toBe('saved (type to replace)');
    expect(await page.content()).not.toContain('sk-console-provider-key');

    await llm.getByRole('button', { name: 'Test connection' }).click();
    await llm.locator('.test-result[data-ok="true"]').waitFor();
    expect(await llm.locator('.test-result').innerText()).toMatch(/^Connected to test-chat in \d+ ms/);
    expect(provider.requests.at(-1)?.authorization).toBe('Bearer sk-console-provider-key');

    const rerank = page.getByRole('form', { name: 'Rerank' });
    await rerank.getByRole('button', { name: 'Test connection' }).click();
    expect(await rerank.locator('.test-result').innerText()).toContain('Nothing to test');

    const fallbacks = page.getByRole('form', { name: 'When a provider fails' });
    await fallbacks.getByLabel(/Language model/).selectOption('extractive');
    await fallbacks.getByRole('button', { name: 'Save' }).click();
    await fallbacks.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, 'daily-8-providers');
    const saved = await t.http
      .get(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin.token))
      .expect(200);
    expect(saved.body).toMatchObject({
      llm: { base_url: provider.url, model: 'test-chat', api_key: '***' },
      on_provider_failure: { llm: 'extractive' },
    });

    // With an LLM, the query page offers bypass; back to the defaults, it does not.
    await page.goto(kbPage(manuals, 'query'));
    await page.getByLabel('Mode').locator('option', { hasText: 'bypass' }).waitFor({ state: 'attached' });
    await page.goto(`${base}/console/t/${tenant.id}/providers`);
    await llm.getByRole('button', { name: 'Use the defaults' }).click();
    await llm.getByRole('status').filter({ hasText: 'Back to the defaults.' }).waitFor();
  });

  it('says the rule a field breaks, and confirms what a change did', async () => {
    const page = await signInPlatform();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    await page.getByLabel('Slug').fill('Bad Slug!');
    await page.getByLabel('Name').fill('Refused tenant');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const message = await page
      .getByLabel('Slug')
      .evaluate((input) => (input as unknown as { validationMessage: string }).validationMessage);
    expect(message).toContain('lowercase letters, digits or hyphens');
    expect(await page.getByText(/^Slug: 2 to 63 lowercase letters/).count()).toBe(1);
    await page.getByLabel('Slug').fill('daily-rules');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('status').filter({ hasText: 'Tenant daily-rules created' }).waitFor();
    await shot(page, 'daily-9-tenant-created');

    const viewer = await addMember(t.http, admin.token, tenant, { role: 'viewer' });
    const adminPage: Page = await signIn(admin.email);
    await adminPage.goto(`${base}/console/t/${tenant.id}/members`);
    await adminPage.getByLabel(`Role of ${viewer.email}`).selectOption('editor');
    await adminPage
      .getByRole('status')
      .filter({ hasText: `${viewer.email} is now an editor.` })
      .waitFor();
  });

  it('shows a person where they are signed in, ends another session, and changes the password', async () => {
    const person = await addMember(t.http, admin.token, tenant, { role: 'viewer' });
    const elsewhere = await t.http
      .post('/api/v1/auth/login')
      .set(
        'User-Agent',
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      )
      .send({ email: person.email, password: MEMBER_PASSWORD });
    const page = await signIn(person.email);
    await page.getByRole('link', { name: person.email }).first().click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    const phone = page.getByRole('row').filter({ hasText: 'Safari on iPhone' });
    await phone.waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'Headless Chrome on Linux' })
      .filter({ hasText: 'this session' })
      .waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, 'daily-10-account');

    await phone.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'Signed out Safari on iPhone.' }).waitFor();
    expect(await phone.count()).toBe(0);
    const phoneRead = await t.http
      .get(`/api/v1/tenants/${tenant.id}`)
      .set(bearer(elsewhere.body.access_token as string));
    expect(phoneRead.status).toBe(401);

    await page.getByLabel('Current password').fill('not-the-password');
    await page.getByLabel('New password (12 characters or more)').fill('a-brand-new-password');
    await page.getByLabel('New password again').fill('a-brand-new-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The current password does not match').waitFor();
    await page.getByLabel('Current password').fill(MEMBER_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    const relogin = await t.http
      .post('/api/v1/auth/login')
      .send({ email: person.email, password: 'a-brand-new-password' });
    expect(relogin.status).toBe(200);

    const narrow = await signIn(person.email, 390, 'a-brand-new-password');
    await narrow.goto(`${base}/console/account`);
    await narrow.getByRole('heading', { name: 'Your account' }).waitFor();
    await narrow.getByRole('row').filter({ hasText: 'this session' }).waitFor();
    expect(await narrow.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(narrow, 'daily-11-account-narrow');
  });

  it('keeps groups, restricts an upload to one, and finds documents by title, sorted', async () => {
    const reader = await addMember(t.http, admin.token, tenant, { role: 'viewer' });
    const page = await signIn(admin.email);
    await page.goto(`${base}/console/t/${tenant.id}/groups`);
    await page.getByLabel('Name').fill('Payroll');
    await page.getByLabel('Description (optional)').fill('May read salary bands');
    await page.getByRole('button', { name: 'Create group' }).click();
    const adding = page.getByRole('form', { name: 'Add to Payroll' });
    await adding.waitFor();
    await adding.getByRole('combobox').selectOption({ label: admin.email });
    await adding.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('list', { name: 'Members of Payroll' }).getByText(admin.email).waitFor();
    await page.locator('.group-head', { hasText: '1 member, 0 API keys' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, 'daily-12-groups');

    await page.goto(kbPage(manuals, 'documents'));
    await page.getByLabel('Only the groups and people below').check();
    await page.locator('.access-choices').getByLabel('Payroll').check();
    await page.setInputFiles('#file-input', [
      {
        name: 'salary-bands.md',
        mimeType: 'text/markdown',
        buffer: Buffer.from('# Salary bands\n\nBand 7 starts at 82,000.'),
      },
    ]);
    const row = page.getByRole('row').filter({ hasText: 'salary-bands.md' });
    await row.locator('.status-processed').waitFor();
    expect(await row.locator('.badge').innerText()).toBe('restricted');
    await page.getByLabel('Search').fill('salary');
    await page.locator('tbody tr').filter({ hasText: 'salary-bands.md' }).waitFor();
    await expectRows(page, ['salary-bands.md']);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Order').selectOption({ label: 'title A–Z' });
    // A locator, not waitForFunction: the console's CSP forbids the eval that one polls with.
    await page
      .locator('tbody tr')
      .first()
      .locator('td.document-title a', { hasText: /^ferries\.md$/ })
      .waitFor();
    expect(await page.locator('.status-counts').innerText()).toMatch(/^\d+ documents/);
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, 'daily-12-documents-restricted');
    const phone = await signIn(admin.email, 390);
    await phone.goto(kbPage(manuals, 'documents'));
    await phone.getByRole('row').filter({ hasText: 'salary-bands.md' }).waitFor();
    await shot(phone, 'daily-12-documents-390');
    await phone.goto(`${base}/console/t/${tenant.id}/groups`);
    await phone.getByRole('button', { name: 'Payroll' }).click();
    await phone.getByRole('list', { name: 'Members of Payroll' }).waitFor();
    await shot(phone, 'daily-12-groups-390');

    // A member outside the group does not see it at all.
    const outside = await signIn(reader.email);
    await outside.goto(kbPage(manuals, 'documents'));
    await outside.getByRole('row').filter({ hasText: 'ferries.md' }).waitFor();
    expect(await outside.getByRole('row').filter({ hasText: 'salary-bands.md' }).count()).toBe(0);

    // Every document a search matches goes at once, listed or not.
    await page.getByLabel('Search').fill('salary-bands');
    await page.locator('tbody tr').filter({ hasText: 'salary-bands.md' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete every matching document' }).click();
    await page.getByText('No document has those words in its title.').waitFor();
    // Its receipt, checked until no store holds anything of it.
    await page
      .getByRole('list', { name: 'Deletions' })
      .getByText('Deleted 1 document: no store holds anything of them.')
      .waitFor();
    await shot(page, 'daily-13-deletion-receipt');
  });

  it('follows a deletion made on the document page to its verified end, at 390 px', async () => {
    const id = await addTextDocument(t.http, admin.token, tenant, manuals, 'A note about harbour dues.', {
      title: 'harbour-dues.md',
    });
    await waitForDocument(t.http, admin.token, tenant, manuals, id);
    const phone = await signIn(admin.email, 390);
    await phone.goto(kbPage(manuals, `documents/${id}`));
    phone.once('dialog', (dialog) => void dialog.accept());
    await phone.getByRole('button', { name: 'Delete' }).click();
    const receipts = phone.getByRole('list', { name: 'Deletions' });
    await receipts.getByText('Deleted 1 document: no store holds anything of them.').waitFor();
    expect(await receipts.locator('li').count()).toBe(1);
    expect(await phone.getByRole('row').filter({ hasText: 'harbour-dues.md' }).count()).toBe(0);
    await shot(phone, 'daily-13-deletion-390');
  });

  it('serves the production console compressed, with long cache headers on hashed assets', async () => {
    const html = await (await fetch(`${base}/console/`)).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1];
    const res = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
    // React's production build: the development one is several times larger and slower.
    expect(await res.text()).not.toContain('Download the React DevTools');
  });
});

/**
 * The titles the documents table lists, in order, once it has settled on them: a search answers
 * after the table still shows the rows it had, so the rows are read until they match (or time out).
 */
async function expectRows(page: Page, titles: string[]): Promise<void> {
  const listed = () => page.locator('tbody td.document-title a').allInnerTexts();
  await until(async () => JSON.stringify(await listed()) === JSON.stringify(titles), 10_000).catch(
    () => undefined,
  );
  expect(await listed()).toEqual(titles);
}
