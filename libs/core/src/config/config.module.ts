import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';
import { resolveEmbeddedSecrets } from './embedded-secrets';

/** Provides the one validated AppConfig to every module. */
@Global()
@Module({})
export class ConfigModule {
  /** Loads from the process environment unless a ready config is given (tests, CLI). */
  static forRoot(config?: AppConfig): DynamicModule {
    // This is the one place that reads process.env (see CONVENTIONS.md).
    const resolved = config ?? resolveEmbeddedSecrets(loadConfig(process.env));
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: resolved }],
      exports: [AppConfig],
    };
  }
}
