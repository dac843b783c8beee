// Nest builds each app with webpack; this adds the CPU pool's worker thread entry beside each
// app's main.js (dist/apps/<app>/cpu-worker.js), exported as CommonJS so piscina can call the
// task functions it names. Everything else is Nest's default configuration.
const { dirname, join, resolve } = require('node:path');

module.exports = (options) => {
  const outputDir = dirname(options.output.filename);
  return {
    ...options,
    entry: {
      main: options.entry,
      'cpu-worker': {
        import: resolve(__dirname, 'libs/ingestion/src/cpu/cpu.worker.ts'),
        library: { type: 'commonjs2' },
      },
    },
    output: { ...options.output, filename: join(outputDir, '[name].js') },
  };
};
