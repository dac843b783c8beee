import { move } from 'piscina';
import { embedLexical as embed } from './cpu-tasks';

/**
 * The entry of the CPU pool's worker threads (built to cpu-worker.js beside each app's main.js):
 * piscina calls the exported function a task names.
 */
export { extractEntities, prepareDocument } from './cpu-tasks';

/** Vectors go back to the calling thread moved, not copied. */
export const embedLexical = async (texts: string[]) => move(await embed(texts)) as Float32Array;
