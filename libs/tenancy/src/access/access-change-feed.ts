/**
 * Tags name the rows that decide who may do what: `user:<id>` (an account or one of its
 * memberships), `session:<id>`, `tenant:<id>`, `kb:<id>` and `api_key:<id>`.
 */
export type AccessTag = `${'user' | 'session' | 'tenant' | 'kb' | 'api_key'}:${string}`;

/** What an AccessChangeFeed tells its subscribers. */
export interface AccessChangeListener {
  /** Rows carrying these tags changed or went. */
  changed(tags: readonly string[]): void;
  /** Changes may have gone unheard (the feed lost or regained its connection): forget everything. */
  reset(): void;
}

/**
 * Tells every replica, whichever process wrote it, that rows deciding access changed
 * (implemented by the storage module from the database's own notifications). While it is not
 * `live`, nothing may be cached on the strength of it.
 */
export abstract class AccessChangeFeed {
  /** Starts listening if it had not; answers how to stop this subscriber's calls. */
  abstract subscribe(listener: AccessChangeListener): () => void;

  /**
   * Resolves once every change committed before the call has been heard (or, failing that, once
   * subscribers were told to forget everything): a replica that just wrote answers its next
   * request from what it wrote, not from the cache the notification is still on its way to.
   */
  abstract catchUp(): Promise<void>;

  /** Whether changes are being heard now. */
  abstract get live(): boolean;

  /** Stops listening (at shutdown). */
  abstract close(): Promise<void>;
}
