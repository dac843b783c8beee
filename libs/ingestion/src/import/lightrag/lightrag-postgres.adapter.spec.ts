import { entityDescription, parseVector, relationText } from './lightrag-postgres.adapter';

describe("LightRAG's PostgreSQL texts", () => {
  it("reads pgvector's text form, and nothing else", () => {
    expect(parseVector('[0.5,-1,2e-3]')).toEqual([0.5, -1, 0.002]);
    expect(parseVector('[]')).toBeNull();
    expect(parseVector('0.5,1')).toBeNull();
    expect(parseVector('[0.5,abc]')).toBeNull();
  });

  it("takes an entity's description from after its name, merged parts on their own lines", () => {
    expect(entityDescription('Orla Vance', 'Orla Vance\nFounder of Kestrel Labs.<SEP>Former designer.')).toBe(
      'Founder of Kestrel Labs.\nFormer designer.',
    );
    expect(entityDescription('Orla Vance', 'A text of another form.')).toBe('A text of another form.');
  });

  it("splits a relation's text into keywords and description", () => {
    expect(
      relationText('founded, leads\tOrla Vance\nKestrel Labs\nOrla Vance founded Kestrel Labs.'),
    ).toEqual({
      keywords: 'founded, leads',
      description: 'Orla Vance founded Kestrel Labs.',
    });
    expect(relationText('Just a description.')).toEqual({ keywords: '', description: 'Just a description.' });
  });
});
