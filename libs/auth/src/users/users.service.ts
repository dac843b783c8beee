import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { newId } from '@strata/core';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** User accounts (deployment-wide; tenant access comes from memberships). */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
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

  countPlatformAdmins(): Promise<number> {
    return this.users.count({ where: { platformAdmin: true } });
  }

  async promoteToPlatformAdmin(user: User, password: string | null): Promise<User> {
    user.platformAdmin = true;
    if (password !== null) user.passwordHash = await this.hasher.hash(password);
    return this.users.save(user);
  }

  private repo(manager?: EntityManager): Repository<User> {
    return manager ? manager.getRepository(User) : this.users;
  }
}
