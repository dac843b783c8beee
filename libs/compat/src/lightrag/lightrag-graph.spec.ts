import { lightRagGraph } from './lightrag-graph';

describe('lightRagGraph', () => {
  it('knows nodes by entity name and joins edges by name, keeping the rest as properties', () => {
    expect(
      lightRagGraph({
        nodes: [
          { id: 'n1', label: 'Ada Lovelace', type: 'person', description: 'Wrote notes.', degree: 1 },
          { id: 'n2', label: 'Analytical Engine', type: 'machine', description: 'A design.', degree: 1 },
        ],
        edges: [
          { id: 'e1', source: 'n1', target: 'n2', keywords: 'wrote about', description: 'Notes.', weight: 2 },
        ],
        is_truncated: true,
      }),
    ).toEqual({
      nodes: [
        {
          id: 'Ada Lovelace',
          labels: ['Ada Lovelace'],
          properties: {
            entity_id: 'Ada Lovelace',
            entity_type: 'person',
            description: 'Wrote notes.',
            degree: 1,
          },
        },
        {
          id: 'Analytical Engine',
          labels: ['Analytical Engine'],
          properties: {
            entity_id: 'Analytical Engine',
            entity_type: 'machine',
            description: 'A design.',
            degree: 1,
          },
        },
      ],
      edges: [
        {
          id: 'e1',
          type: 'DIRECTED',
          source: 'Ada Lovelace',
          target: 'Analytical Engine',
          properties: { keywords: 'wrote about', description: 'Notes.', weight: 2 },
        },
      ],
      is_truncated: true,
    });
  });
});
