import { closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { create, extract } from 'tar';
import type { AppConfig } from '@strata/core';
import { lockDataDir } from '@strata/storage';
import type { CommandResult } from '../cli-io';

const LOCK_FILE = 'strata.lock';

function embeddedDataDir(config: AppConfig): string | CommandResult {
  if (!config.embedded) {
    return {
      output:
        'backup and restore are for the embedded mode; back up PostgreSQL, Redis, Qdrant and Neo4j with their own tools',
      exitCode: 2,
    };
  }
  return resolve(config.dataDir);
}

/**
 * Writes DATA_DIR (database, vectors, blobs, secrets) to a gzipped tar readable by its owner only
 * (mode 0600, whatever the umask). It holds the database's
 * lock meanwhile, so it refuses to run while a Strata process uses the directory: a copy of a
 * database being written would not be consistent.
 */
export async function backupCommand(config: AppConfig, to: string | undefined): Promise<CommandResult> {
  const dataDir = embeddedDataDir(config);
  if (typeof dataDir !== 'string') return dataDir;
  if (!to) return { output: 'backup needs --to <file.tar.gz>', exitCode: 2 };
  const target = resolve(to);
  if (existsSync(target)) return { output: `${target} exists; choose a new file`, exitCode: 2 };
  if (!existsSync(dirname(target))) {
    return { output: `${dirname(target)} does not exist; create it first`, exitCode: 2 };
  }
  if (!existsSync(join(dataDir, 'pg'))) return { output: `${dataDir} holds no Strata database`, exitCode: 2 };
  const unlock = lockDataDir(join(dataDir, 'pg'));
  try {
    // The archive holds the secrets (master key, JWT secret): only its owner may read it, from the
    // first byte on. Made here with that mode ('wx': never over another file); tar writes into it.
    closeSync(openSync(target, 'wx', 0o600));
    await create({ gzip: true, file: target, cwd: dataDir, filter: (path) => !path.endsWith(LOCK_FILE) }, [
      '.',
    ]);
  } finally {
    unlock();
  }
  return { output: `backed up ${dataDir} to ${target}`, exitCode: 0 };
}

/** Unpacks a backup into DATA_DIR, which must not exist yet or be empty. */
export async function restoreCommand(config: AppConfig, from: string | undefined): Promise<CommandResult> {
  const dataDir = embeddedDataDir(config);
  if (typeof dataDir !== 'string') return dataDir;
  if (!from) return { output: 'restore needs --from <file.tar.gz>', exitCode: 2 };
  const source = resolve(from);
  if (!existsSync(source)) return { output: `${source} does not exist`, exitCode: 2 };
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    return { output: `${dataDir} is not empty; restore into a new DATA_DIR`, exitCode: 2 };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    await extract({ file: source, cwd: dataDir, strict: true });
  } catch (error) {
    return { output: `${source} is not a readable backup: ${(error as Error).message}`, exitCode: 2 };
  }
  if (!existsSync(join(dataDir, 'pg'))) {
    return { output: `${source} holds no Strata database`, exitCode: 2 };
  }
  return { output: `restored ${source} into ${dataDir}`, exitCode: 0 };
}
