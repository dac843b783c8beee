import type { Abstract, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { AppConfig, newId, parseIdOrSlug } from '@strata/core';
import { OPERATOR, TenantContext, TenantContextService } from '@strata/tenancy';
import { KnowledgeBasesService } from '@strata/knowledge-bases';
import { TenantsService } from '@strata/tenants';
import { CliModule } from './cli.module';
import { CliInputError } from './cli-input-error';

/**
 * The stores as the commands use them, opened on the first command that needs them (help, backup
 * and restore never do). Work runs as the operator (`system:cli` in the audit trail).
 */
export class CliSession {
  private app: Promise<INestApplicationContext> | null = null;

  constructor(private readonly loadConfig: (options: { withSecrets: boolean }) => AppConfig) {}

  /**
   * A session connected as the schema owner (MIGRATION_DATABASE_URL) when one is configured; this
   * session otherwise. Close it when done.
   */
  asSchemaOwner(): CliSession {
    const database = this.fileConfig().database;
    const migrationUrl = database.kind === 'postgres' ? (database.migrationUrl ?? null) : null;
    if (migrationUrl === null) return this;
    return new CliSession((options) => {
      const config = this.loadConfig(options);
      return config.with({ database: { ...config.database, url: migrationUrl } as AppConfig['database'] });
    });
  }

  /** The configuration for commands that only touch files: it creates no secrets file. */
  fileConfig(): AppConfig {
    return this.loadConfig({ withSecrets: false });
  }

  async get<T>(type: Type<T> | Abstract<T>): Promise<T> {
    return (await this.open()).get(type);
  }

  /** Runs `work` as the operator with no tenant: platform-level changes. */
  asOperator<T>(work: () => Promise<T>): Promise<T> {
    return this.runAs(null, work);
  }

  /** Runs `work` as the operator in the tenant `ref` (uuid or slug); an unknown tenant is bad input. */
  async inTenant<T>(ref: string, work: (context: TenantContext) => Promise<T>): Promise<T> {
    const parsed = parseIdOrSlug(ref);
    const tenant = parsed && (await (await this.get(TenantsService)).findTenant(parsed));
    if (!tenant || tenant.status === 'deleting') throw new CliInputError(`no tenant ${ref}`);
    const context = TenantContext.forOperator({ ...tenant, requestId: `cli-${newId()}` });
    return this.runAs(context, () => work(context));
  }

  /** Runs `work` as the operator in a KB (uuid or slug) of the tenant `tenantRef`. */
  async inKnowledgeBase<T>(
    tenantRef: string,
    kbRef: string,
    work: (context: TenantContext) => Promise<T>,
  ): Promise<T> {
    return this.inTenant(tenantRef, async (context) => {
      const parsed = parseIdOrSlug(kbRef);
      const kb =
        parsed && (await (await this.get(KnowledgeBasesService)).findKnowledgeBase(context.scope(), parsed));
      if (!kb) throw new CliInputError(`no knowledge base ${kbRef} in tenant ${context.tenantSlug}`);
      return work(context.withKnowledgeBase(kb.id));
    });
  }

  async close(): Promise<void> {
    if (this.app) await (await this.app).close();
    this.app = null;
  }

  /** Runs `work` in a context of its own with the operator as principal, in `context`'s tenant if any. */
  private async runAs<T>(context: TenantContext | null, work: () => Promise<T>): Promise<T> {
    const app = await this.open();
    return app.get(ClsService).run(async () => {
      const contexts = app.get(TenantContextService);
      contexts.setPrincipal(OPERATOR);
      if (context) contexts.set(context);
      return work();
    });
  }

  private open(): Promise<INestApplicationContext> {
    this.app ??= NestFactory.createApplicationContext(
      CliModule.forRoot(this.loadConfig({ withSecrets: true })),
      {
        // Commands say what happened themselves; an error reaches main, which reports it in one line.
        logger: false,
        abortOnError: false,
      },
    );
    return this.app;
  }
}
