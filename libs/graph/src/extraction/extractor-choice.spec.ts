import { mergeKbConfig } from '@strata/knowledge-bases';
import type { ChatModel } from '@strata/providers';
import { chooseExtractor, ExtractionUnavailable } from './extractor-choice';

const llm: ChatModel = {
  model: 'm',
  complete: async () => ({ text: '', tokensIn: 0, tokensOut: 0 }),
  stream: async () => ({ text: '', tokensIn: 0, tokensOut: 0 }),
};
const kb = (extraction: { enabled?: boolean; method?: 'auto' | 'embedded' | 'llm' }) =>
  mergeKbConfig(null, { extraction });

describe('chooseExtractor', () => {
  it("follows the KB's method: auto takes the LLM when there is one", () => {
    expect(chooseExtractor(kb({}), null)?.name).toBe('embedded-nlp');
    expect(chooseExtractor(kb({}), llm)?.name).toBe('llm:m');
    expect(chooseExtractor(kb({ method: 'embedded' }), llm)?.name).toBe('embedded-nlp');
    expect(chooseExtractor(kb({ method: 'llm' }), llm)?.name).toBe('llm:m');
    expect(chooseExtractor(kb({ enabled: false }), llm)).toBeNull();
  });

  it('refuses LLM extraction without an LLM, saying how to fix it', () => {
    expect(() => chooseExtractor(kb({ method: 'llm' }), null)).toThrow(ExtractionUnavailable);
    expect(() => chooseExtractor(kb({ method: 'llm' }), null)).toThrow(/llm.base_url/);
  });
});
