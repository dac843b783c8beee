import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, REPOSITORY_ROOT as ROOT } from '../test/support/repository-files';

/**
 * The owner check of issue 21: each table has one owning library (libs/table-owners.json); no
 * other library (or app) writes it, and the reads from elsewhere that are still to move to the
 * owner are listed there, a list that only shrinks. Uses are found in the source text: SQL
 * (`INSERT INTO`, `UPDATE`, `DELETE FROM`, `TRUNCATE` write; `FROM`, `JOIN` read) and TypeORM
 * repositories of a table's entity (`InjectRepository`, `getRepository`, `forFeature`), which
 * count as writes since they can write.
 */
const config: { owners: Record<string, string>; readsNotYetMoved: Record<string, string[]> } = JSON.parse(
  readFileSync(join(__dirname, 'table-owners.json'), 'utf8'),
);

type Use = { user: string; table: string; kind: 'read' | 'write'; file: string };

/** Source files under `dir`: TypeScript, not tests or contract suites. */
const sourceFiles = (dir: string) =>
  filesUnder(dir, (name) => /\.tsx?$/.test(name) && !/\.(spec|integration-spec|contract)\.ts$/.test(name));

/** A file's library (`documents`) or app (`apps/cli`); the console has no SQL of its own. */
function userOf(file: string): string | null {
  const [top, name] = file.split('/');
  if (top === 'libs') return name;
  return name === 'console' ? null : `apps/${name}`;
}

/** The tables the schema creates: the migrations', and those an adapter creates for itself. */
function schemaTables(files: string[]): Set<string> {
  const tables = new Set<string>();
  // Migrations in order, their `up` only: a table a later one drops is not in the schema.
  for (const file of [...sourceFiles('migrations')].sort()) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const up = text.split(/async down\(/)[0];
    for (const m of up.matchAll(/(CREATE|DROP) TABLE (?:IF (?:NOT )?EXISTS )?"?(\w+)"?/g)) {
      if (m[1] === 'CREATE') tables.add(m[2]);
      else tables.delete(m[2]);
    }
  }
  for (const file of files.filter((f) => f.endsWith('.adapter.ts'))) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?/g)) tables.add(m[1]);
  }
  return tables;
}

/** `@Entity('table')` or `@Entity({ name: 'table' })`; the table is group 1 or 2. */
const ENTITY = /@Entity\(\s*(?:'(\w+)'|\{\s*name:\s*'(\w+)'[^}]*\})\s*\)/g;

/** Entity class name -> table, from an `@Entity` and the class it decorates. */
function entityTables(files: string[]): Map<string, string> {
  const entities = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(
      new RegExp(`${ENTITY.source}\\s*(?:@\\w+\\([^)]*\\)\\s*)*export class (\\w+)`, 'g'),
    )) {
      entities.set(m[3], m[1] ?? m[2]);
    }
  }
  return entities;
}

function uses(files: string[], tables: Set<string>, entities: Map<string, string>): Use[] {
  const found: Use[] = [];
  for (const file of files) {
    const user = userOf(file);
    if (user === null) continue;
    const text = readFileSync(join(ROOT, file), 'utf8');
    const add = (table: string, kind: Use['kind']) => {
      if (tables.has(table)) found.push({ user, table, kind, file });
    };
    for (const m of text.matchAll(/\b(?:INSERT INTO|UPDATE|DELETE FROM|TRUNCATE(?: TABLE)?)\s+(\w+)/g))
      add(m[1], 'write');
    for (const m of text.matchAll(/\b(?:FROM|JOIN)\s+(\w+)/g)) add(m[1], 'read');
    for (const m of text.matchAll(/\b(?:InjectRepository|getRepository)\(\s*(\w+)\s*\)/g)) {
      if (entities.has(m[1])) add(entities.get(m[1])!, 'write');
    }
    for (const m of text.matchAll(/forFeature\(\s*\[([^\]]*)\]/g)) {
      for (const name of m[1].split(',').map((s) => s.trim())) {
        if (entities.has(name)) add(entities.get(name)!, 'write');
      }
    }
  }
  return found;
}

describe('table owners (libs/table-owners.json)', () => {
  const files = [...sourceFiles('libs'), ...sourceFiles('apps')];
  const tables = schemaTables(files);
  const entities = entityTables(files);
  const found = uses(files, tables, entities);
  const strangers = found.filter((use) => config.owners[use.table] !== use.user);
  const describeUse = (u: Use) => `${u.user} ${u.kind}s ${u.table} (${u.file})`;

  it('gives every table of the schema one owner, and names no other', () => {
    expect(Object.keys(config.owners).sort()).toEqual([...tables].sort());
  });

  it("declares each table's entity in its owner", () => {
    const misplaced = files.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return [...text.matchAll(ENTITY)]
        .map((m) => m[1] ?? m[2])
        .filter((table) => config.owners[table] !== userOf(file))
        .map((table) => `${table} in ${file}`);
    });
    expect(misplaced).toEqual([]);
  });

  it('finds no table written by a library other than its owner', () => {
    expect(strangers.filter((u) => u.kind === 'write').map(describeUse)).toEqual([]);
  });

  it('finds no read of a table from another library but those still listed to move', () => {
    const unlisted = strangers.filter(
      (u) => u.kind === 'read' && !(config.readsNotYetMoved[u.user] ?? []).includes(u.table),
    );
    expect(unlisted.map(describeUse)).toEqual([]);
  });

  it('lists no read to move that is gone (the list only shrinks)', () => {
    const stale = Object.entries(config.readsNotYetMoved).flatMap(([user, listed]) =>
      listed
        .filter((table) => !strangers.some((u) => u.user === user && u.table === table))
        .map((table) => `${user} reads ${table}`),
    );
    expect(stale).toEqual([]);
  });

  it('finds the uses it looks for (the check itself works)', () => {
    expect(found.some((u) => u.user === 'documents' && u.table === 'documents' && u.kind === 'write')).toBe(
      true,
    );
    expect(found.some((u) => u.user === 'auth' && u.table === 'users' && u.kind === 'write')).toBe(true);
    expect(found.some((u) => u.user === 'audit' && u.table === 'audit_events' && u.kind === 'read')).toBe(
      true,
    );
  });

  it('is the table docs/architecture.md shows', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const lines = doc.slice(doc.indexOf('| table | owner')).split('\n').slice(2);
    const rows = lines.slice(
      0,
      lines.findIndex((line) => !line.startsWith('|')),
    );
    // Each cell's names, without what the parentheses say about them.
    const names = (cell: string) =>
      cell
        .replace(/\([^()]*(\([^()]*\)[^()]*)*\)/g, '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
    const owners: Record<string, string> = {};
    const readers: Record<string, string[]> = {};
    for (const row of rows) {
      const [tables, owner, readBy] = row.split('|').slice(1, 4);
      for (const table of names(tables)) owners[table] = names(owner)[0];
      for (const reader of names(readBy)) readers[reader] = [...(readers[reader] ?? []), ...names(tables)];
    }
    expect(owners).toEqual(config.owners);
    const sorted = (map: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(map).map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(readers)).toEqual(sorted(config.readsNotYetMoved));
  });
});
