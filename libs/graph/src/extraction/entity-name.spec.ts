import { cleanEntityName, entityKey } from './entity-name';

describe('entity names', () => {
  it('cleans what extractors and models wrap names in', () => {
    expect(cleanEntityName('  "Northwind   Traders".')).toBe('Northwind Traders');
    expect(cleanEntityName('(Oslo),')).toBe('Oslo');
    expect(cleanEntityName("Maria Lopez's")).toBe('Maria Lopez');
    expect(cleanEntityName('**Bluefin Analytics**')).toBe('Bluefin Analytics');
    expect(cleanEntityName('Ｏｓｌｏ')).toBe('Oslo');
    expect(cleanEntityName(' "" ')).toBe('');
  });

  it('keys names case-insensitively, so spellings of one name merge', () => {
    expect(entityKey('NORTHWIND traders')).toBe(entityKey('"Northwind Traders"'));
    expect(entityKey('São Paulo')).toBe('são paulo');
  });
});
