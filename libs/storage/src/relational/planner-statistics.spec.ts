import { grownTables, unanalysedTables } from './planner-statistics';

describe('grownTables', () => {
  const size = (table: string, pages: number, analysedPages: number) => ({ table, pages, analysedPages });

  it('takes tables that hold rows and were never analysed (or analysed empty)', () => {
    expect(grownTables([size('new', 1, 0), size('empty', 0, 0)]).map((t) => t.table)).toEqual(['new']);
  });

  it('takes a table once it has doubled since its statistics, not before', () => {
    const tables = [size('doubled', 200, 100), size('grown', 199, 100), size('same', 100, 100)];
    expect(grownTables(tables).map((t) => t.table)).toEqual(['doubled']);
  });

  it('leaves a table that shrank (its statistics saw more than it holds)', () => {
    expect(grownTables([size('shrunk', 10, 100)])).toEqual([]);
  });
});

describe('unanalysedTables', () => {
  const size = (table: string, pages: number, analysedPages: number) => ({ table, pages, analysedPages });

  it('takes tables that hold rows and have no statistics, and nothing autovacuum already looks after', () => {
    const tables = [size('new', 1, 0), size('empty', 0, 0), size('doubled', 200, 100), size('same', 5, 5)];
    expect(unanalysedTables(tables).map((t) => t.table)).toEqual(['new']);
  });
});
