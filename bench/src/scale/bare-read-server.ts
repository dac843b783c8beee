import { Controller, DynamicModule, Get, Module, Param } from '@nestjs/common';
import { loadConfigOrExit, type AppConfig } from '@strata/core';
import { KnowledgeBasesService } from '@strata/knowledge-bases';
import { TenantContext } from '@strata/tenancy';
import { applicationModules } from '../../../apps/api/src/app.module';
import { createApp, listen } from '../../../apps/api/src/create-app';

/**
 * The KB read handler of `GET /tenants/:tenantId/knowledge-bases/:kbId` with nothing in front of
 * it: no authentication, tenant resolution, policy, audit or rate limit. Only the request-path
 * benchmark serves it, as the baseline the guarded route is compared with.
 */
@Controller('bare/tenants/:tenant/knowledge-bases')
class BareReadController {
  constructor(private readonly kbs: KnowledgeBasesService) {}

  @Get(':kb')
  read(@Param('tenant') tenantId: string, @Param('kb') kbId: string) {
    return this.kbs.get(TenantContext.forJob({ tenantId, kbId, jobName: 'bench', jobId: 'bare' }));
  }
}

@Module({})
class BareReadModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: BareReadModule, imports: applicationModules(config), controllers: [BareReadController] };
  }
}

/** Runs the bare server in this process (configured from the environment, like the API). */
export async function serveBareRead(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config, { root: BareReadModule.forRoot(config) });
  await listen(app, config);
  process.stdout.write(`Strata API listening on http://${config.host}:${config.port} (bare read route)\n`);
}
