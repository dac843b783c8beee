import { testEntity as entity, testRelation as relation } from '../../../../test/support/graph-items';
import { chunksBySeed } from './graph-retriever';

describe('chunksBySeed', () => {
  it("puts what the walk reached from the first seed before the next seed's own chunks", () => {
    const seeds = [entity('maria', ['people-1']), entity('mario', ['people-2'])];
    const relations = [
      relation('mario', 'bluefin', ['people-2']),
      relation('maria', 'northwind', ['people-1']),
      relation('northwind', 'oslo', ['offices-1']),
      relation('bluefin', 'lisbon', ['offices-2']),
    ];
    expect(chunksBySeed(seeds, relations)).toEqual(['people-1', 'offices-1', 'people-2', 'offices-2']);
  });

  it('keeps the chunks of relations no seed reaches, after the rest', () => {
    const seeds = [entity('maria', ['people-1'])];
    const relations = [relation('elsewhere', 'far', ['other']), relation('maria', 'northwind', ['people-1'])];
    expect(chunksBySeed(seeds, relations)).toEqual(['people-1', 'other']);
  });
});
