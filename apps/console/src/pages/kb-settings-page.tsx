import { type FormEvent, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import {
  type KnowledgeBaseConfig,
  type KnowledgeBaseDetail,
  QUERY_MODES,
  type QueryMode,
} from '../api/types';
import { ErrorText } from '../components/error-text';
import { NumberField } from '../components/number-field';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

/** Tenant admins: a KB's name and settings (chunking, models, graph extraction, query defaults). */
export function KbSettingsPage() {
  const { tenantId, kbId } = useParams() as { tenantId: string; kbId: string };
  const path = `/tenants/${tenantId}/knowledge-bases/${kbId}`;
  const kb = useLoad(() => api.get<KnowledgeBaseDetail>(path), [path]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [config, setConfig] = useState<KnowledgeBaseConfig | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { error, run } = useAction();

  useEffect(() => {
    if (!kb.value) return;
    setName(kb.value.name);
    setDescription(kb.value.description ?? '');
    setConfig(kb.value.config);
  }, [kb.value]);

  if (!config) return <ErrorText error={kb.error} />;
  const set = <K extends keyof KnowledgeBaseConfig>(section: K, change: Partial<KnowledgeBaseConfig[K]>) =>
    setConfig({ ...config, [section]: { ...config[section], ...change } });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const modelChanged = (config.embedding.model ?? '') !== (kb.value!.config.embedding.model ?? '');
    if (
      modelChanged &&
      !window.confirm('A new embedding model re-embeds every document of this KB. Continue?')
    )
      return;
    const saved = await run(async () => {
      await api.patch(path, {
        name,
        description: description || null,
        config: {
          chunking: config.chunking,
          extraction: config.extraction,
          llm: { model: config.llm.model || null },
          query: config.query,
          ...(modelChanged ? { embedding: { model: config.embedding.model || null } } : {}),
        },
      });
      await kb.reload();
    });
    setMessage(saved ? 'Saved.' : null);
  };

  return (
    <section>
      <h1>Settings of {kb.value?.name}</h1>
      <form className="settings" onSubmit={(e) => void save(e)} aria-label="Knowledge base settings">
        <fieldset>
          <legend>General</legend>
          <label htmlFor="kb-settings-name">Name</label>
          <input
            id="kb-settings-name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <label htmlFor="kb-settings-description">Description</label>
          <textarea
            id="kb-settings-description"
            maxLength={2000}
            rows={2}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </fieldset>
        <fieldset>
          <legend>Chunking (applies to documents added or reindexed from now on)</legend>
          <NumberField
            id="chunk-size"
            label="Tokens per chunk"
            min={64}
            max={8192}
            value={config.chunking.chunk_size}
            onChange={(n) => set('chunking', { chunk_size: n })}
          />
          <NumberField
            id="chunk-overlap"
            label="Overlap (tokens)"
            min={0}
            value={config.chunking.chunk_overlap}
            onChange={(n) => set('chunking', { chunk_overlap: n })}
          />
        </fieldset>
        <fieldset>
          <legend>Models (empty: the tenant's defaults)</legend>
          <label htmlFor="embedding-model">Embedding model</label>
          <input
            id="embedding-model"
            value={config.embedding.model ?? ''}
            onChange={(e) => set('embedding', { model: e.target.value })}
          />
          <label htmlFor="llm-model">LLM model</label>
          <input
            id="llm-model"
            value={config.llm.model ?? ''}
            onChange={(e) => set('llm', { model: e.target.value })}
          />
        </fieldset>
        <fieldset>
          <legend>Knowledge graph</legend>
          <label>
            <input
              type="checkbox"
              checked={config.extraction.enabled}
              onChange={(e) => set('extraction', { enabled: e.target.checked })}
            />{' '}
            Build the graph during ingestion
          </label>
          <label htmlFor="extraction-method">Extraction</label>
          <select
            id="extraction-method"
            value={config.extraction.method}
            onChange={(e) =>
              set('extraction', { method: e.target.value as KnowledgeBaseConfig['extraction']['method'] })
            }
          >
            <option value="auto">auto (LLM when configured)</option>
            <option value="embedded">embedded NLP</option>
            <option value="llm">LLM</option>
          </select>
        </fieldset>
        <fieldset>
          <legend>Query defaults</legend>
          <label htmlFor="default-mode">Mode</label>
          <select
            id="default-mode"
            value={config.query.default_mode}
            onChange={(e) => set('query', { default_mode: e.target.value as QueryMode })}
          >
            {QUERY_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <NumberField
            id="top-k"
            label="Entities and relations (top_k)"
            min={1}
            max={500}
            value={config.query.top_k}
            onChange={(n) => set('query', { top_k: n })}
          />
          <NumberField
            id="chunk-top-k"
            label="Chunks (chunk_top_k)"
            min={1}
            max={500}
            value={config.query.chunk_top_k}
            onChange={(n) => set('query', { chunk_top_k: n })}
          />
          <label>
            <input
              type="checkbox"
              checked={config.query.rerank}
              onChange={(e) => set('query', { rerank: e.target.checked })}
            />{' '}
            Rerank with the tenant's rerank provider
          </label>
        </fieldset>
        <button type="submit">Save settings</button>
        {message && <p role="status">{message}</p>}
        <ErrorText error={error} />
      </form>
    </section>
  );
}
