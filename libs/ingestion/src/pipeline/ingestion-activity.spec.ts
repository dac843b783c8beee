import { IngestionActivity } from './ingestion-activity';

describe('IngestionActivity', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const settled = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    return done;
  };

  it('is idle at once when no document is being ingested', async () => {
    expect(await settled(new IngestionActivity().idle(1000))).toBe(true);
  });

  it('waits for every ingestion in progress to settle, failed ones too', async () => {
    const activity = new IngestionActivity();
    let finishFirst!: () => void;
    let failSecond!: (error: Error) => void;
    const first = activity.during(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    const second = activity.during(() => new Promise<void>((_, reject) => (failSecond = reject)));
    const idle = activity.idle(60_000);
    finishFirst();
    await first;
    expect(await settled(idle)).toBe(false);
    failSecond(new Error('parse failed'));
    await expect(second).rejects.toThrow('parse failed');
    expect(await settled(idle)).toBe(true);
  });

  it('stops waiting after the limit while ingestion goes on', async () => {
    const activity = new IngestionActivity();
    void activity.during(() => new Promise<void>(() => undefined));
    const idle = activity.idle(1000);
    jest.advanceTimersByTime(999);
    expect(await settled(idle)).toBe(false);
    jest.advanceTimersByTime(1);
    expect(await settled(idle)).toBe(true);
  });
});
