import { CliSession } from '../../apps/cli/src/cli-session';
import { runCli } from '../../apps/cli/src/run-cli';
import { testConfig } from './test-app';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs CLI command lines in this process against the stores `env` names (DATA_DIR or DATABASE_URL).
 * The stores stay open from one command line to the next, as for an operator's session; `release`
 * closes them (before an embedded API opens the same DATA_DIR).
 */
export function inProcessCli(env: Record<string, string>) {
  let session: CliSession | null = null;
  const cli = async (args: string[], stdin = ''): Promise<CliRun> => {
    session ??= new CliSession(() => testConfig(env));
    let out = '';
    let err = '';
    const code = await runCli(
      args,
      { out: (text) => (out += text), err: (text) => (err += text), readStdin: async () => stdin },
      session,
    );
    return { code, out, err };
  };
  cli.release = async (): Promise<void> => {
    await session?.close();
    session = null;
  };
  return cli;
}
