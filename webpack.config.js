// Nest builds each app with webpack. Two compilations per app, written side by side in
// dist/apps/<app>/: the app's main.js as Nest configures it, and the CPU pool's worker thread
// entry, cpu-worker.js, exported as CommonJS so piscina can call the task functions it names.
const { dirname, join, resolve } = require('node:path');

const outputOf = (options, name) => ({
  ...options.output,
  filename: join(dirname(options.output.filename), name),
});

/** The app, as Nest configures it (its output is already main.js). */
const app = (options) => options;

/**
 * The worker threads' entry holds the tasks and what they use, nothing of the server: its modules
 * are compiled as ES modules and a library's index.ts is marked free of side effects (it only
 * re-exports), so webpack takes only the modules the tasks reach. Bundled like the app, it loaded
 * NestJS, TypeORM and every driver through the index files, and a thread took ~2.7 s of CPU to
 * start. (The app itself keeps CommonJS: its modules register entities and providers as they
 * load, and trimming them changes what it is.)
 */
const cpuWorker = (options) => ({
  ...options,
  entry: {
    'cpu-worker': {
      import: resolve(__dirname, 'libs/ingestion/src/cpu/cpu.worker.ts'),
      library: { type: 'commonjs2' },
    },
  },
  output: outputOf(options, '[name].js'),
  module: {
    ...options.module,
    rules: [
      ...options.module.rules.map((rule) => ({
        ...rule,
        use: rule.use.map((use) =>
          use.loader === 'ts-loader'
            ? { ...use, options: { ...use.options, compilerOptions: { module: 'es2020' } } }
            : use,
        ),
      })),
      { test: /[\\/]libs[\\/][^\\/]+[\\/]src[\\/]index\.ts$/, sideEffects: false },
    ],
  },
  optimization: { ...options.optimization, sideEffects: true },
  // The app's compilation type-checks the same sources already.
  plugins: options.plugins.filter((plugin) => plugin.constructor.name !== 'ForkTsCheckerWebpackPlugin'),
});

module.exports = [app, cpuWorker];
