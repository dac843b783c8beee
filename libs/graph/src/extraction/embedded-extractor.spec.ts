import { EmbeddedExtractor, MAX_ENTITIES_PER_CHUNK, MAX_RELATIONS_PER_CHUNK } from './embedded-extractor';
import { entityKey } from './entity-name';

const TEXT = [
  '# People',
  '',
  'Maria Lopez is the chief executive of Northwind Traders. Northwind Traders is headquartered in Oslo.',
  'Her brother, Daniel Lopez, founded Bluefin Analytics in Lisbon in 2019.',
  'Bluefin Analytics supplies data to Northwind Traders. Quarterly revenue grew by nine percent, driven by the northern sales region.',
].join('\n');

describe('EmbeddedExtractor', () => {
  const extractor = new EmbeddedExtractor();

  it('finds the named people, companies and places, typed', async () => {
    const { entities } = await extractor.extract(TEXT);
    const byName = new Map(entities.map((e) => [e.name, e]));
    expect(byName.get('Maria Lopez')?.type).toBe('person');
    expect(byName.get('Daniel Lopez')?.type).toBe('person');
    expect(byName.get('Northwind Traders')?.type).toBe('organization');
    expect(byName.get('Bluefin Analytics')?.type).toBe('organization');
    expect(byName.get('Oslo')?.type).toBe('location');
    expect(byName.get('Lisbon')?.type).toBe('location');
    expect(byName.get('Northwind Traders')?.description).toContain('headquartered in Oslo');
    expect(entities.find((e) => e.name === 'People')).toBeUndefined();
    // Noun phrases of two words or more are concepts.
    expect(byName.get('quarterly revenue')?.type).toBe('concept');
    expect(byName.get('northern sales region')?.type).toBe('concept');
    expect(new Set(entities.map((e) => entityKey(e.name))).size).toBe(entities.length);
  });

  it('ends a name or a phrase at punctuation', async () => {
    const { entities } = await extractor.extract(
      'The board met Maria Lopez, Daniel Lopez and Anna Berg in Oslo, Norway. Wind tunnel tests, pressure gauges and heat shields were shown.',
    );
    const names = entities.map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining(['Maria Lopez', 'Daniel Lopez', 'Anna Berg', 'Oslo', 'Norway']),
    );
    expect(names).toEqual(expect.arrayContaining(['wind tunnel', 'pressure gauges', 'heat shields']));
    expect(names.filter((name) => name.includes(','))).toEqual([]);
    expect(names).not.toContain('Maria Lopez Daniel Lopez');
    expect(names).not.toContain('Oslo Norway');
  });

  it('counts the sentences two entities share as the weight of their relation', async () => {
    const { relations } = await extractor.extract(
      'Acme Corp hired Jane Smith. Jane Smith left Acme Corp in May. Jane Smith lives in Paris.',
    );
    const acmeJane = relations.find((r) => [r.source, r.target].sort().join('|') === 'Acme Corp|Jane Smith');
    expect(acmeJane?.weight).toBe(2);
  });

  it('gives nothing for text without names or noun phrases', async () => {
    expect(await extractor.extract('It is fine. We go.')).toEqual({ entities: [], relations: [] });
  });

  it('relates entities that share a sentence, with the words between them as keywords', async () => {
    const { relations } = await extractor.extract(TEXT);
    const find = (a: string, b: string) =>
      relations.find(
        (r) =>
          (entityKey(r.source) === entityKey(a) && entityKey(r.target) === entityKey(b)) ||
          (entityKey(r.source) === entityKey(b) && entityKey(r.target) === entityKey(a)),
      );
    expect(find('Maria Lopez', 'Northwind Traders')).toMatchObject({
      keywords: 'chief executive',
      weight: 1,
    });
    expect(find('Northwind Traders', 'Oslo')).toMatchObject({ keywords: 'headquartered' });
    expect(find('Daniel Lopez', 'Bluefin Analytics')?.keywords).toBe('founded');
    expect(find('Maria Lopez', 'Oslo')).toBeUndefined();
    // Another entity between the two is not a keyword; with nothing between, the sentence's verbs are.
    expect(find('Daniel Lopez', 'Lisbon')?.keywords).toBe('founded');
    expect(find('Bluefin Analytics', 'Lisbon')?.keywords).toBe('founded');
    const names = new Set((await extractor.extract(TEXT)).entities.map((e) => e.name));
    for (const r of relations) expect([names.has(r.source), names.has(r.target)]).toEqual([true, true]);
  });

  it('keeps a chunk to its budget: named entities first, then the most used concepts, relations among them', async () => {
    const concepts = Array.from(
      { length: 40 },
      (_, i) =>
        `The ${['green', 'silver', 'quiet', 'rapid', 'bright'][i % 5]} ${['harbour', 'engine', 'ledger', 'forest', 'bridge', 'market', 'signal', 'garden'][Math.floor(i / 5)]} was noted.`,
    );
    const text = [
      ...concepts,
      'The quiet ledger matters. The quiet ledger grew. Maria Lopez met Daniel Lopez in Oslo with the quiet ledger.',
    ].join(' ');
    const { entities, relations } = await extractor.extract(text);
    expect(entities).toHaveLength(MAX_ENTITIES_PER_CHUNK);
    const names = entities.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['Maria Lopez', 'Daniel Lopez', 'Oslo', 'quiet ledger']));
    expect(relations.length).toBeLessThanOrEqual(MAX_RELATIONS_PER_CHUNK);
    for (const r of relations)
      expect([names.includes(r.source), names.includes(r.target)]).toEqual([true, true]);
    expect(relations.map((r) => [r.source, r.target].sort().join('|'))).toContain('Daniel Lopez|Maria Lopez');
  });
});
