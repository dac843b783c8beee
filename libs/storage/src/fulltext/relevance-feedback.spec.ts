import { expandQuestion, RM3 } from './relevance-feedback';

const weightsOf = (terms: Array<{ term: string; weight: number }>) =>
  Object.fromEntries(terms.map((t) => [t.term, t.weight]));

describe('expandQuestion (RM3)', () => {
  const question = [
    { term: 'nozzl', weight: 1 },
    { term: 'flow', weight: 1 },
  ];

  it('keeps the question as it is without feedback', () => {
    expect(expandQuestion(question, [])).toEqual(question);
    expect(expandQuestion(question, [{ score: 0, terms: ['shock'], tfs: [2] }])).toEqual(question);
  });

  it("votes by each term's share of its chunk, weighted by the chunk's share of the scores", () => {
    const expanded = expandQuestion(
      question,
      [
        // Weight 3/4: nozzl 1/4 of the chunk, shock 3/4.
        { score: 3, terms: ['nozzl', 'shock'], tfs: [1, 3] },
        // Weight 1/4: shock and wall half each.
        { score: 1, terms: ['shock', 'wall'], tfs: [1, 1] },
      ],
      { terms: 2, questionWeight: 0.5 },
    );
    // Votes: shock 0.5625 + 0.125, nozzl 0.1875, wall 0.125 (left out: two terms kept).
    const shock = 0.6875 / 0.875;
    const nozzl = 0.1875 / 0.875;
    expect(weightsOf(expanded)).toEqual({
      nozzl: expect.closeTo(0.25 + 0.5 * nozzl, 9),
      flow: expect.closeTo(0.25, 9),
      shock: expect.closeTo(0.5 * shock, 9),
    });
  });

  it("gives the question its share whatever its words' counts", () => {
    const repeated = [
      { term: 'flutter', weight: 3 },
      { term: 'panel', weight: 1 },
    ];
    const expanded = weightsOf(
      expandQuestion(repeated, [{ score: 2, terms: ['wing'], tfs: [4] }], { terms: 10, questionWeight: 0.7 }),
    );
    expect(expanded.flutter).toBeCloseTo(0.7 * 0.75, 9);
    expect(expanded.panel).toBeCloseTo(0.7 * 0.25, 9);
    expect(expanded.wing).toBeCloseTo(0.3, 9);
  });

  it('keeps the best-voted terms, equal votes in code-point order', () => {
    const terms = Array.from({ length: 15 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const expanded = expandQuestion(question, [{ score: 1, terms, tfs: terms.map(() => 1) }]);
    const added = expanded.map((t) => t.term).filter((t) => t.startsWith('t'));
    expect(added).toEqual(terms.slice(0, RM3.terms));
    expect(expanded.reduce((sum, t) => sum + t.weight, 0)).toBeCloseTo(1, 9);
  });
});
