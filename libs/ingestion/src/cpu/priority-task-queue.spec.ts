import type { PiscinaTask } from 'piscina';
import { PriorityTaskQueue } from './priority-task-queue';

const task = (name: string, id: number) => ({ name, taskId: id }) as unknown as PiscinaTask;

describe('PriorityTaskQueue', () => {
  const queue = () => new PriorityTaskQueue((name) => name === 'extractEntities');

  it('hands out foreground tasks before background ones, each level in arrival order', () => {
    const q = queue();
    const order = [task('extractEntities', 1), task('prepareDocument', 2), task('extractEntities', 3)];
    order.push(task('embedLexical', 4));
    order.forEach((t) => q.push(t));
    expect(q.size).toBe(4);
    const out: number[] = [];
    for (let t = q.shift(); t !== null; t = q.shift()) out.push((t as PiscinaTask).taskId);
    expect(out).toEqual([2, 4, 1, 3]);
    expect(q.size).toBe(0);
  });

  it("removes an aborted task from its level only, and puts a returned task at its level's front", () => {
    const q = queue();
    const [a, b, c] = [task('extractEntities', 1), task('extractEntities', 2), task('prepareDocument', 3)];
    [a, b, c].forEach((t) => q.push(t));
    q.remove(a);
    q.remove(task('prepareDocument', 9)); // not queued: nothing happens
    const d = task('extractEntities', 4);
    q.unshift(d);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([c, d, b, null]);
  });
});
