/**
 * Compares strings the way PostgreSQL's "C" collation does (UTF-8 bytes, i.e. code points).
 * JavaScript's `<` compares UTF-16 units, which puts a character past U+FFFF (a surrogate pair,
 * 0xD800-0xDFFF) before U+E000-U+FFFF; the units are shifted at the first difference to fix that.
 */
export function compareInByteOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

const codePointRank = (unit: number) =>
  unit < 0xd800 ? unit : unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
