import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import type { EntityDetail, GraphEdge, Subgraph } from '../api/types';
import { ErrorText } from '../components/error-text';
import { useAction } from '../components/use-action';
import { GraphCanvas } from '../components/graph-canvas';
import { typeColours } from '../components/graph-colours';
import { useFrame } from '../components/layout';

type Selection = { kind: 'entity'; entity: EntityDetail } | { kind: 'relation'; edge: GraphEdge } | null;

/** Explore a KB's knowledge graph around an entity; editors correct entities and relations. */
export function GraphPage() {
  const { tenantId, kbId } = useParams() as { tenantId: string; kbId: string };
  const base = `/tenants/${tenantId}/knowledge-bases/${kbId}/graph`;
  const { can } = useFrame();
  const [search, setSearch] = useState('');
  const [label, setLabel] = useState('');
  const [depth, setDepth] = useState(2);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [graph, setGraph] = useState<Subgraph | null>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { error: openError, run } = useAction();
  const [version, setVersion] = useState(0);
  const legend = useMemo(() => typeColours(graph?.nodes ?? []), [graph]);

  useEffect(() => {
    const params = new URLSearchParams({
      max_depth: String(depth),
      // A phone's canvas shows fewer nodes legibly.
      max_nodes: window.innerWidth < 600 ? '60' : '150',
      ...(label ? { label } : {}),
    });
    api
      .get<Subgraph>(`${base}?${params}`)
      .then((g) => {
        setGraph(g);
        setLoadError(null);
      })
      .catch((e) => setLoadError(describeError(e)));
  }, [base, label, depth, version]);

  useEffect(() => {
    const timer = setTimeout(() => {
      api
        .get<{ labels: Array<{ name: string }> }>(
          `${base}/labels?limit=10${search ? `&q=${encodeURIComponent(search)}` : ''}`,
        )
        .then((r) => setSuggestions(r.labels.map((l) => l.name)))
        .catch(() => setSuggestions([]));
    }, 200);
    return () => clearTimeout(timer);
  }, [base, search]);

  const openEntity = (name: string) =>
    run(async () =>
      setSelection({
        kind: 'entity',
        entity: await api.get<EntityDetail>(`${base}/entities/${encodeURIComponent(name)}`),
      }),
    );
  const changed = async (entity?: string) => {
    setVersion((v) => v + 1);
    if (entity) await openEntity(entity);
    else setSelection(null);
  };

  const find = (event: FormEvent) => {
    event.preventDefault();
    setLabel(search.trim());
  };

  return (
    <section>
      <h1>Knowledge graph</h1>
      <form className="inline-form" onSubmit={find} aria-label="Explore the graph">
        <label htmlFor="graph-search">Entity</label>
        <input
          id="graph-search"
          list="graph-labels"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="best connected"
        />
        <datalist id="graph-labels">
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <label htmlFor="graph-depth">Depth</label>
        <select id="graph-depth" value={depth} onChange={(e) => setDepth(Number(e.target.value))}>
          {[1, 2, 3].map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </form>
      {can.editGraph && <NewEntityForm base={base} onCreated={(name) => changed(name)} />}
      <ErrorText error={loadError ?? openError} />
      {graph && (
        <p className="graph-summary">
          {graph.nodes.length} entities, {graph.edges.length} relations
          {graph.is_truncated ? ' (more within reach)' : ''}
        </p>
      )}
      <div className="graph-layout">
        {graph && graph.nodes.length > 0 && (
          <div className="graph-drawing">
            <GraphCanvas
              graph={graph}
              legend={legend}
              selected={
                selection?.kind === 'entity'
                  ? selection.entity.id
                  : selection?.kind === 'relation'
                    ? selection.edge.id
                    : null
              }
              onNode={(node) => void openEntity(node.label)}
              onEdge={(edge) => setSelection({ kind: 'relation', edge })}
            />
            <ul className="legend" aria-label="Entity types">
              {legend.map((entry) => (
                <li key={entry.type}>
                  <svg width="12" height="12" aria-hidden="true">
                    <circle cx="6" cy="6" r="6" fill={entry.colour} />
                  </svg>
                  {entry.type} ({entry.count})
                </li>
              ))}
            </ul>
          </div>
        )}
        {graph && graph.nodes.length === 0 && (
          <p>No entities yet: the graph grows as documents are processed.</p>
        )}
        <aside className="graph-details">
          {selection && (
            <button type="button" className="link" onClick={() => setSelection(null)}>
              ← All entities
            </button>
          )}
          {selection?.kind === 'entity' && (
            <EntityPanel
              key={selection.entity.id}
              base={base}
              entity={selection.entity}
              canEdit={can.editGraph}
              onChanged={changed}
              onOpen={openEntity}
            />
          )}
          {selection?.kind === 'relation' && (
            <RelationPanel
              base={base}
              edge={selection.edge}
              graph={graph}
              canEdit={can.editGraph}
              onChanged={() => changed()}
            />
          )}
          {!selection && graph && graph.nodes.length > 0 && (
            <>
              <h2>Entities</h2>
              <ul className="entity-list">
                {graph.nodes.map((n) => (
                  <li key={n.id}>
                    <button type="button" className="link" onClick={() => void openEntity(n.label)}>
                      {n.label}
                    </button>{' '}
                    <span className="tag">{n.type}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </aside>
      </div>
    </section>
  );
}

function EntityPanel({
  base,
  entity,
  canEdit,
  onChanged,
  onOpen,
}: {
  base: string;
  entity: EntityDetail;
  canEdit: boolean;
  onChanged: (entity?: string) => Promise<void>;
  onOpen: (name: string) => Promise<unknown>;
}) {
  const [name, setName] = useState(entity.label);
  const [type, setType] = useState(entity.type);
  const [description, setDescription] = useState(entity.description);
  const [mergeInto, setMergeInto] = useState('');
  const [relateTo, setRelateTo] = useState('');
  const [relationKeywords, setRelationKeywords] = useState('');
  const { error, run } = useAction();
  useEffect(() => {
    setName(entity.label);
    setType(entity.type);
    setDescription(entity.description);
    setMergeInto('');
    setRelateTo('');
    setRelationKeywords('');
  }, [entity]);
  const path = `${base}/entities/${encodeURIComponent(entity.label)}`;
  const change = (call: () => Promise<unknown>, after?: string) =>
    run(async () => {
      await call();
      await onChanged(after);
    });
  return (
    <div>
      <h2>{entity.label}</h2>
      <p>
        <span className="tag">{entity.type}</span> · {entity.degree} relation{entity.degree === 1 ? '' : 's'}
      </p>
      <p>{entity.description}</p>
      {entity.documents.length > 0 && (
        <>
          <h3>Found in</h3>
          <ul>
            {entity.documents.map((d) => (
              <li key={d.id}>{d.title}</li>
            ))}
          </ul>
        </>
      )}
      <h3>Relations</h3>
      <ul className="relations">
        {entity.relations.map((r) => (
          <li key={r.id}>
            <button type="button" className="link" onClick={() => void onOpen(r.entity)}>
              {r.entity}
            </button>{' '}
            <span className="tag">{r.keywords}</span>
            {canEdit && (
              <button
                type="button"
                className="link danger"
                aria-label={`Delete the relation with ${r.entity}`}
                onClick={() => {
                  if (
                    window.confirm(
                      `Delete the relation with ${r.entity}? Documents that mention it will not bring it back.`,
                    )
                  )
                    void change(() => api.delete(`${base}/relations/${r.id}`), entity.label);
                }}
              >
                Delete
              </button>
            )}
            <p>{r.description}</p>
          </li>
        ))}
      </ul>
      {canEdit && (
        <>
          <form
            className="stack-form"
            aria-label="Edit entity"
            onSubmit={(e) => {
              e.preventDefault();
              // Only what changed; an emptied description goes back to what the documents say.
              const renamed = name.trim() !== entity.label;
              const fields = {
                ...(renamed && { name: name.trim() }),
                ...(type !== entity.type && { type }),
                ...(description !== entity.description && { description: description || null }),
              };
              if (Object.keys(fields).length > 0)
                void change(() => api.patch(path, fields), renamed ? name.trim() : entity.label);
            }}
          >
            <label htmlFor="entity-name">Name</label>
            <input
              id="entity-name"
              required
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <label htmlFor="entity-type">Type</label>
            <input
              id="entity-type"
              required
              maxLength={50}
              value={type}
              onChange={(e) => setType(e.target.value)}
            />
            <label htmlFor="entity-description">Description</label>
            <textarea
              id="entity-description"
              rows={4}
              maxLength={8000}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
            <button type="submit">Save entity</button>
          </form>
          <form
            className="stack-form"
            aria-label="Merge entity"
            onSubmit={(e) => {
              e.preventDefault();
              void change(
                () => api.post(`${base}/entities/merge`, { source: entity.label, target: mergeInto }),
                mergeInto,
              );
            }}
          >
            <label htmlFor="merge-into">Merge into (the entity that stays)</label>
            <input
              id="merge-into"
              required
              maxLength={200}
              value={mergeInto}
              onChange={(e) => setMergeInto(e.target.value)}
            />
            <button type="submit">Merge</button>
          </form>
          <form
            className="stack-form"
            aria-label="Relate entity"
            onSubmit={(e) => {
              e.preventDefault();
              void change(
                () =>
                  api.post(`${base}/relations`, {
                    source: entity.label,
                    target: relateTo,
                    ...(relationKeywords && { keywords: relationKeywords }),
                  }),
                entity.label,
              );
            }}
          >
            <label htmlFor="relate-to">Relate to (another entity)</label>
            <input
              id="relate-to"
              required
              maxLength={200}
              value={relateTo}
              onChange={(e) => setRelateTo(e.target.value)}
            />
            <label htmlFor="relate-keywords">Keywords of the relation</label>
            <input
              id="relate-keywords"
              maxLength={500}
              value={relationKeywords}
              onChange={(e) => setRelationKeywords(e.target.value)}
            />
            <button type="submit">Add relation</button>
          </form>
          <button
            type="button"
            className="danger-button"
            onClick={() => {
              if (
                window.confirm(
                  `Delete ${entity.label} and its relations? Documents that mention it will not bring it back.`,
                )
              )
                void change(() => api.delete(path));
            }}
          >
            Delete entity
          </button>
        </>
      )}
      <ErrorText error={error} />
    </div>
  );
}

function RelationPanel({
  base,
  edge,
  graph,
  canEdit,
  onChanged,
}: {
  base: string;
  edge: GraphEdge;
  graph: Subgraph | null;
  canEdit: boolean;
  onChanged: () => Promise<void>;
}) {
  const name = (id: string) => graph?.nodes.find((n) => n.id === id)?.label ?? id;
  const [keywords, setKeywords] = useState(edge.keywords);
  const [description, setDescription] = useState(edge.description);
  const { error, run } = useAction();
  useEffect(() => {
    setKeywords(edge.keywords);
    setDescription(edge.description);
  }, [edge]);
  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.patch(`${base}/relations/${edge.id}`, { keywords, description });
      await onChanged();
    });
  };
  return (
    <div>
      <h2>
        {name(edge.source)} — {name(edge.target)}
      </h2>
      <p>
        <span className="tag">{edge.keywords}</span> · weight {edge.weight}
      </p>
      <p>{edge.description}</p>
      {canEdit && (
        <form className="stack-form" aria-label="Edit relation" onSubmit={save}>
          <label htmlFor="relation-keywords">Keywords</label>
          <input
            id="relation-keywords"
            required
            maxLength={500}
            value={keywords}
            onChange={(e) => setKeywords(e.target.value)}
          />
          <label htmlFor="relation-description">Description</label>
          <textarea
            id="relation-description"
            required
            rows={4}
            maxLength={8000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          <button type="submit">Save relation</button>
          <button
            type="button"
            className="danger-button"
            onClick={() => {
              if (window.confirm('Delete this relation? Documents that mention it will not bring it back.'))
                void run(async () => {
                  await api.delete(`${base}/relations/${edge.id}`);
                  await onChanged();
                });
            }}
          >
            Delete relation
          </button>
        </form>
      )}
      <ErrorText error={error} />
    </div>
  );
}

/** An editor's new entity: kept whatever the documents say, until deleted. */
function NewEntityForm({ base, onCreated }: { base: string; onCreated: (name: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [type, setType] = useState('');
  const [description, setDescription] = useState('');
  const [open, setOpen] = useState(false);
  const { error, run } = useAction();
  const create = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const created = await api.post<{ label: string }>(`${base}/entities`, {
        name,
        ...(type && { type }),
        ...(description && { description }),
      });
      setName('');
      setType('');
      setDescription('');
      setOpen(false);
      await onCreated(created.label);
    });
  };
  return (
    <details className="new-entity" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>New entity</summary>
      <form className="stack-form" aria-label="New entity" onSubmit={create}>
        <label htmlFor="new-entity-name">New entity's name</label>
        <input
          id="new-entity-name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor="new-entity-type">New entity's type</label>
        <input
          id="new-entity-type"
          maxLength={50}
          placeholder="unknown"
          value={type}
          onChange={(e) => setType(e.target.value)}
        />
        <label htmlFor="new-entity-description">New entity's description</label>
        <textarea
          id="new-entity-description"
          rows={3}
          maxLength={8000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <button type="submit">Create entity</button>
      </form>
      <ErrorText error={error} />
    </details>
  );
}
