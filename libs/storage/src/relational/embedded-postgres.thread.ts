/**
 * What the embedded database's thread runs: PGlite (with pgvector) served on the Unix socket it is
 * given, until the parent asks it to stop. It is a script rather than a module so that it runs the
 * same from the TypeScript sources (tests) and from the webpack bundle, without a build step of its
 * own; packages resolve from the parent module's location (`workerData.resolveFrom`).
 *
 * Messages to the parent: `{ ready: true }` once serving, `{ failed: message }` if it could not
 * start, `{ stopped: true }` after a stop request has flushed and closed the database.
 */
export const EMBEDDED_POSTGRES_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const load = require('node:module').createRequire(workerData.resolveFrom);
const { PGlite } = load('@electric-sql/pglite');
const { vector } = load('@electric-sql/pglite-pgvector');
const { PGLiteSocketServer } = load('@electric-sql/pglite-socket');

let db = null;
let server = null;
(async () => {
  try {
    db = await PGlite.create({ dataDir: workerData.dataDir ?? undefined, extensions: { vector } });
    server = new PGLiteSocketServer({ db, path: workerData.socketPath });
    await server.start();
    parentPort.postMessage({ ready: true });
  } catch (error) {
    await db?.close().catch(() => undefined);
    parentPort.postMessage({ failed: String(error?.stack ?? error) });
  }
})();

parentPort.on('message', async (message) => {
  if (message !== 'stop') return;
  await server?.stop();
  await db?.close();
  parentPort.postMessage({ stopped: true });
  parentPort.close();
});
`;
