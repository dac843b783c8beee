import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, REPOSITORY_ROOT as ROOT } from '../test/support/repository-files';

/**
 * Unit specs (`*.spec.ts`) run without servers (`npm run test:unit` with PostgreSQL and Redis
 * stopped); what needs a server is an integration spec (`*.integration-spec.ts`, the
 * `integration` jest project, whose setup checks the servers). This finds a unit spec that
 * reaches for a server: the tests' database, Redis or vector store helpers, or a server's client
 * library. (`pg` itself is allowed: unit specs talk to the embedded PostgreSQL through it.)
 */
const SERVER_NEEDS = [
  /test\/support\/(migrated-sql|redis-availability|test-database|vector-store-availability)'/,
  /from '(ioredis|bull|neo4j-driver|@qdrant\/js-client-rest)'/,
];

const inTiers = (suffix: string) =>
  ['apps', 'libs', 'migrations', 'bench'].flatMap((dir) => filesUnder(dir, (name) => name.endsWith(suffix)));

describe('test tiers', () => {
  it('finds no unit spec that needs a server', () => {
    const needing = inTiers('.spec.ts').filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return SERVER_NEEDS.some((pattern) => pattern.test(text));
    });
    expect(needing).toEqual([]);
  });

  it('finds the integration specs it sorts from (the check itself works)', () => {
    const integration = inTiers('.integration-spec.ts');
    expect(integration.length).toBeGreaterThan(20);
    expect(
      integration.filter((file) =>
        SERVER_NEEDS.some((pattern) => pattern.test(readFileSync(join(ROOT, file), 'utf8'))),
      ).length,
    ).toBeGreaterThan(20);
  });
});
