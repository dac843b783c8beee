import { Command } from 'commander';
import { validateInput } from '@strata/core';
import { CreateTenantDto, TenantsService, UpdateTenantDto } from '@strata/tenants';
import { allPages } from '../all-pages';
import { badInput, done } from '../cli-io';
import type { CommandRunner } from '../command-runner';
import { json, table } from '../output';

/** `tenant create|list|suspend|resume|delete`. */
export function tenantCommands(run: CommandRunner): Command {
  const tenant = new Command('tenant').description('create, list, suspend, resume and delete tenants');
  const tenants = () => run.session.get(TenantsService);

  tenant
    .command('create')
    .description('create a tenant')
    .requiredOption('--slug <slug>', 'unique, lowercase letters, digits and dashes')
    .requiredOption('--name <name>', 'display name')
    .option('--json', 'print the tenant as JSON')
    .action((options: { slug: string; name: string; json?: boolean }) =>
      run.command(async () => {
        const dto = await validateInput(CreateTenantDto, { slug: options.slug, name: options.name });
        const created = await run.session.asOperator(async () => (await tenants()).create(dto));
        return done(options.json ? json(created) : `created tenant ${created.slug} (${created.id})`);
      }),
    );

  tenant
    .command('list')
    .description('list every tenant')
    .option('--json', 'print the tenants as JSON')
    .action((options: { json?: boolean }) =>
      run.command(async () => {
        const service = await tenants();
        const all = await allPages((afterId, limit) => service.listAll(afterId, limit));
        if (options.json) return done(json(all));
        return done(
          table(
            ['ID', 'SLUG', 'STATUS', 'NAME'],
            all.map((t) => [t.id, t.slug, t.status, t.name]),
          ),
        );
      }),
    );

  for (const [name, status, verb] of [
    ['suspend', 'suspended', 'refuse every request to a tenant until it is resumed'],
    ['resume', 'active', 'make a suspended tenant active again'],
  ] as const) {
    tenant
      .command(name)
      .description(verb)
      .argument('<tenant>', 'tenant uuid or slug')
      .action((ref: string) =>
        run.command(() =>
          run.session.inTenant(ref, async (context) => {
            const dto = await validateInput(UpdateTenantDto, { status });
            const updated = await (await tenants()).update(context.scope(), dto);
            return done(`tenant ${updated.slug} is ${updated.status}`);
          }),
        ),
      );
  }

  tenant
    .command('delete')
    .description('delete a tenant with its members, KBs, documents, vectors, graph and keys')
    .argument('<tenant>', 'tenant uuid or slug')
    .option('--yes', 'confirm: this cannot be undone')
    .action((ref: string, options: { yes?: boolean }) =>
      run.command(async () => {
        if (!options.yes) return badInput(`deleting tenant ${ref} cannot be undone; add --yes to confirm`);
        return run.session.inTenant(ref, async (context) => {
          await (await tenants()).delete(context.scope());
          return done(
            `tenant ${context.tenantSlug} deleted; its vectors and files are purged by the worker (or the embedded API at its next start)`,
          );
        });
      }),
    );
  return tenant;
}
