import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { accessCacheLookups } from '@strata/core';
import { AccessChangeFeed, type AccessChangeListener, type AccessTag } from './access-change-feed';

/**
 * Entries a replica keeps at most; the least recently used goes first. An entry holds about 3 KB
 * (a 5,000-entry cache grew the api by ~30 MB in the scale benchmark after 10,000 KBs); a request
 * that misses reads the database, as every request did before the cache.
 */
export const ACCESS_CACHE_ENTRIES = 2_000;

/**
 * How long an entry is trusted at most. Changes arrive through the feed well before that; this
 * only bounds the damage should one go unheard without the feed noticing (a silent network split).
 */
export const ACCESS_CACHE_TTL_MS = 30_000;

/** What is cached: a session's account, an API key, a tenant resolution. */
export type AccessKind = 'session' | 'api_key' | 'resolution';

interface Entry {
  value: object;
  tags: readonly AccessTag[];
}

/**
 * This replica's copy of the rows the request path reads on every request (who the caller is,
 * their membership, the tenant and KB they name), so that a request reads them only when they
 * changed. Each entry carries the tags of the rows it was made from; the AccessChangeFeed names
 * the rows that change, on every replica, at the commit that changes them, and their entries go
 * before the next request can use them. A read that overlapped any change is not kept (it may
 * have seen the row before the change), nothing is kept while the feed is not live, and a
 * reconnected feed starts from nothing.
 */
@Injectable()
export class AccessCache implements AccessChangeListener, OnModuleDestroy {
  private readonly entries: LRUCache<string, Entry>;
  private readonly keysByTag = new Map<string, Set<string>>();
  /** Moves on every change heard: a read that started before it moved is not kept. */
  private generation = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly feed: AccessChangeFeed) {
    this.entries = new LRUCache<string, Entry>({
      max: ACCESS_CACHE_ENTRIES,
      ttl: ACCESS_CACHE_TTL_MS,
      dispose: (entry, key) => this.unindex(key, entry.tags),
    });
  }

  /**
   * The value under `key`: from the cache, or from `load`, kept with the tags `tagsOf` gives it
   * (null: never keep this one, e.g. a refusal that a later insert could turn into a grant).
   */
  async read<T extends object>(
    kind: AccessKind,
    key: string,
    load: () => Promise<T | null>,
    tagsOf: (value: T) => readonly AccessTag[] | null,
  ): Promise<T | null> {
    // Subscribing on first use keeps processes that never serve requests (the worker) off the feed.
    this.unsubscribe ??= this.feed.subscribe(this);
    const fullKey = `${kind}|${key}`;
    const hit = this.entries.get(fullKey);
    if (hit !== undefined) {
      accessCacheLookups.inc({ kind, result: 'hit' });
      return hit.value as T;
    }
    const generation = this.generation;
    const value = await load();
    const tags = value === null ? null : tagsOf(value);
    if (tags === null || !this.feed.live || generation !== this.generation) {
      accessCacheLookups.inc({ kind, result: 'uncached' });
      return value;
    }
    // set() disposes of an entry it replaces (unindexing it) before the new tags are indexed.
    this.entries.set(fullKey, { value: value!, tags });
    for (const tag of tags) {
      let keys = this.keysByTag.get(tag);
      if (keys === undefined) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(fullKey);
    }
    accessCacheLookups.inc({ kind, result: 'miss' });
    return value;
  }

  changed(tags: readonly string[]): void {
    this.generation++;
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag);
      if (keys === undefined) continue;
      for (const key of [...keys]) this.entries.delete(key);
      this.keysByTag.delete(tag);
    }
  }

  reset(): void {
    this.generation++;
    this.entries.clear();
    this.keysByTag.clear();
  }

  /** Entries held now (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private unindex(key: string, tags: readonly AccessTag[]): void {
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag);
      if (keys === undefined) continue;
      keys.delete(key);
      if (keys.size === 0) this.keysByTag.delete(tag);
    }
  }
}
