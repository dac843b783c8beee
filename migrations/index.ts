import { CreateFoundation1763800000000 } from './1763800000000-create-foundation';

/** Every migration, oldest first. Listed explicitly so bundled builds need no file globbing. */
export const MIGRATIONS = [CreateFoundation1763800000000];
