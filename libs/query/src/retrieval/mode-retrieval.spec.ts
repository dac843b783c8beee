import { mixed } from './mode-retrieval';

describe('mixed (the mix mode of naive and graph chunks)', () => {
  const naive = ['namesake-1', 'person', 'namesake-2'];
  const graph = ['person', 'office', 'namesake-1'];

  it('takes the lists in turns with naive first, each chunk once', () => {
    expect(mixed(naive, graph, false)).toEqual(['namesake-1', 'person', 'office', 'namesake-2']);
  });

  it('lets the graph lead when its walk started from an entity the question names', () => {
    expect(mixed(naive, graph, true)).toEqual(['person', 'namesake-1', 'office', 'namesake-2']);
  });

  it('keeps the rest of a longer list once the other runs out', () => {
    expect(mixed(['a'], ['b', 'c', 'd'], false)).toEqual(['a', 'b', 'c', 'd']);
    expect(mixed([], ['b', 'c'], true)).toEqual(['b', 'c']);
  });
});
