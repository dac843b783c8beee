import { compareInByteOrder } from './byte-order';

describe('comparing strings in byte order', () => {
  const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

  it('orders like their UTF-8 bytes, also where UTF-16 order differs', () => {
    const words = [
      'b',
      'a',
      'B',
      'ab',
      'a',
      '',
      'é',
      'z',
      '\uffff',
      '\u{1f600}',
      '\ue000x',
      'Ω',
      '\u{10000}a',
    ];
    const expected = [...words].sort(byBytes);
    expect([...words].sort(compareInByteOrder)).toEqual(expected);
    // The case plain `<` gets wrong: a character past U+FFFF sorts after U+E000-U+FFFF.
    expect('\u{1f600}' < '\uffff').toBe(true);
    expect(compareInByteOrder('\u{1f600}', '\uffff')).toBeGreaterThan(0);
  });

  it('answers 0 for equal strings and puts a prefix first', () => {
    expect(compareInByteOrder('abc', 'abc')).toBe(0);
    expect(compareInByteOrder('ab', 'abc')).toBeLessThan(0);
    expect(compareInByteOrder('abd', 'abc')).toBeGreaterThan(0);
  });
});
