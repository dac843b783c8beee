import type { GraphRelation, RankedEntity } from '@strata/storage';
import { graphSection } from './graph-context';

const entity = (name: string, description = `${name} is here.`): RankedEntity => ({
  id: name,
  key: name.toLowerCase(),
  name,
  type: 'person',
  description,
  sourceChunkIds: [],
  degree: 1,
});
const relation = (a: string, b: string): GraphRelation => ({
  id: `${a}-${b}`,
  sourceKey: a.toLowerCase(),
  targetKey: b.toLowerCase(),
  keywords: 'knows',
  description: `${a} knows\n${b}.`,
  weight: 1,
  sourceChunkIds: [],
});
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('graphSection', () => {
  it('lists entities and relations, naming relation ends as the entities are named', () => {
    const names = new Map([
      ['ann', 'Ann'],
      ['bob', 'Bob'],
    ]);
    const section = graphSection(
      [entity('Ann'), entity('Bob')],
      [relation('Ann', 'Bob')],
      names,
      1000,
      words,
    );
    expect(section.text).toBe(
      'Entities:\n- Ann (person): Ann is here.\n- Bob (person): Bob is here.\n\nRelations:\n- Ann — Bob [knows]: Ann knows Bob.',
    );
    expect(section.tokens).toBe(words(section.text) - 2);
  });

  it('cuts each list to a quarter of the budget, keeping the most relevant', () => {
    const many = ['A', 'B', 'C', 'D', 'E'].map((n) => entity(n, 'one two three four five six'));
    const section = graphSection(many, [], new Map(), 40, words);
    expect(section.entities.map((e) => e.name)).toEqual(['A']);
    expect(graphSection([], [], new Map(), 40, words)).toEqual({
      entities: [],
      relations: [],
      text: '',
      tokens: 0,
    });
  });

  it('takes no more than half of the room the chunks leave for each list', () => {
    const many = ['A', 'B', 'C', 'D', 'E'].map((n) => entity(n, 'one two three four five six'));
    expect(graphSection(many, [], new Map(), 400, words, 40).entities.map((e) => e.name)).toEqual(['A', 'B']);
    expect(graphSection(many, [], new Map(), 400, words, 0).entities).toEqual([]);
  });

  it("keeps each list within the query's own cap, under the budget's share", () => {
    const many = ['A', 'B', 'C', 'D', 'E'].map((n) => entity(n, 'one two three four five six'));
    const links = [relation('A', 'B'), relation('B', 'C'), relation('C', 'D')];
    const capped = graphSection(many, links, new Map(), 400, words, 400, { entities: 20, relations: 0 });
    expect(capped.entities.map((e) => e.name)).toEqual(['A', 'B']);
    expect(capped.relations).toEqual([]);
    // A cap above the share changes nothing.
    expect(graphSection(many, [], new Map(), 40, words, 40, { entities: 1000 }).entities).toHaveLength(1);
  });
});
