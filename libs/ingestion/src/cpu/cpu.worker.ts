/**
 * The entry of the CPU pool's worker threads (built to cpu-worker.js beside each app's main.js):
 * piscina calls the exported function a task names.
 */
export { extractEntities, prepareDocument } from './cpu-tasks';
