import { CONCEPT_TYPE } from '@strata/graph';
import { testEntity as entity, testRelation as relation } from '../../../../test/support/graph-items';
import {
  addWeights,
  byWeight,
  ChunkWeights,
  globalWalkWeights,
  localWalkWeights,
  namesProperEntity,
  specificNames,
} from './walk-weights';

/** Maria leads Northwind (offices in Oslo); "chief executive" is a role 80 people have. */
const maria = entity('maria', ['people-1'], 2);
const walked = [
  relation('maria', 'northwind', ['people-1']),
  relation('maria', 'chief executive', ['people-1']),
  relation('northwind', 'oslo', ['offices-1']),
  relation('chief executive', 'pavel', ['people-7']),
  relation('chief executive', 'ines', ['people-8']),
];
const degrees: Record<string, number> = { maria: 2, northwind: 2, 'chief executive': 80, marta: 1 };
const degreeOf = (key: string) => degrees[key] ?? 1;

describe('localWalkWeights', () => {
  it("carries more to a company's office than to a hub's other members", () => {
    const weights = localWalkWeights([{ entity: maria, match: 1 }], walked, degreeOf);
    // maria holds 1: half to each relation; northwind passes 1/2 / 2 to Oslo's relation, the
    // hub 1/2 / 80 to each of its members'.
    expect(weights.get('offices-1')).toBeCloseTo(0.25);
    expect(weights.get('people-7')).toBeCloseTo(1 / 160);
    expect(weights.get('people-1')).toBeCloseTo(2);
    expect(byWeight(['people-7', 'offices-1', 'people-1'], weights)).toEqual([
      'people-1',
      'offices-1',
      'people-7',
    ]);
  });

  it("ranks a chunk two steps from a close seed above a loose seed's own chunk", () => {
    const marta = entity('marta', ['people-3'], 1);
    const weights = localWalkWeights(
      [
        { entity: maria, match: 1 },
        { entity: marta, match: 0.1 },
      ],
      [...walked, relation('marta', 'bluefin', ['people-3'])],
      degreeOf,
    );
    expect(weights.get('offices-1')!).toBeGreaterThan(weights.get('people-3')!);
  });

  it('shares the seeds a weight of 1 by their match, whatever its scale', () => {
    const marta = entity('marta', ['people-3'], 1);
    const seeds = (scale: number) => [
      { entity: maria, match: 0.8 * scale },
      { entity: marta, match: 0.2 * scale },
    ];
    const small = localWalkWeights(seeds(1), [], degreeOf);
    const large = localWalkWeights(seeds(50), [], degreeOf);
    expect(small.get('people-1')).toBeCloseTo(0.8);
    expect(large.get('people-3')).toBeCloseTo(0.2);
    expect(localWalkWeights([{ entity: maria, match: 0 }], walked, degreeOf).size).toBe(0);
  });
});

describe('globalWalkWeights', () => {
  it("shares a weight of 1 among the relations by their match, and a part of each to its ends' chunks", () => {
    const ends = new Map([
      ['northwind', entity('northwind', ['about-northwind'], 2)],
      ['oslo', entity('oslo', ['about-oslo'], 10)],
    ]);
    const weights = globalWalkWeights(
      [
        { relation: relation('northwind', 'oslo', ['offices-1']), match: 0.6 },
        { relation: relation('maria', 'northwind', ['people-1']), match: 0.2 },
      ],
      (key) => ends.get(key),
    );
    expect(weights.get('offices-1')).toBeCloseTo(0.75);
    expect(weights.get('people-1')).toBeCloseTo(0.25);
    expect(weights.get('about-oslo')).toBeCloseTo(0.075);
    expect(weights.get('about-northwind')).toBeCloseTo(0.375 + 0.125);
  });
});

describe('specificNames', () => {
  it('keeps the named entities no more connected than the median of those the words resemble', () => {
    const resembling = [entity('a', [], 1), entity('b', [], 2), entity('c', [], 2), entity('d', [], 40)];
    const named = [entity('tomas moreau', [], 2), entity('pressure', [], 300)];
    expect(specificNames(named, resembling)).toEqual(new Set(['tomas moreau']));
    expect(specificNames(named, [])).toEqual(new Set(['tomas moreau', 'pressure']));
    expect(specificNames([], resembling).size).toBe(0);
  });
});

describe('namesProperEntity', () => {
  const person = entity('tomas moreau', [], 2);
  const concept = { ...entity('similarity laws', [], 2), type: CONCEPT_TYPE };

  it('is true when a specific name is a proper name', () => {
    expect(namesProperEntity([concept, person], new Set(['similarity laws', 'tomas moreau']))).toBe(true);
  });

  it('is false when the specific names are concepts, or the proper names are not specific', () => {
    expect(namesProperEntity([concept, person], new Set(['similarity laws']))).toBe(false);
    expect(namesProperEntity([concept], new Set())).toBe(false);
  });
});

describe('chunk weights', () => {
  it('adds up, splits a weight among chunks, and orders ties as given', () => {
    const weights = new ChunkWeights();
    weights.credit(['a', 'b'], 1);
    weights.credit([], 5);
    weights.credit(['b'], -1);
    expect([...weights.map]).toEqual([
      ['a', 0.5],
      ['b', 0.5],
    ]);
    expect(byWeight(['b', 'a', 'c'], weights.map)).toEqual(['b', 'a', 'c']);
    expect(addWeights(weights.map, new Map([['c', 1]]))).toEqual(
      new Map([
        ['a', 0.5],
        ['b', 0.5],
        ['c', 1],
      ]),
    );
  });
});
