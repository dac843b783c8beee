import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '@strata/audit';
import { Conflict, ErrorCode, newId } from '@strata/core';
import { isUniqueViolation } from '@strata/storage';
import type { CreatePlatformAdminDto } from '../dto/platform-admin.dto';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { disableUsers, enableUser } from './users.repository';

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** User accounts (deployment-wide; tenant access comes from memberships). */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id } });
  }

  findByEmail(email: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOne({ where: { email: normaliseEmail(email) } });
  }

  findByIds(ids: string[]): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.users.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany();
  }

  async create(
    email: string,
    password: string,
    platformAdmin = false,
    manager?: EntityManager,
  ): Promise<User> {
    const repo = this.repo(manager);
    const user = repo.create({
      id: newId(),
      email: normaliseEmail(email),
      passwordHash: await this.hasher.hash(password),
      platformAdmin,
      disabledAt: null,
    });
    return repo.save(user);
  }

  /** Another platform admin (the operator's `admin create`); an email in use is a conflict. */
  async createPlatformAdmin(dto: CreatePlatformAdminDto): Promise<User> {
    const taken = () => new Conflict(ErrorCode.USER_EXISTS, `a user with the email ${dto.email} exists`);
    if (await this.findByEmail(dto.email)) throw taken();
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await this.create(dto.email, dto.password, true, manager);
        await this.audit.record(
          {
            action: 'user.create',
            outcome: 'success',
            tenantId: null,
            resourceType: 'user',
            resourceId: user.id,
            details: { platform_admin: true },
          },
          manager,
        );
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
  }

  countPlatformAdmins(): Promise<number> {
    return this.users.count({ where: { platformAdmin: true } });
  }

  async promoteToPlatformAdmin(user: User, password: string | null): Promise<User> {
    user.platformAdmin = true;
    if (password !== null) user.passwordHash = await this.hasher.hash(password);
    return this.users.save(user);
  }

  /**
   * Disables the accounts among `ids` that are not platform admins (they log in no more, and their
   * tokens stop at once); their sessions end, so enabling an account again brings none back.
   * Answers those it disabled.
   */
  async disable(ids: readonly string[], manager: EntityManager): Promise<string[]> {
    const disabled = await disableUsers(manager, ids);
    await this.sessions.endAll(disabled, 'account_disabled', { manager });
    return disabled;
  }

  /** Enables an account again; answers whether it was disabled. */
  async enable(id: string, manager: EntityManager): Promise<boolean> {
    return enableUser(manager, id);
  }

  private repo(manager?: EntityManager): Repository<User> {
    return manager ? manager.getRepository(User) : this.users;
  }
}
