import type { ChatModel, Embedder } from '@strata/providers';
import { meteredChatModel, meteredEmbedder } from './token-meter';

const llm = (fail?: Error): ChatModel => ({
  model: 'chat',
  complete: async () => ({ text: 'ok', tokensIn: 12, tokensOut: 3 }),
  stream: async (_messages, onDelta) => {
    onDelta('Hello ');
    onDelta('there');
    if (fail) throw fail;
    return { text: 'Hello there', tokensIn: 20, tokensOut: 2 };
  },
});

describe('meteredChatModel', () => {
  it('counts each completion, whole or streamed, before handing it back', async () => {
    const counted: Array<{ tokensIn: number; tokensOut: number }> = [];
    const model = meteredChatModel(llm(), async (tokens) => void counted.push(tokens));
    await model.complete([{ role: 'user', content: 'hi' }]);
    const deltas: string[] = [];
    await model.stream([{ role: 'user', content: 'hi' }], (text) => deltas.push(text));
    expect(deltas).toEqual(['Hello ', 'there']);
    expect(counted).toEqual([
      expect.objectContaining({ tokensIn: 12, tokensOut: 3 }),
      expect.objectContaining({ tokensIn: 20, tokensOut: 2 }),
    ]);
  });

  it('estimates what a stream cut short cost: the prompt sent and the text received', async () => {
    const counted: Array<{ tokensIn: number; tokensOut: number }> = [];
    const model = meteredChatModel(
      llm(new Error('connection reset')),
      async (tokens) => void counted.push(tokens),
    );
    const prompt = 'x'.repeat(400);
    await expect(model.stream([{ role: 'user', content: prompt }], () => undefined)).rejects.toThrow(
      'connection reset',
    );
    // About four characters a token: 400 sent, 11 received.
    expect(counted).toEqual([{ tokensIn: 100, tokensOut: 3 }]);
  });

  it('counts nothing for a call that failed before any text came', async () => {
    const counted: unknown[] = [];
    const failing: ChatModel = { ...llm(), complete: async () => Promise.reject(new Error('503')) };
    await expect(meteredChatModel(failing, async (t) => void counted.push(t)).complete([])).rejects.toThrow();
    expect(counted).toEqual([]);
  });
});

describe('meteredEmbedder', () => {
  it('adds up what the provider said each call took, and passes the vectors through', async () => {
    const inner: Embedder = {
      model: 'embed',
      dimension: 2,
      embed: async (texts, _signal, onTokens) => {
        onTokens?.(7);
        onTokens?.(5);
        return texts.map(() => [0, 1]);
      },
    };
    const counted: number[] = [];
    const seen: number[] = [];
    const embedder = meteredEmbedder(inner, async (tokens) => void counted.push(tokens));
    expect(embedder.model).toBe('embed');
    expect(await embedder.embed(['a', 'b'], undefined, (n) => seen.push(n))).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(counted).toEqual([12]);
    expect(seen).toEqual([7, 5]);
  });
});
