import { answerPrompt, bypassPrompt, promptText, recentHistory } from './answer-prompt';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('answer prompts', () => {
  const history = [
    { role: 'user' as const, content: 'Who runs the northern region?' },
    { role: 'assistant' as const, content: 'Maria Lopez runs it [1].' },
  ];

  it('puts the rules and the answer shape first, the conversation next, then context and question', () => {
    const messages = answerPrompt({
      question: 'How did her region do?',
      context: '[1] Finance\nRevenue grew.',
      history,
      responseType: 'Bullet Points',
    });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[0].content).toMatch(/cite[\s\S]*Shape the answer as: Bullet Points\.$/i);
    expect(messages[3].content).toBe(
      'Context:\n[1] Finance\nRevenue grew.\n\nQuestion: How did her region do?',
    );
    expect(promptText(messages)).toMatch(/^SYSTEM:\n[\s\S]*\n\nUSER:\nWho runs[\s\S]*ASSISTANT:\nMaria/);
  });

  it('sends bypass questions with the conversation, and a shape only when one was asked for', () => {
    expect(bypassPrompt({ question: 'Hi', history: [], responseType: null })).toEqual([
      { role: 'user', content: 'Hi' },
    ]);
    expect(
      bypassPrompt({ question: 'Hi', history, responseType: 'Single Sentence' }).map((m) => m.role),
    ).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it("adds the caller's instructions after the rules, in both prompts", () => {
    const answer = answerPrompt({
      question: 'How did her region do?',
      context: '[1] Finance',
      history: [],
      responseType: 'Bullet Points',
      instructions: 'Answer in French.',
    });
    expect(answer[0].content).toMatch(
      /cite[\s\S]*Bullet Points\.\nAdditional instructions: Answer in French\.$/i,
    );
    expect(
      bypassPrompt({ question: 'Hi', history: [], responseType: null, instructions: 'Be brief.' }),
    ).toEqual([
      { role: 'system', content: 'Additional instructions: Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('keeps the most recent turns that fit the budget, dropping whole turns oldest first', () => {
    expect(recentHistory(history, 100, words)).toEqual(history);
    expect(recentHistory(history, 6, words)).toEqual([history[1]]);
    expect(recentHistory(history, 2, words)).toEqual([]);
    expect(recentHistory(history, 0, words)).toEqual([]);
  });
});
