import { cpuSecondsOf } from './server';

describe('cpuSecondsOf', () => {
  it("reads a process's CPU time, the main thread's within it, and sees work done", () => {
    const before = cpuSecondsOf(process.pid);
    const until = Date.now() + 300;
    let spin = 0;
    while (Date.now() < until) spin++;
    const after = cpuSecondsOf(process.pid);
    expect(spin).toBeGreaterThan(0);
    expect(after.main).toBeLessThanOrEqual(after.total);
    // 0.3 s of spinning on this (main) thread, counted in 1/100 s ticks.
    expect(after.main - before.main).toBeGreaterThanOrEqual(0.2);
    expect(after.total - before.total).toBeGreaterThanOrEqual(0.2);
  });
});
