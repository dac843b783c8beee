import { mixed } from './mode-retrieval';

describe('mixed (the mix mode of naive and graph chunks)', () => {
  const naive = ['namesake-1', 'person', 'namesake-2'];
  const graph = ['person', 'office', 'namesake-1'];

  it("puts naive's chunks first and the graph's after them when the question names no entity", () => {
    expect(mixed(naive, graph, false)).toEqual(['namesake-1', 'person', 'namesake-2', 'office']);
  });

  it('lets the graph lead, naive in turns with it, when its walk started from an entity the question names', () => {
    expect(mixed(naive, graph, true)).toEqual(['person', 'namesake-1', 'office', 'namesake-2']);
  });

  it('keeps the rest of a longer list once the other runs out', () => {
    expect(mixed(['a', 'b'], ['c', 'a', 'd'], false)).toEqual(['a', 'b', 'c', 'd']);
    expect(mixed([], ['b', 'c'], true)).toEqual(['b', 'c']);
  });
});
