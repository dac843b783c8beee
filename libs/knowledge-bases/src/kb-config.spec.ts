import { DEFAULT_KB_CONFIG, kbConfigProblems, mergeKbConfig } from './kb-config';

describe('KB config', () => {
  it('completes a missing config with defaults', () => {
    expect(mergeKbConfig(null)).toEqual(DEFAULT_KB_CONFIG);
  });

  it('merges a patch field by field within each section', () => {
    const base = mergeKbConfig(null, { chunking: { chunk_size: 800 } });
    const merged = mergeKbConfig(base, {
      chunking: { chunk_overlap: 50 },
      query: { top_k: 5, default_mode: undefined },
    });
    expect(merged.chunking).toEqual({ chunk_size: 800, chunk_overlap: 50 });
    expect(merged.query).toEqual({ ...DEFAULT_KB_CONFIG.query, top_k: 5 });
    expect(merged.extraction).toEqual({ enabled: true, method: 'auto' });
    // null is a value: it clears the KB's LLM model back to the tenant's.
    const withModel = mergeKbConfig(merged, { llm: { model: 'kb-model' } });
    expect(withModel.llm).toEqual({ model: 'kb-model' });
    expect(mergeKbConfig(withModel, { llm: { model: null } }).llm).toEqual({ model: null });
  });

  it('finds an overlap that does not fit in its chunk', () => {
    expect(
      kbConfigProblems(mergeKbConfig(null, { chunking: { chunk_size: 100, chunk_overlap: 100 } })),
    ).toEqual(['config.chunking.chunk_overlap must be smaller than chunk_size']);
    expect(kbConfigProblems(DEFAULT_KB_CONFIG)).toEqual([]);
  });
});
