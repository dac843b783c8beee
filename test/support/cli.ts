import { runCli } from '../../apps/cli/src/run-cli';
import { testConfig } from './test-app';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs CLI command lines in this process against the stores `env` names (DATA_DIR or DATABASE_URL). */
export function inProcessCli(env: Record<string, string>) {
  return async (args: string[], stdin = ''): Promise<CliRun> => {
    let out = '';
    let err = '';
    const code = await runCli(
      args,
      { out: (text) => (out += text), err: (text) => (err += text), readStdin: async () => stdin },
      () => testConfig(env),
    );
    return { code, out, err };
  };
}
