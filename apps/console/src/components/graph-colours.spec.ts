import type { GraphNode } from '../api/types';
import { colourOf, OTHER_COLOUR, typeColours } from './graph-colours';

const node = (type: string, i: number): GraphNode => ({
  id: `${type}${i}`,
  label: `${type}${i}`,
  type,
  description: '',
  degree: 1,
});

describe('typeColours', () => {
  it('gives the most frequent types their own colours first, and the rest grey as other', () => {
    const types = ['person', 'person', 'place', 'org', 'org', 'org', ...'abcdefgh'.split('')];
    const legend = typeColours(types.map(node));
    expect(legend.slice(0, 3).map((e) => [e.type, e.count])).toEqual([
      ['org', 3],
      ['person', 2],
      ['a', 1],
    ]);
    expect(new Set(legend.slice(0, 8).map((e) => e.colour)).size).toBe(8);
    expect(legend.at(-1)).toEqual({ type: 'other', count: 3, colour: OTHER_COLOUR });
    expect(colourOf(legend, 'h')).toBe(OTHER_COLOUR);
    expect(colourOf(legend, 'org')).toBe(legend[0].colour);
  });

  it('names an empty type unknown', () => {
    expect(typeColours([node('', 1)]).map((e) => e.type)).toEqual(['unknown']);
  });
});
