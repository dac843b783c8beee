import { DomainError } from '@strata/core';
import { chatQuestion, splitModePrefix } from './chat-question';

describe('splitModePrefix', () => {
  it('takes a leading /mode, in any case, and leaves the rest', () => {
    expect(splitModePrefix('/local who runs the ferry?')).toEqual({
      mode: 'local',
      text: 'who runs the ferry?',
    });
    expect(splitModePrefix('  /MIX\nwhat changed')).toEqual({ mode: 'mix', text: 'what changed' });
    expect(splitModePrefix('/bypass')).toEqual({ mode: 'bypass', text: '' });
  });

  it('leaves text without a known mode as it is', () => {
    for (const text of [
      'who runs the ferry?',
      '/localize the strings',
      '/unknown mode',
      'ask /local later',
    ]) {
      expect(splitModePrefix(text)).toEqual({ mode: null, text });
    }
  });
});

describe('chatQuestion', () => {
  it('asks the last user message, with the earlier turns as history and no system prompt', () => {
    expect(
      chatQuestion([
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: '/global what are the themes?' },
        { role: 'assistant', content: 'Ferries and tides.' },
        { role: 'user', content: '/local and who runs the ferry?' },
      ]),
    ).toEqual({
      query: 'and who runs the ferry?',
      mode: 'local',
      history: [
        { role: 'user', content: 'what are the themes?' },
        { role: 'assistant', content: 'Ferries and tides.' },
      ],
    });
  });

  it("uses the KB's default mode without a prefix", () => {
    expect(chatQuestion([{ role: 'user', content: 'When do ferries leave?' }])).toEqual({
      query: 'When do ferries leave?',
      mode: null,
      history: [],
    });
  });

  it.each([
    ['no messages', []],
    ['a last message that is not the user’s', [{ role: 'assistant', content: 'Hello' }]],
    ['an empty question', [{ role: 'user', content: '   ' }]],
    ['a mode and nothing to ask', [{ role: 'user', content: '/naive ' }]],
  ])('refuses %s with VALIDATION_FAILED', (_name, messages) => {
    let thrown: unknown;
    try {
      chatQuestion(messages);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe('VALIDATION_FAILED');
    expect((thrown as DomainError).status).toBe(400);
  });
});
