import type { PiscinaTask, TaskQueue } from 'piscina';

type Task = Parameters<TaskQueue['push']>[0];

/**
 * The CPU pool's waiting line with two levels: work that makes documents searchable (parsing,
 * chunking, embedding) goes before work that builds the graph behind them (extraction), so a bulk
 * graph build does not hold back the next document's ingestion. Order within a level is kept.
 * A background task waits at most for the foreground ones queued before a thread frees up; since
 * ingestion awaits the database between its tasks, the graph still gets the threads in between.
 */
export class PriorityTaskQueue implements TaskQueue {
  private readonly foreground: Task[] = [];
  private readonly background: Task[] = [];

  constructor(private readonly isBackground: (taskName: string) => boolean) {}

  get size(): number {
    return this.foreground.length + this.background.length;
  }

  push(task: Task): void {
    this.levelOf(task).push(task);
  }

  unshift(task: Task): void {
    this.levelOf(task).unshift(task);
  }

  shift(): Task | null {
    return this.foreground.shift() ?? this.background.shift() ?? null;
  }

  remove(task: Task): void {
    const level = this.levelOf(task);
    const at = level.indexOf(task);
    if (at >= 0) level.splice(at, 1);
  }

  private levelOf(task: Task): Task[] {
    return this.isBackground((task as PiscinaTask).name) ? this.background : this.foreground;
  }
}
