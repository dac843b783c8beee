import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { KbScope, TenantScope } from '@strata/tenancy';
import { BlobStore } from './blobs.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Blobs as files under `<root>/<tenant>/<kb>/<document>`: DATA_DIR/blobs by default, a shared
 * volume when api and worker run on several hosts. Writes go to a temp file and are renamed, so a
 * crash never leaves half a blob under a document's name.
 */
export class FsBlobStore extends BlobStore {
  constructor(private readonly root: string) {
    super();
  }

  keyOf(scope: KbScope, documentId: string): string {
    return `${scope.tenantId}/${scope.kbId}/${checked(documentId)}`;
  }

  async put(scope: KbScope, documentId: string, content: Buffer): Promise<string> {
    const dir = this.kbDir(scope);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, checked(documentId));
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, content, { mode: 0o600 });
    await rename(temp, path);
    return this.keyOf(scope, documentId);
  }

  get(scope: KbScope, documentId: string): Promise<Buffer> {
    return readFile(join(this.kbDir(scope), checked(documentId)));
  }

  async exists(scope: KbScope, documentId: string): Promise<boolean> {
    return stat(join(this.kbDir(scope), checked(documentId))).then(
      () => true,
      () => false,
    );
  }

  async delete(scope: KbScope, documentId: string): Promise<void> {
    await rm(join(this.kbDir(scope), checked(documentId)), { force: true });
  }

  async deleteKnowledgeBase(scope: KbScope): Promise<void> {
    await rm(this.kbDir(scope), { recursive: true, force: true });
  }

  async deleteTenant(scope: TenantScope): Promise<void> {
    await rm(join(this.root, checked(scope.tenantId)), { recursive: true, force: true });
  }

  async count(scope: KbScope): Promise<number> {
    return (await this.documentIds(scope)).size;
  }

  async documentIds(scope: KbScope, options: { writtenBefore?: Date } = {}): Promise<Set<string>> {
    const dir = this.kbDir(scope);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => UUID.test(name));
    const { writtenBefore } = options;
    const kept = [];
    for (const name of names) {
      if (writtenBefore !== undefined) {
        const written = await stat(join(dir, name)).then(
          (s) => s.mtime,
          () => null,
        );
        if (written === null || written >= writtenBefore) continue;
      }
      kept.push(name.toLowerCase());
    }
    return new Set(kept);
  }

  private kbDir(scope: KbScope): string {
    return join(this.root, checked(scope.tenantId), checked(scope.kbId));
  }
}

/** Every path segment is a uuid: nothing a caller passes can climb out of the root. */
function checked(id: string): string {
  if (!UUID.test(id)) throw new Error(`blob path segment is not a uuid: ${JSON.stringify(id).slice(0, 60)}`);
  return id.toLowerCase();
}
