import 'reflect-metadata';
import { loadConfigOrExit } from '@strata/core';
import { processIo } from './cli-io';
import { runCli } from './run-cli';

runCli(process.argv.slice(2), processIo, (options) => loadConfigOrExit(options)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`strata cli: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
