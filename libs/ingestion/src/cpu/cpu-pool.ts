import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { AppConfig, shutdownStep } from '@strata/core';
import { CPU_TASKS, type CpuTasks } from './cpu-tasks';
import { PriorityTaskQueue } from './priority-task-queue';

/** Where the built worker entry sits: beside the app's bundle (webpack entry cpu-worker). */
export const CPU_WORKER_FILE = Symbol('CPU_WORKER_FILE');
export const defaultCpuWorkerFile = (): string => join(__dirname, 'cpu-worker.js');

/** How much lower than the HTTP thread the worker threads run (Unix nice steps). */
const WORKER_NICENESS = 10;

/** A task that did not finish: over its time, over its thread's memory, or its thread died. */
export class CpuTaskFailed extends Error {
  constructor(
    readonly reason: 'timeout' | 'memory' | 'crashed',
    message: string,
  ) {
    super(message);
    this.name = 'CpuTaskFailed';
  }
}

/**
 * The pool is shutting down: a task it dropped is not the document's fault. Jobs leave their work
 * claimed, and another process resumes it when the lease runs out.
 */
export class CpuPoolClosed extends Error {
  constructor() {
    super('the CPU pool is shutting down');
    this.name = 'CpuPoolClosed';
  }
}

type TaskName = keyof CpuTasks;

/** Tasks that build the graph behind ingestion: they wait while searchable-making work is queued. */
const BACKGROUND_TASKS = new Set<TaskName>(['extractEntities']);
type Input<T extends TaskName> = Parameters<CpuTasks[T]>[0];
type Output<T extends TaskName> = Awaited<ReturnType<CpuTasks[T]>>;

/**
 * Runs parsing, chunking and embedded extraction on worker threads (piscina), sized to the cores,
 * so the thread that serves HTTP only waits for them. Each thread's heap is capped and each task
 * may be given a deadline, after which its thread is terminated and replaced: a document that
 * would take the process's memory or time fails alone. Where no built worker entry exists (the
 * tests run the TypeScript sources) or CPU_THREADS is 0, tasks run on the calling thread instead.
 */
@Injectable()
export class CpuPool implements OnApplicationShutdown {
  private readonly logger = new Logger('CpuPool');
  private readonly pool: Piscina | null;
  private readonly memoryMb: number;
  private readonly shutdownLimitMs: number;
  private closing = false;

  constructor(config: AppConfig, @Inject(CPU_WORKER_FILE) workerFile: string) {
    this.shutdownLimitMs = config.shutdownTimeoutMs;
    const { cpuThreads, parseMemoryMb } = config.ingestion;
    this.memoryMb = parseMemoryMb;
    this.pool =
      cpuThreads > 0 && existsSync(workerFile)
        ? new Piscina({
            filename: workerFile,
            minThreads: 1,
            maxThreads: cpuThreads,
            idleTimeout: 60_000,
            resourceLimits: { maxOldGenerationSizeMb: parseMemoryMb },
            // Below the main thread's priority (through @napi-rs/nice), so requests are served
            // first when ingestion keeps every core busy.
            niceIncrement: WORKER_NICENESS,
            taskQueue: new PriorityTaskQueue((task) => BACKGROUND_TASKS.has(task as TaskName)),
          })
        : null;
  }

  /** Threads tasks run on; 0 when they run on the calling thread. */
  get threads(): number {
    return this.pool?.options.maxThreads ?? 0;
  }

  async run<T extends TaskName>(
    task: T,
    input: Input<T>,
    options: { timeoutMs?: number } = {},
  ): Promise<Output<T>> {
    if (this.closing) throw new CpuPoolClosed();
    if (this.pool === null) {
      return (CPU_TASKS[task] as (input: Input<T>) => Promise<Output<T>>)(input);
    }
    const signal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
    try {
      return (await this.pool.run(input, { name: task, signal })) as Output<T>;
    } catch (error) {
      throw this.closing ? new CpuPoolClosed() : this.explain(error, options.timeoutMs);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    const pool = this.pool;
    if (pool) await shutdownStep('the CPU worker threads', this.shutdownLimitMs, () => pool.destroy());
  }

  private explain(error: unknown, timeoutMs: number | undefined): unknown {
    const { name, code, message } = error as { name?: string; code?: string; message?: string };
    if (name === 'AbortError' || name === 'TimeoutError') {
      return new CpuTaskFailed('timeout', `took longer than ${Math.round((timeoutMs ?? 0) / 1000)} s`);
    }
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new CpuTaskFailed('memory', `needed more than ${this.memoryMb} MB of memory`);
    }
    if (/worker.*(exit|terminat)/i.test(message ?? '')) {
      this.logger.warn(`a CPU worker thread died: ${message}`);
      return new CpuTaskFailed('crashed', 'its worker thread stopped');
    }
    return error;
  }
}
