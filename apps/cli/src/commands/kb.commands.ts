import { Command } from 'commander';
import { validateInput } from '@strata/core';
import { CreateKnowledgeBaseDto, KnowledgeBasesService } from '@strata/knowledge-bases';
import { allPages } from '../all-pages';
import { done } from '../cli-io';
import type { CommandRunner } from '../command-runner';
import { json, table } from '../output';

/** `kb create|list` in a tenant. */
export function kbCommands(run: CommandRunner): Command {
  const kb = new Command('kb').description("create and list a tenant's knowledge bases");
  const kbs = () => run.session.get(KnowledgeBasesService);

  kb.command('create')
    .description('create a knowledge base with the default configuration (change it through the API)')
    .requiredOption('--tenant <tenant>', 'tenant uuid or slug')
    .requiredOption('--name <name>', 'display name')
    .option('--slug <slug>', 'unique in the tenant; derived from the name when omitted')
    .option('--description <text>', 'what the knowledge base holds')
    .option('--json', 'print the knowledge base as JSON')
    .action(
      (options: { tenant: string; name: string; slug?: string; description?: string; json?: boolean }) =>
        run.command(() =>
          run.session.inTenant(options.tenant, async (context) => {
            const dto = await validateInput(CreateKnowledgeBaseDto, {
              name: options.name,
              ...(options.slug !== undefined ? { slug: options.slug } : {}),
              ...(options.description !== undefined ? { description: options.description } : {}),
            });
            const created = await (await kbs()).create(context, dto);
            return done(
              options.json
                ? json(created)
                : `created knowledge base ${created.slug} (${created.id}) in ${context.tenantSlug}`,
            );
          }),
        ),
    );

  kb.command('list')
    .description("list a tenant's knowledge bases")
    .requiredOption('--tenant <tenant>', 'tenant uuid or slug')
    .option('--json', 'print the knowledge bases as JSON')
    .action((options: { tenant: string; json?: boolean }) =>
      run.command(() =>
        run.session.inTenant(options.tenant, async (context) => {
          const service = await kbs();
          const all = await allPages((afterId, limit) => service.list(context, {}, afterId, limit));
          if (options.json) return done(json(all));
          return done(
            table(
              ['ID', 'SLUG', 'STATUS', 'DOCUMENTS', 'NAME'],
              all.map((k) => [k.id, k.slug, k.status, String(k.document_count), k.name]),
            ),
          );
        }),
      ),
    );
  return kb;
}
