import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKbScope, testTenantScope } from '../../../../test/support/scopes';
import { FsBlobStore } from './fs-blobs.adapter';

const kb = (tenantId: string, kbId: string = randomUUID()) => testKbScope(tenantId, kbId);

describe('FsBlobStore', () => {
  let root: string;
  let store: FsBlobStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'strata-blobs-'));
    store = new FsBlobStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores, reads, counts and deletes a blob under its tenant and KB', async () => {
    const scope = kb(randomUUID());
    const doc = randomUUID();
    const key = await store.put(scope, doc, Buffer.from('hello'));
    expect(key).toBe(`${scope.tenantId}/${scope.kbId}/${doc}`);
    expect((await store.get(scope, doc)).toString()).toBe('hello');
    expect(await store.count(scope)).toBe(1);
    expect(await store.documentIds(scope)).toEqual(new Set([doc]));
    expect(await store.documentIds(kb(scope.tenantId))).toEqual(new Set());
    expect(await store.documentIds(scope, { writtenBefore: new Date(Date.now() + 60_000) })).toEqual(
      new Set([doc]),
    );
    expect(await store.documentIds(scope, { writtenBefore: new Date(Date.now() - 60_000) })).toEqual(
      new Set(),
    );
    await store.delete(scope, doc);
    expect(await store.exists(scope, doc)).toBe(false);
    expect(await store.count(scope)).toBe(0);
    await expect(store.delete(scope, doc)).resolves.toBeUndefined();
  });

  it("cannot read another KB's blob by its document id", async () => {
    const tenant = randomUUID();
    const mine = kb(tenant);
    const doc = randomUUID();
    await store.put(mine, doc, Buffer.from('secret'));
    await expect(store.get(kb(tenant), doc)).rejects.toThrow(/ENOENT/);
    await expect(store.get(kb(randomUUID(), mine.kbId), doc)).rejects.toThrow(/ENOENT/);
  });

  it('refuses ids that are not uuids, so no path can leave the root', async () => {
    await expect(store.put(kb(randomUUID()), '../../etc/passwd', Buffer.from('x'))).rejects.toThrow(
      /not a uuid/,
    );
  });

  it('leaves no temp file behind and deletes whole KBs and tenants', async () => {
    const tenant = randomUUID();
    const a = kb(tenant);
    const b = kb(tenant);
    await store.put(a, randomUUID(), Buffer.from('1'));
    await store.put(b, randomUUID(), Buffer.from('2'));
    expect(readdirSync(join(root, tenant, a.kbId)).some((n) => n.endsWith('.tmp'))).toBe(false);
    await store.deleteKnowledgeBase(a);
    expect(await store.count(a)).toBe(0);
    expect(await store.count(b)).toBe(1);
    await store.deleteTenant(testTenantScope(tenant));
    expect(await store.count(b)).toBe(0);
  });
});
