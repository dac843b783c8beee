import { Logger } from '@nestjs/common';
import { onShutdownStepAbandoned, pendingShutdownSteps, shutdownStep } from './shutdown-step';

describe('shutdownStep', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('runs the work and is no longer pending once it is done', async () => {
    let release!: () => void;
    const work = new Promise<void>((resolve) => (release = resolve));
    const step = shutdownStep('the test store', 60_000, () => work);
    expect(pendingShutdownSteps()).toEqual(['the test store']);
    release();
    await step;
    expect(pendingShutdownSteps()).toEqual([]);
  });

  it('goes on past a step that fails', async () => {
    await expect(
      shutdownStep('a failing store', 60_000, () => Promise.reject(new Error('boom'))),
    ).resolves.toBe(undefined);
    expect(pendingShutdownSteps()).toEqual([]);
  });

  it('gives up on a step that does not finish in time: forces it and names it', async () => {
    const abandoned: string[] = [];
    const stopListening = onShutdownStepAbandoned((what) => abandoned.push(what));
    const forced = jest.fn(async () => undefined);
    try {
      await shutdownStep('a stuck thread', 20, () => new Promise(() => undefined), forced);
    } finally {
      stopListening();
    }
    expect(abandoned).toEqual(['a stuck thread']);
    expect(forced).toHaveBeenCalledTimes(1);
    expect(pendingShutdownSteps()).toEqual([]);
  });

  it('does not force a step that finished in time', async () => {
    const forced = jest.fn(async () => undefined);
    await shutdownStep('a quick store', 60_000, async () => undefined, forced);
    expect(forced).not.toHaveBeenCalled();
  });
});
