import { v7 as uuidv7 } from 'uuid';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** New primary keys are UUIDv7: time-ordered, so keyset pagination by id follows creation order. */
export const newId = (): string => uuidv7();

export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

/** A path reference to a tenant or KB: its uuid or its slug. */
export type IdOrSlug = { id: string } | { slug: string };

/** Parses a path reference; null when it is neither a uuid nor a valid slug. */
export function parseIdOrSlug(value: string): IdOrSlug | null {
  if (isUuid(value)) return { id: value.toLowerCase() };
  if (SLUG_PATTERN.test(value)) return { slug: value };
  return null;
}

/** Derives a slug from a display name ("Legal Docs 2024" -> "legal-docs-2024"). */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return slug.length >= 2 ? slug : `kb-${slug || 'x'}`.slice(0, 63);
}
