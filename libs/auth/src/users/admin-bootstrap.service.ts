import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, randomToken } from '@strata/core';
import { UsersService } from './users.service';

/**
 * First start: creates the platform admin from ADMIN_EMAIL/ADMIN_PASSWORD, or with a generated
 * password printed once to stdout (not to the log stream) when none is configured.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.countPlatformAdmins()) > 0) return;
    const generated = this.config.adminPassword === null;
    const password = this.config.adminPassword ?? randomToken(18);
    const existing = await this.users.findByEmail(this.config.adminEmail);
    if (existing) {
      await this.users.promoteToPlatformAdmin(existing, this.config.adminPassword);
    } else {
      await this.users.create(this.config.adminEmail, password, true);
    }
    this.logger.log(`platform admin ${this.config.adminEmail} is ready`);
    if (generated && !existing) {
      process.stdout.write(
        [
          '',
          '================ Strata platform admin (shown once) ================',
          `  email:    ${this.config.adminEmail}`,
          `  password: ${password}`,
          '  Keep it now; set ADMIN_EMAIL/ADMIN_PASSWORD to choose your own.',
          '=====================================================================',
          '',
        ].join('\n'),
      );
    }
  }
}
