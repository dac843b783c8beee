import { mergeDescriptions } from './graph-merger.service';
import { rememberedSummaries, SummaryMemo } from './summary-memo';

describe('SummaryMemo', () => {
  const input = (over: Partial<Parameters<SummaryMemo['summarise']>[0]> = {}) => ({
    kbId: 'kb-1',
    model: 'model-a',
    subject: 'Oslo',
    descriptions: ['A city.', 'A port.'],
    ...over,
  });

  it('asks once for the same KB, model, subject and descriptions, and again when any differs', async () => {
    const memo = new SummaryMemo();
    let calls = 0;
    const ask = () => Promise.resolve(`summary ${++calls}`);
    expect(await memo.summarise(input(), ask)).toBe('summary 1');
    expect(await memo.summarise(input(), ask)).toBe('summary 1');
    expect(await memo.summarise(input({ kbId: 'kb-2' }), ask)).toBe('summary 2');
    expect(await memo.summarise(input({ model: 'model-b' }), ask)).toBe('summary 3');
    expect(await memo.summarise(input({ subject: 'Bergen' }), ask)).toBe('summary 4');
    expect(await memo.summarise(input({ descriptions: ['A city.', 'A port.', 'New.'] }), ask)).toBe(
      'summary 5',
    );
    // Joined differently, the same text is another input.
    expect(await memo.summarise(input({ descriptions: ['A city.\u0000A port.'] }), ask)).toBe('summary 6');
    expect(calls).toBe(6);
  });

  it('forgets the least recently used past its capacity', async () => {
    const memo = new SummaryMemo(2);
    let calls = 0;
    const ask = () => Promise.resolve(`summary ${++calls}`);
    await memo.summarise(input({ subject: 'a' }), ask);
    await memo.summarise(input({ subject: 'b' }), ask);
    await memo.summarise(input({ subject: 'a' }), ask); // a used again: b is now the oldest
    await memo.summarise(input({ subject: 'c' }), ask);
    expect(await memo.summarise(input({ subject: 'a' }), ask)).toBe('summary 1');
    expect(await memo.summarise(input({ subject: 'b' }), ask)).toBe('summary 4');
  });

  it('remembers nothing when the LLM fails', async () => {
    const memo = new SummaryMemo();
    await expect(memo.summarise(input(), () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await memo.summarise(input(), () => Promise.resolve('later'))).toBe('later');
  });
});

describe('rememberedSummaries', () => {
  it("makes a merge of the same long descriptions ask the KB's LLM once", async () => {
    const long = Array.from({ length: 80 }, (_, i) => `Fact number ${i} about the subject.`);
    let calls = 0;
    const tools = {
      summariser: 'model-a',
      summarise: () => Promise.resolve(`Summary ${++calls}.`),
    };
    const memo = new SummaryMemo();
    const first = await mergeDescriptions('Oslo', long, rememberedSummaries(memo, 'kb-1', tools));
    const again = await mergeDescriptions('Oslo', long, rememberedSummaries(memo, 'kb-1', tools));
    expect([first, again, calls]).toEqual(['Summary 1.', 'Summary 1.', 1]);
    // Another KB asks its own.
    expect(await mergeDescriptions('Oslo', long, rememberedSummaries(memo, 'kb-2', tools))).toBe(
      'Summary 2.',
    );
    // Short descriptions are joined, never summarised; without an LLM there is nothing to remember.
    expect(await mergeDescriptions('Oslo', ['A city.'], rememberedSummaries(memo, 'kb-1', tools))).toBe(
      'A city.',
    );
    expect(rememberedSummaries(memo, 'kb-1', {})).toBeNull();
    expect(calls).toBe(2);
  });
});
