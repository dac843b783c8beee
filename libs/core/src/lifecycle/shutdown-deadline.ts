import { pendingShutdownSteps } from './shutdown-step';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Bounds a graceful shutdown: once SIGTERM or SIGINT arrives (Nest's shutdown hooks then drain
 * HTTP and wait for running jobs), the process exits after `seconds` even if something still
 * runs, such as a job stuck on a slow provider. That job loses nothing: its document's lease runs
 * out and another process takes it over from the database state. The timer does not keep a
 * process that finished earlier alive.
 */
export function enforceShutdownDeadline(seconds: number): void {
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      setTimeout(() => {
        const waiting = pendingShutdownSteps();
        process.stderr.write(
          `graceful shutdown did not finish in ${seconds} s (SHUTDOWN_TIMEOUT_SECONDS)` +
            (waiting.length > 0 ? `; still waiting for ${waiting.join(', ')}` : '') +
            '; exiting, unfinished work resumes from the database\n',
        );
        process.exit(1);
      }, seconds * 1000).unref();
    });
  }
}
