import { decodeCursor, MAX_PAGE_SIZE, type Page } from '@strata/core';

/** Every item of a paginated listing, page by page. */
export async function allPages<T>(
  fetch: (afterId: string | null, limit: number) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let afterId: string | null = null;
  do {
    const page = await fetch(afterId, MAX_PAGE_SIZE);
    items.push(...page.items);
    afterId = page.next_cursor === null ? null : decodeCursor(page.next_cursor);
  } while (afterId !== null);
  return items;
}
