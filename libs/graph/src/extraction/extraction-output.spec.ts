import { completeExtraction, parseExtractionOutput } from './extraction-output';

describe('parseExtractionOutput', () => {
  it('reads the line format, and stops at the completion mark', () => {
    const parsed = parseExtractionOutput(
      [
        'entity<|#|>Maria Lopez<|#|>person<|#|>Chief executive of Northwind Traders.',
        'entity<|#|>Northwind Traders<|#|>organization<|#|>A trading company based in Oslo.',
        'relation<|#|>Maria Lopez<|#|>Northwind Traders<|#|>leadership, employment<|#|>Maria Lopez leads Northwind Traders.',
        '<|COMPLETE|>',
        'entity<|#|>After<|#|>other<|#|>Ignored.',
      ].join('\n'),
    );
    expect(parsed).toEqual({
      entities: [
        { name: 'Maria Lopez', type: 'person', description: 'Chief executive of Northwind Traders.' },
        { name: 'Northwind Traders', type: 'organization', description: 'A trading company based in Oslo.' },
      ],
      relations: [
        {
          source: 'Maria Lopez',
          target: 'Northwind Traders',
          keywords: 'leadership, employment',
          description: 'Maria Lopez leads Northwind Traders.',
          weight: 1,
        },
      ],
      skipped: 0,
    });
  });

  it('reads the older tuple format with its record delimiter and strengths', () => {
    const parsed = parseExtractionOutput(
      '("entity"<|>"OSLO"<|>"GEO"<|>"Capital of Norway.")##\n' +
        '("entity"<|>"Northwind Traders"<|>"ORGANIZATION"<|>"Company.")##\n' +
        '("relationship"<|>"Northwind Traders"<|>"OSLO"<|>"Headquartered in Oslo."<|>"headquarters, location"<|>8)##\n' +
        '("content_keywords"<|>"trade, Norway")<|COMPLETE|>',
    );
    expect(parsed.entities.map((e) => [e.name, e.type])).toEqual([
      ['OSLO', 'geo'],
      ['Northwind Traders', 'organization'],
    ]);
    expect(parsed.relations).toEqual([
      {
        source: 'Northwind Traders',
        target: 'OSLO',
        keywords: 'headquarters, location',
        description: 'Headquartered in Oslo.',
        weight: 8,
      },
    ]);
    expect(parsed.skipped).toBe(0);
  });

  it('skips what it cannot read and keeps the rest', () => {
    const parsed = parseExtractionOutput(
      [
        'Here are the entities I found:',
        '```',
        '1. entity<|#|>"Daniel Lopez"<|#|>Person<|#|>Founder of Bluefin Analytics.',
        '- entity<|#|>   <|#|>person<|#|>No name.',
        'entity<|#|>Bluefin Analytics',
        'relation<|#|>Daniel Lopez<|#|>Bluefin Analytics<|#|>founded',
        'relation<|#|>Daniel Lopez<|#|>daniel lopez<|#|>self<|#|>Loops are not relations.',
        'relation<|#|>Daniel Lopez<|#|>Lisbon<|#|>residence<|#|>Daniel Lopez lives in Lisbon.',
        '```',
      ].join('\n'),
    );
    expect(parsed.entities).toEqual([
      { name: 'Daniel Lopez', type: 'person', description: 'Founder of Bluefin Analytics.' },
      // A relation end that was not listed becomes an entity of its own.
      { name: 'Lisbon', type: 'other', description: '' },
    ]);
    expect(parsed.relations.map((r) => `${r.source} -> ${r.target}`)).toEqual(['Daniel Lopez -> Lisbon']);
    expect(parsed.skipped).toBe(5);
  });
});

describe('completeExtraction', () => {
  it('merges repeated entities and relations within a chunk', () => {
    const merged = completeExtraction({
      entities: [
        { name: 'Oslo', type: 'location', description: 'A city.' },
        { name: 'OSLO', type: 'geo', description: 'Capital of Norway.' },
      ],
      relations: [
        {
          source: 'Acme',
          target: 'Oslo',
          keywords: 'office',
          description: 'Acme has an office in Oslo.',
          weight: 1,
        },
        {
          source: 'oslo',
          target: 'acme',
          keywords: 'office, hiring',
          description: 'Acme hires in Oslo.',
          weight: 2,
        },
      ],
    });
    expect(merged.entities).toEqual([
      { name: 'Oslo', type: 'location', description: 'A city. Capital of Norway.' },
      { name: 'Acme', type: 'other', description: '' },
    ]);
    expect(merged.relations).toEqual([
      {
        source: 'Acme',
        target: 'Oslo',
        keywords: 'office, hiring',
        description: 'Acme has an office in Oslo. Acme hires in Oslo.',
        weight: 3,
      },
    ]);
  });
});
