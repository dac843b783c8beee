import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client, type Notification, type Pool, type PoolClient } from 'pg';
import { ACCESS_CHANGES_CHANNEL } from '@strata/migrations';
import { AccessChangeFeed, type AccessChangeListener } from '@strata/tenancy';

/** How long a server feed waits before connecting again after losing its connection. */
export const RELISTEN_DELAY_MS = 1_000;

/**
 * How long catchUp waits for its own notification to come back before giving up and having
 * subscribers forget everything instead (a stalled connection; a healthy one answers in a ms).
 */
export const CATCH_UP_TIMEOUT_MS = 2_000;

/** How the listening connection shows in pg_stat_activity. */
export const ACCESS_FEED_APPLICATION_NAME = 'strata access-change feed';

/** Marks the notifications catchUp sends itself; trigger payloads start with a tag name. */
const CATCH_UP_PREFIX = 'catch-up:';

const logger = new Logger('AccessChangeFeed');

/**
 * The database's access-change notifications (the triggers of the access-change-notifications
 * migration send `<tag>:<id>` at commit) passed on to subscribers. Going live, or ceasing to be,
 * resets them: whatever they cached may have missed a change meanwhile.
 */
abstract class DatabaseAccessChangeFeed extends AccessChangeFeed {
  private readonly listeners = new Set<AccessChangeListener>();
  private started = false;
  private isLive = false;

  get live(): boolean {
    return this.isLive;
  }

  subscribe(listener: AccessChangeListener): () => void {
    this.listeners.add(listener);
    if (!this.started) {
      this.started = true;
      this.start();
    }
    return () => void this.listeners.delete(listener);
  }

  protected abstract start(): void;

  protected heard(notification: Notification): void {
    if (notification.channel !== ACCESS_CHANGES_CHANNEL || !notification.payload) return;
    if (notification.payload.startsWith(CATCH_UP_PREFIX)) {
      this.caughtUp(notification.payload.slice(CATCH_UP_PREFIX.length));
      return;
    }
    const tags = [notification.payload];
    for (const listener of this.listeners) listener.changed(tags);
  }

  /** A catch-up marker came back (one of another replica's is ignored). */
  protected caughtUp(_token: string): void {}

  protected setLive(live: boolean): void {
    if (live === this.isLive) return;
    this.isLive = live;
    this.resetListeners();
  }

  protected resetListeners(): void {
    for (const listener of this.listeners) listener.reset();
  }
}

/**
 * On a PostgreSQL server: a connection of its own that LISTENs, opened when the first subscriber
 * comes and opened again a second after it is lost. PostgreSQL delivers a notification to it
 * as the writing transaction commits, from whichever process wrote, in commit order: catchUp
 * therefore notifies on that connection and waits for its own marker, and whatever committed
 * before it has been heard by then.
 */
export class ListeningAccessChangeFeed extends DatabaseAccessChangeFeed {
  private client: Client | null = null;
  /** catchUp calls waiting for their marker, by its token. */
  private readonly catchingUp = new Map<string, () => void>();
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  /** Said once per outage, not at every retry. */
  private outageLogged = false;

  constructor(private readonly connectionString: string) {
    super();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.setLive(false);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  async catchUp(): Promise<void> {
    const client = this.client;
    // Not live: subscribers hold nothing that could be stale.
    if (client === null || !this.live) return;
    const token = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const back = new Promise<boolean>((resolve) => {
      this.catchingUp.set(token, () => resolve(true));
      timer = setTimeout(() => resolve(false), CATCH_UP_TIMEOUT_MS);
    });
    try {
      await client.query('SELECT pg_notify($1, $2)', [ACCESS_CHANGES_CHANNEL, CATCH_UP_PREFIX + token]);
      if (!(await back)) this.resetListeners();
    } catch {
      // The connection failed: losing it resets the subscribers.
    } finally {
      clearTimeout(timer);
      this.catchingUp.delete(token);
    }
  }

  protected override caughtUp(token: string): void {
    this.catchingUp.get(token)?.();
  }

  protected start(): void {
    void this.open();
  }

  private async open(): Promise<void> {
    this.retry = null;
    const client = new Client({
      connectionString: this.connectionString,
      keepAlive: true,
      application_name: ACCESS_FEED_APPLICATION_NAME,
    });
    this.client = client;
    client.on('notification', (notification) => this.heard(notification));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${ACCESS_CHANGES_CHANNEL}`);
      if (this.client !== client) return;
      this.setLive(true);
      if (this.outageLogged) logger.log('Hearing access changes again');
      this.outageLogged = false;
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.setLive(false);
    for (const release of this.catchingUp.values()) release();
    void client.end().catch(() => undefined);
    if (this.closed) return;
    if (!this.outageLogged) {
      this.outageLogged = true;
      logger.warn(
        `Not hearing access changes (${error instanceof Error ? error.message : 'connection ended'}); ` +
          `reading access fresh on every request until it listens again`,
      );
    }
    this.retry = setTimeout(() => void this.open(), RELISTEN_DELAY_MS);
    this.retry.unref();
  }
}

/**
 * Embedded: PGlite serves one session that the pool's one connection uses, and a notification
 * goes out on whichever connection ran the committing statement, with its result. Every pool
 * connection is therefore listened to, LISTEN is (re)issued on each new one, and a change is
 * heard before the statement that made it answers.
 */
export class SharedSessionAccessChangeFeed extends DatabaseAccessChangeFeed {
  private readonly attached = new WeakSet<PoolClient>();
  private readonly onConnect = (client: PoolClient) => this.attach(client, true);

  constructor(private readonly pool: Pool) {
    super();
  }

  /** A change is heard before the statement that made it answers: nothing is ever behind. */
  async catchUp(): Promise<void> {}

  async close(): Promise<void> {
    this.pool.off('connect', this.onConnect);
    this.setLive(false);
  }

  protected start(): void {
    this.pool.on('connect', this.onConnect);
    void this.listenOnce();
  }

  private async listenOnce(): Promise<void> {
    try {
      const client = await this.pool.connect();
      try {
        this.attach(client, false);
        await client.query(`LISTEN ${ACCESS_CHANGES_CHANNEL}`);
        this.setLive(true);
      } finally {
        client.release();
      }
    } catch (error) {
      logger.warn(`Not hearing access changes: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private attach(client: PoolClient, listen: boolean): void {
    if (this.attached.has(client)) return;
    this.attached.add(client);
    client.on('notification', (notification) => this.heard(notification));
    // Queued ahead of whatever the connection was opened for.
    if (listen) client.query(`LISTEN ${ACCESS_CHANGES_CHANNEL}`).catch(() => undefined);
  }
}
