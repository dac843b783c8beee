/**
 * What the embedded database's thread runs: PGlite (with pgvector) served on the Unix socket it is
 * given, until the parent asks it to stop. It is a script rather than a module so that it runs the
 * same from the TypeScript sources (tests) and from the webpack bundle, without a build step of its
 * own; packages resolve from the parent module's location (`workerData.resolveFrom`).
 *
 * With `statementStatsFile`, it writes there, every few seconds and at stop, the time the database
 * spent per statement (see measureStatements).
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
const DATABASE_NICENESS = 5;
const RANDOM_PAGE_COST = 1.1;
const LONG_EXECUTION_MS = 30;

// A little below the HTTP thread, so that health probes and request handling get a core first
// when the database is busy with ingestion (Linux nice values are per thread).
try { load('@napi-rs/nice').nice(DATABASE_NICENESS); } catch { /* not supported here: same priority */ }

let db = null;
let server = null;
let statements = null;
(async () => {
  try {
    db = await PGlite.create({ dataDir: workerData.dataDir ?? undefined, extensions: { vector } });
    // PGlite serves its pages from memory, where a random read costs what a sequential one does;
    // PostgreSQL's default (4, for spinning disks) made the planner scan a KB's whole relation
    // table for a graph batch's few hundred keys instead of probing the index per key. The one
    // session every connection shares keeps it.
    await db.exec('SET random_page_cost = ' + RANDOM_PAGE_COST);
    // A new 16 MB WAL segment is otherwise written full of zeros first, inside whichever statement
    // crossed into it: during a bulk ingest (a few hundred MB of WAL) that made one statement in
    // a hundred take 40-90 ms on the one connection, and requests wait behind it. The zeros only
    // reserve disk space ahead of an fsync, and PGlite runs with fsync off; recovery reads an
    // unfilled segment's end as zeros all the same.
    await db.exec('SET wal_init_zero = off');
    if (workerData.statementStatsFile) statements = measureStatements(db, workerData.statementStatsFile);
    server = new PGLiteSocketServer({ db, path: workerData.socketPath });
    await server.start();
    coalesceWrites(server);
    parentPort.postMessage({ ready: true });
  } catch (error) {
    await db?.close().catch(() => undefined);
    parentPort.postMessage({ failed: String(error?.stack ?? error) });
  }
})();

// The socket server writes every piece of a result as it comes (one system call each, which cost
// as much as executing the statements during a bulk ingest); corking a connection's socket until
// the turn of the event loop is over sends them together. It reaches the net.Server through a
// property of pglite-socket 0.2's server (pinned in package-lock.json); without it, writes stay
// as they are.
function coalesceWrites(socketServer) {
  socketServer.server?.on('connection', (socket) => {
    const write = socket.write.bind(socket);
    let corked = false;
    socket.write = (...args) => {
      if (!corked) {
        corked = true;
        socket.cork();
        setImmediate(() => {
          corked = false;
          socket.uncork();
        });
      }
      return write(...args);
    };
  });
}

// A diagnostic for finding what holds the single connection: the time of each protocol message,
// the bind and execute steps counted to the statement their parse (or simple query) named, summed
// per statement text (its first 120 characters, whitespace folded), with the longest execution
// (an execute or simple query message) and how many took over LONG_EXECUTION_MS: with one
// connection, a request that arrives during such an execution waits for the rest of it. It wraps the method
// pglite-socket 0.2 calls (pinned in package-lock.json).
function measureStatements(database, file) {
  const totals = new Map();
  const decoder = new TextDecoder();
  const raw = database.execProtocolRawStream.bind(database);
  let current = '(none)';
  database.execProtocolRawStream = async (message, ...rest) => {
    const started = performance.now();
    try {
      return await raw(message, ...rest);
    } finally {
      const kind = String.fromCharCode(message[0]);
      if (kind === 'P' || kind === 'Q') current = statementText(message, kind === 'P');
      const total = totals.get(current) ??
        { statement: current, ms: 0, messages: 0, executions: 0, longestMs: 0, longExecutions: 0 };
      const ms = performance.now() - started;
      total.ms += ms;
      total.messages += 1;
      if (kind === 'E' || kind === 'Q') {
        total.executions += 1;
        total.longestMs = Math.max(total.longestMs, ms);
        if (ms > LONG_EXECUTION_MS) total.longExecutions += 1;
      }
      totals.set(current, total);
    }
  };
  function statementText(message, named) {
    let start = 5;
    if (named) {
      while (message[start] !== 0) start++;
      start++;
    }
    let end = start;
    while (end < message.length && message[end] !== 0 && end - start < 2000) end++;
    return decoder.decode(message.subarray(start, end)).split(/\\s+/).join(' ').trim().slice(0, 120);
  }
  const writeNow = () => {
    const rows = [...totals.values()]
      .sort((a, b) => b.ms - a.ms)
      .map((t) => ({ ...t, ms: Math.round(t.ms), longestMs: Math.round(t.longestMs) }));
    require('node:fs').writeFileSync(file, JSON.stringify(rows, null, 1));
  };
  // A file that cannot be written fails the start with its reason; a later failure (a full disk)
  // must not take the database down for a diagnostic, so it only skips that refresh.
  try {
    writeNow();
  } catch (error) {
    throw new Error('EMBEDDED_STATEMENT_STATS_FILE ' + file + ' cannot be written: ' + error.message);
  }
  const write = () => {
    try { writeNow(); } catch { /* the next refresh tries again */ }
  };
  const timer = setInterval(write, 2000);
  timer.unref();
  return { write };
}

parentPort.on('message', async (message) => {
  if (message !== 'stop') return;
  statements?.write();
  await server?.stop();
  await db?.close();
  parentPort.postMessage({ stopped: true });
  parentPort.close();
});
`;
