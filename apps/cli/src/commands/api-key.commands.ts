import { Command } from 'commander';
import { ApiKeysService, CreateApiKeyDto } from '@strata/auth';
import { isUuid, validateInput } from '@strata/core';
import { allPages } from '../all-pages';
import { badInput, done } from '../cli-io';
import type { CommandRunner } from '../command-runner';
import { json, table } from '../output';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `api-key create|list|revoke` in a tenant. */
export function apiKeyCommands(run: CommandRunner): Command {
  const apiKey = new Command('api-key').description("issue, list and revoke a tenant's API keys");
  const keys = () => run.session.get(ApiKeysService);

  apiKey
    .command('create')
    .description('issue an API key; its secret is printed this once')
    .requiredOption('--tenant <tenant>', 'tenant uuid or slug')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--role <role>', 'admin, editor or viewer')
    .option('--kb <kb>', 'limit the key to this KB (uuid or slug); repeat for more', collect)
    .option('--expires-at <iso-date>', 'when the key stops working')
    .option('--json', 'print the key as JSON')
    .action(
      (options: {
        tenant: string;
        name: string;
        role: string;
        kb?: string[];
        expiresAt?: string;
        json?: boolean;
      }) =>
        run.command(() =>
          run.session.inTenant(options.tenant, async (context) => {
            const dto = await validateInput(CreateApiKeyDto, {
              name: options.name,
              role: options.role,
              ...(options.kb ? { knowledge_base_ids: options.kb } : {}),
              ...(options.expiresAt !== undefined ? { expires_at: options.expiresAt } : {}),
            });
            const created = await (await keys()).create(context, dto);
            if (options.json) return done(json(created));
            return done(
              [
                `created API key ${created.name} (${created.id}), role ${created.role}, in ${context.tenantSlug}`,
                `key: ${created.key}`,
                'It is shown this once; keep it now.',
              ].join('\n'),
            );
          }),
        ),
    );

  apiKey
    .command('list')
    .description("list a tenant's API keys (never their secrets)")
    .requiredOption('--tenant <tenant>', 'tenant uuid or slug')
    .option('--json', 'print the keys as JSON')
    .action((options: { tenant: string; json?: boolean }) =>
      run.command(() =>
        run.session.inTenant(options.tenant, async (context) => {
          const service = await keys();
          const all = await allPages((afterId, limit) => service.list(context.scope(), afterId, limit));
          if (options.json) return done(json(all));
          return done(
            table(
              ['ID', 'PREFIX', 'ROLE', 'STATE', 'NAME'],
              all.map((k) => [k.id, k.prefix, k.role, k.revoked_at ? 'revoked' : 'active', k.name]),
            ),
          );
        }),
      ),
    );

  apiKey
    .command('revoke')
    .description('revoke an API key at once')
    .requiredOption('--tenant <tenant>', 'tenant uuid or slug')
    .argument('<key-id>', 'the key id (see api-key list)')
    .action((keyId: string, options: { tenant: string }) =>
      run.command(async () => {
        if (!isUuid(keyId)) return badInput(`${keyId} is not an API key id (a uuid; see api-key list)`);
        return run.session.inTenant(options.tenant, async (context) => {
          const revoked = await (await keys()).revoke(context.scope(), keyId.toLowerCase());
          return done(`API key ${revoked.name} (${revoked.id}) is revoked`);
        });
      }),
    );
  return apiKey;
}
