import { table } from './output';

describe('table', () => {
  it('aligns columns to their widest cell and trims line ends', () => {
    expect(
      table(
        ['ID', 'SLUG'],
        [
          ['1', 'acme-corp'],
          ['22', 'x'],
        ],
      ),
    ).toBe('ID  SLUG\n1   acme-corp\n22  x');
  });

  it('says (none) for no rows', () => {
    expect(table(['ID'], [])).toBe('(none)');
  });
});
