import { ACCESS_CACHE_ENTRIES, ACCESS_CACHE_TTL_MS, AccessCache } from './access-cache';
import { AccessChangeFeed, type AccessChangeListener, type AccessTag } from './access-change-feed';

/** A feed the test drives: live or not, and changes announced by hand. */
class HandFeed extends AccessChangeFeed {
  listeners = new Set<AccessChangeListener>();
  isLive = true;

  get live(): boolean {
    return this.isLive;
  }

  subscribe(listener: AccessChangeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async catchUp(): Promise<void> {}

  async close(): Promise<void> {}

  announce(...tags: string[]): void {
    for (const listener of this.listeners) listener.changed(tags);
  }
}

/** A loader that counts its reads and answers what `rows` holds now. */
function table(rows: Map<string, { id: string }>) {
  const reads: string[] = [];
  return {
    reads,
    load: (id: string) => async () => {
      reads.push(id);
      const row = rows.get(id);
      return row === undefined ? null : { ...row };
    },
  };
}

describe('AccessCache', () => {
  let feed: HandFeed;
  let cache: AccessCache;
  const rows = new Map([
    ['a', { id: 'a' }],
    ['b', { id: 'b' }],
  ]);
  const tagsOf = (value: { id: string }): AccessTag[] => [`user:${value.id}`, 'tenant:t1'];

  beforeEach(() => {
    feed = new HandFeed();
    cache = new AccessCache(feed);
  });

  it('reads a row once and answers it from the cache after that', async () => {
    const { reads, load } = table(rows);
    expect(await cache.read('session', 'a', load('a'), tagsOf)).toEqual({ id: 'a' });
    expect(await cache.read('session', 'a', load('a'), tagsOf)).toEqual({ id: 'a' });
    expect(reads).toEqual(['a']);
    expect(cache.size).toBe(1);
  });

  it('keeps kinds apart under the same key', async () => {
    const { reads, load } = table(rows);
    await cache.read('session', 'a', load('a'), tagsOf);
    await cache.read('api_key', 'a', load('a'), tagsOf);
    expect(reads).toEqual(['a', 'a']);
  });

  it('reads again every entry tagged with a row that changed, and only those', async () => {
    const { reads, load } = table(rows);
    await cache.read('session', 'a', load('a'), tagsOf);
    await cache.read('session', 'b', load('b'), tagsOf);
    feed.announce('user:a');
    await cache.read('session', 'a', load('a'), tagsOf);
    await cache.read('session', 'b', load('b'), tagsOf);
    expect(reads).toEqual(['a', 'b', 'a']);

    // A tag shared by both entries takes both.
    feed.announce('tenant:t1');
    await cache.read('session', 'a', load('a'), tagsOf);
    await cache.read('session', 'b', load('b'), tagsOf);
    expect(reads).toEqual(['a', 'b', 'a', 'a', 'b']);
  });

  it('does not keep a read that a change overlapped: it may have seen the row before the change', async () => {
    let release!: () => void;
    const slow = async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { id: 'a' };
    };
    const pending = cache.read('session', 'a', slow, tagsOf);
    await Promise.resolve();
    feed.announce('user:someone-else');
    release();
    await pending;
    expect(cache.size).toBe(0);
  });

  it('keeps nothing while the feed is not live, and forgets everything at a reset', async () => {
    const { reads, load } = table(rows);
    feed.isLive = false;
    await cache.read('session', 'a', load('a'), tagsOf);
    await cache.read('session', 'a', load('a'), tagsOf);
    expect(reads).toEqual(['a', 'a']);

    feed.isLive = true;
    await cache.read('session', 'a', load('a'), tagsOf);
    expect(cache.size).toBe(1);
    for (const listener of feed.listeners) listener.reset();
    expect(cache.size).toBe(0);
  });

  it('keeps neither nothing nor what tagsOf refuses', async () => {
    const { reads, load } = table(rows);
    await cache.read('session', 'missing', load('missing'), tagsOf);
    await cache.read('session', 'a', load('a'), () => null);
    expect(cache.size).toBe(0);
    await cache.read('session', 'missing', load('missing'), tagsOf);
    expect(reads).toEqual(['missing', 'a', 'missing']);
  });

  it('trusts an entry for ACCESS_CACHE_TTL_MS at most', async () => {
    // The cache's clock is performance.now(), read through the global object.
    let now = performance.now();
    const clock = jest.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const { reads, load } = table(rows);
      await cache.read('session', 'a', load('a'), tagsOf);
      now += ACCESS_CACHE_TTL_MS - 1000;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await cache.read('session', 'a', load('a'), tagsOf);
      now += 2000;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await cache.read('session', 'a', load('a'), tagsOf);
      expect(reads).toEqual(['a', 'a']);
    } finally {
      clock.mockRestore();
    }
  });

  it('holds ACCESS_CACHE_ENTRIES at most, and an evicted entry leaves no tag behind', async () => {
    const many = new Map(
      Array.from({ length: ACCESS_CACHE_ENTRIES + 10 }, (_, i) => [`k${i}`, { id: `k${i}` }]),
    );
    const { load } = table(many);
    for (const id of many.keys()) await cache.read('resolution', id, load(id), (v) => [`kb:${v.id}`]);
    expect(cache.size).toBe(ACCESS_CACHE_ENTRIES);
    const index = (cache as unknown as { keysByTag: Map<string, Set<string>> }).keysByTag;
    expect(index.size).toBe(ACCESS_CACHE_ENTRIES);
    expect(index.has('kb:k0')).toBe(false);
  });

  it('subscribes on first use and unsubscribes when the module goes', async () => {
    expect(feed.listeners.size).toBe(0);
    await cache.read('session', 'a', table(rows).load('a'), tagsOf);
    expect(feed.listeners.size).toBe(1);
    cache.onModuleDestroy();
    expect(feed.listeners.size).toBe(0);
  });
});
