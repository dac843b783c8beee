import { Injectable, Logger } from '@nestjs/common';
import { graphMergedItems, graphMergeStep, mapInTurns, nameBasedIds, sha256Hex } from '@strata/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  isConcurrencyConflict,
  type GraphEntity,
  type GraphRelation,
  GraphStore,
  type VectorRecord,
  type VectorSpace,
  VectorStore,
} from '@strata/storage';
import type { ChatModel, Embedder, EmbeddingVector } from '@strata/providers';
import type { KbScope } from '@strata/tenancy';
import { entityKey } from '../extraction/entity-name';
import { pairKey } from './merge-mentions';
import {
  type CreatedEntity,
  type CreatedRelation,
  type EntityEdit,
  GraphEdits,
  type RelationEdit,
} from './graph-edits.repository';
import { rememberedSummaries, type Summariser, SummaryMemo } from './summary-memo';
import {
  type AddedMentions,
  type DocumentExtraction,
  type DocumentOwnership,
  GraphMentions,
  type MentionChange,
  type MergedEntity,
  type MergedRelation,
} from './graph-mentions.repository';

/** Fixed namespace of entity and relation ids: an id follows from its KB and key. */
const GRAPH_ID_NAMESPACE = '0f4b8f3e-2d2a-4b8e-8a57-6f1d5c3e9b21';
/** Past this, merged descriptions are summarised (with an LLM) or cut at a sentence. */
export const MAX_DESCRIPTION_CHARS = 2000;
/** Merges that keep finding a concurrent change give up after this many passes; the next change repairs. */
const MAX_PASSES = 5;

/** Relations of entities that go read at most, to remove their vectors with them. */
const MAX_STRANDED_RELATIONS = 10_000;

const graphItemId = nameBasedIds(GRAPH_ID_NAMESPACE);

export const entityId = (kbId: string, key: string) => graphItemId(`${kbId}:entity:${key}`);
export const relationId = (kbId: string, sourceKey: string, targetKey: string) =>
  graphItemId(`${kbId}:relation:${sourceKey}\u0000${targetKey}`);

/** More work for the transaction of a change (its audit event). */
export type InTransaction = (manager: EntityManager) => Promise<unknown>;

/** How merged entities and relations get their vectors and, past a length, summaries. */
export interface GraphMergeTools {
  space: VectorSpace;
  embed(texts: string[]): Promise<EmbeddingVector[]>;
  /** Summarises an entity's or relation's descriptions into one text; absent without an LLM. */
  summarise?(subject: string, descriptions: string[]): Promise<string>;
  /** What summarises (the LLM's model), with `summarise`. */
  summariser?: string;
}

/**
 * Keeps a KB's graph (graph store and entity/relation vectors) equal to the merge of its
 * mentions. A change to the mentions commits first; the merged form of every entity and relation
 * it touched is then recomputed from all their mentions and written. A merge that raced another
 * change to the same KB (its graph version moved) runs again, so the last writer always wrote
 * the latest state; a crash in between is repaired by the document's next run.
 */
@Injectable()
export class GraphMerger {
  private readonly logger = new Logger('GraphMerger');
  private readonly summaries = new SummaryMemo();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly graph: GraphStore,
    private readonly vectors: VectorStore,
  ) {}

  /**
   * Replaces each document's contribution with what its chunks yielded, in one change (a few
   * short transactions, see GraphMentions.replaceDocuments) and one merge, for the documents
   * `owned` answers (it locks them in each transaction, so a delete or re-ingestion waits for the
   * mentions in flight and then removes them). Answers the documents whose contribution was
   * replaced, each with its entity and relation counts.
   */
  async replaceDocuments(
    scope: KbScope,
    documents: readonly DocumentExtraction[],
    owned: DocumentOwnership,
    tools: GraphMergeTools,
  ): Promise<Map<string, { entities: number; relations: number }>> {
    const replaced = await graphMergeStep('mentions', () =>
      GraphMentions.replaceDocuments((work) => this.dataSource.transaction(work), scope, documents, owned),
    );
    if (replaced === null) return new Map();
    await this.apply(scope, replaced.change, tools);
    return new Map(
      replaced.kept.map((d) => [
        d.documentId,
        {
          entities: new Set(d.chunks.flatMap((c) => c.extraction.entities.map((e) => entityKey(e.name))))
            .size,
          relations: d.chunks.reduce((sum, c) => sum + c.extraction.relations.length, 0),
        },
      ]),
    );
  }

  /**
   * Takes documents' contributions out; entities and relations left without mentions go, with
   * their edits. What they touched is merged again once, however many documents go together.
   */
  async removeDocuments(
    scope: KbScope,
    documentIds: readonly string[],
    tools: GraphMergeTools | null,
  ): Promise<void> {
    if (documentIds.length === 0) return;
    const change = await this.dataSource.transaction(async (manager) => {
      const removed = await GraphMentions.removeDocuments(manager, scope, documentIds);
      await GraphEdits.forgetUnmentioned(manager, scope, removed);
      return removed;
    });
    await this.apply(scope, change, tools);
  }

  /**
   * Merges these entities and relations again from their mentions and edits, as after a change:
   * one nothing supports any more leaves the graph store and its vector goes (storage check).
   */
  async refresh(scope: KbScope, keys: Pick<MentionChange, 'entityKeys' | 'relationPairs'>): Promise<void> {
    await this.apply(scope, { entityKeys: keys.entityKeys, relationPairs: keys.relationPairs }, null);
  }

  /** Applies an editor's change to an entity, then brings the graph up to date. */
  async editEntity(
    scope: KbScope,
    key: string,
    edit: EntityEdit,
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    // A name edit only changes how the name is written (its key stays), so relations stay.
    await this.editThenApply(
      scope,
      (manager) => GraphEdits.editEntity(manager, scope, key, edit),
      { entityKeys: [key], relationPairs: [] },
      tools,
      alongside,
    );
  }

  /** Applies an editor's change to a relation, then brings the graph up to date. */
  async editRelation(
    scope: KbScope,
    pair: [string, string],
    edit: RelationEdit,
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    await this.editThenApply(
      scope,
      (manager) => GraphEdits.editRelation(manager, scope, pair, edit),
      { entityKeys: [], relationPairs: [pair] },
      tools,
      alongside,
    );
  }

  /** Creates an entity an editor made (see GraphEdits.createEntity), then brings the graph up to date. */
  async createEntity(
    scope: KbScope,
    key: string,
    fields: CreatedEntity,
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    await this.changeThenApply(
      scope,
      (manager) => GraphEdits.createEntity(manager, scope, key, fields),
      tools,
      alongside,
    );
  }

  /** Deletes an entity for good (see GraphEdits.deleteEntity); its relations go with it. */
  async deleteEntity(
    scope: KbScope,
    key: string,
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    await this.editThenApply(
      scope,
      (manager) => GraphEdits.deleteEntity(manager, scope, key),
      { entityKeys: [key], relationPairs: [] },
      tools,
      alongside,
    );
  }

  /** Creates a relation an editor made between two entities of the graph. */
  async createRelation(
    scope: KbScope,
    pair: [string, string],
    fields: CreatedRelation,
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    await this.editThenApply(
      scope,
      (manager) => GraphEdits.createRelation(manager, scope, pair, fields),
      { entityKeys: [], relationPairs: [pair] },
      tools,
      alongside,
    );
  }

  /** Deletes a relation for good (see GraphEdits.deleteRelation). */
  async deleteRelation(
    scope: KbScope,
    pair: [string, string],
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    await this.editThenApply(
      scope,
      (manager) => GraphEdits.deleteRelation(manager, scope, pair),
      { entityKeys: [], relationPairs: [pair] },
      tools,
      alongside,
    );
  }

  /** Commits an edit (with `alongside` in its transaction), then merges what it touched. */
  private async editThenApply(
    scope: KbScope,
    edit: InTransaction,
    touched: MentionChange,
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    await this.changeThenApply(
      scope,
      async (manager) => {
        await edit(manager);
        return touched;
      },
      tools,
      alongside,
    );
  }

  /** Commits a change (with `alongside` in its transaction), then merges what it answers it touched. */
  private async changeThenApply(
    scope: KbScope,
    change: (manager: EntityManager) => Promise<MentionChange>,
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    const touched = await this.dataSource.transaction(async (manager) => {
      const changed = await change(manager);
      await alongside?.(manager);
      return changed;
    });
    await this.apply(scope, touched, tools);
  }

  /** Merges entity `from` into `into` for good (later mentions of `from` go to `into`). */
  async mergeEntities(
    scope: KbScope,
    from: string,
    into: string,
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    await this.changeThenApply(
      scope,
      (manager) => GraphEdits.mergeEntities(manager, scope, from, into),
      tools,
      alongside,
    );
  }

  /** Renames entity `from` to `name` (key `into`) for good (later mentions of the old name go to it). */
  async renameEntity(
    scope: KbScope,
    from: string,
    into: string,
    name: string,
    tools: GraphMergeTools | null,
    alongside?: InTransaction,
  ): Promise<void> {
    await this.changeThenApply(
      scope,
      (manager) => GraphEdits.renameEntity(manager, scope, from, into, name),
      tools,
      alongside,
    );
  }

  private async apply(scope: KbScope, change: MentionChange, tools: GraphMergeTools | null): Promise<void> {
    if (change.entityKeys.length === 0 && change.relationPairs.length === 0) return;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      try {
        // Only the first pass may take merged forms from the added mentions: a pass that follows a
        // concurrent change cannot know they are still current.
        if (await this.applyOnce(scope, change, tools, pass === 1 ? change.added : undefined)) return;
      } catch (error) {
        // PostgreSQL broke a deadlock with a concurrent merge into the same KB. Each pass
        // recomputes everything from the mentions, so another pass is safe.
        if (!isConcurrencyConflict(error) || pass === MAX_PASSES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * pass));
      }
    }
    this.logger.warn(`graph of KB ${scope.kbId} kept changing during a merge; the next change completes it`);
  }

  /** One merge pass; answers whether the KB's graph stayed at the version the pass started from. */
  private async applyOnce(
    scope: KbScope,
    change: MentionChange,
    tools: GraphMergeTools | null,
    added?: AddedMentions,
  ): Promise<boolean> {
    const { version, first, merged, mergedRelations } = await graphMergeStep('read', () =>
      this.readMerged(scope, change, added),
    );
    // Summaries are asked of the KB's LLM once per input (see SummaryMemo).
    const summariser = rememberedSummaries(this.summaries, scope.kbId, tools);
    // In turns: this runs on the thread that serves HTTP, for a thousand items or more a batch.
    const entities = await mapInTurns(merged, (e) => this.toEntity(scope, e, summariser));
    const names = new Map(entities.map((e) => [e.key, e.name]));
    const relations = await mapInTurns(mergedRelations, (r) => this.toRelation(scope, r, names, summariser));

    const presentKeys = new Set(entities.map((e) => e.key));
    const goneKeys = change.entityKeys.filter((key) => !presentKeys.has(key));
    const presentPairs = new Set(relations.map((r) => pairKey(r.sourceKey, r.targetKey)));
    const gonePairs = change.relationPairs.filter(([a, b]) => !presentPairs.has(pairKey(a, b)));
    // The graph store removes every relation of an entity that goes; their vectors go too, also
    // those the change did not name (an editor's relation of a deleted entity).
    if (goneKeys.length > 0) {
      const named = new Set(gonePairs.map(([a, b]) => pairKey(a, b)));
      for (const r of await this.graph.relationsOf(scope, goneKeys, MAX_STRANDED_RELATIONS))
        if (!named.has(pairKey(r.sourceKey, r.targetKey))) gonePairs.push([r.sourceKey, r.targetKey]);
    }

    // What the vectors need (a lookup, then embedding on the CPU pool) does not depend on the graph
    // writes: it runs meanwhile, and is written after them.
    // The merged forms begin with those of the first mentions (see readMerged).
    const firstIds = new Set([
      ...entities.slice(0, first.entities.length).map((e) => e.id),
      ...relations.slice(0, first.relations.length).map((r) => r.id),
    ]);
    const vectors = tools ? this.prepareVectors(scope, entities, relations, names, tools, firstIds) : null;
    // Observed now: should it fail while the graph writes run, that is not an unhandled rejection
    // (awaiting it below still throws).
    vectors?.catch(() => undefined);
    await graphMergeStep('graph', async () => {
      await this.graph.upsertEntities(scope, entities);
      await this.graph.upsertRelations(scope, relations);
      await this.graph.deleteRelations(scope, gonePairs);
      await this.graph.deleteEntities(scope, goneKeys);
    });
    await graphMergeStep('vector-write', () =>
      this.vectors.deleteIds(scope, [
        ...goneKeys.map((key) => entityId(scope.kbId, key)),
        ...gonePairs.map(([a, b]) => relationId(scope.kbId, a, b)),
      ]),
    );
    if (tools) await this.writeVectors(scope, tools, firstIds, await vectors!);
    return (await GraphMentions.version(this.dataSource, scope)) === version;
  }

  /**
   * The merged form of what the change touched, and the graph version it is valid at. With
   * `added`, that is the change's own version, and what only the change mentions is merged from
   * its mentions in memory instead of read back.
   */
  private async readMerged(scope: KbScope, change: MentionChange, added: AddedMentions | undefined) {
    const version = added ? added.version : await GraphMentions.version(this.dataSource, scope);
    const first = added
      ? await GraphMentions.firstMentions(this.dataSource, scope, added)
      : { entities: [], relations: [] };
    const firstKeys = new Set(first.entities.map((e) => e.key));
    const firstPairs = new Set(first.relations.map((r) => pairKey(r.sourceKey, r.targetKey)));
    const readKeys = change.entityKeys.filter((key) => !firstKeys.has(key));
    const readPairs = change.relationPairs.filter(([a, b]) => !firstPairs.has(pairKey(a, b)));
    graphMergedItems.inc({ kind: 'entity', source: 'first-mentions' }, first.entities.length);
    graphMergedItems.inc({ kind: 'entity', source: 'read-back' }, readKeys.length);
    graphMergedItems.inc({ kind: 'relation', source: 'first-mentions' }, first.relations.length);
    graphMergedItems.inc({ kind: 'relation', source: 'read-back' }, readPairs.length);
    return {
      version,
      first,
      merged: first.entities.concat(await GraphMentions.mergedEntities(this.dataSource, scope, readKeys)),
      mergedRelations: first.relations.concat(
        await GraphMentions.mergedRelations(this.dataSource, scope, readPairs),
      ),
    };
  }

  private async toEntity(
    scope: KbScope,
    merged: MergedEntity,
    summariser: Summariser | null,
  ): Promise<GraphEntity> {
    return {
      id: entityId(scope.kbId, merged.key),
      key: merged.key,
      name: merged.name,
      type: merged.type,
      description:
        merged.editedDescription ?? (await mergeDescriptions(merged.name, merged.descriptions, summariser)),
      sourceChunkIds: merged.sourceChunkIds,
    };
  }

  private async toRelation(
    scope: KbScope,
    merged: MergedRelation,
    names: Map<string, string>,
    summariser: Summariser | null,
  ): Promise<GraphRelation> {
    const subject = `${names.get(merged.sourceKey) ?? merged.sourceKey} and ${names.get(merged.targetKey) ?? merged.targetKey}`;
    return {
      id: relationId(scope.kbId, merged.sourceKey, merged.targetKey),
      sourceKey: merged.sourceKey,
      targetKey: merged.targetKey,
      keywords: mergeKeywords(merged.keywords),
      description:
        merged.editedDescription ?? (await mergeDescriptions(subject, merged.descriptions, summariser)),
      weight: merged.weight,
      sourceChunkIds: merged.sourceChunkIds,
    };
  }

  /**
   * The vectors the merged entities and relations lack, embedded: those whose text changed since
   * their vector was made in this space (a vector from the same text stays). `fresh` ids, first
   * mentioned now, are known to have none and are not looked up.
   */
  private async prepareVectors(
    scope: KbScope,
    entities: GraphEntity[],
    relations: GraphRelation[],
    names: Map<string, string>,
    tools: GraphMergeTools,
    fresh: ReadonlySet<string>,
  ): Promise<VectorRecord[]> {
    const wanted = await mapInTurns(
      [
        ...entities.map((e) => ({ id: e.id, kind: 'entity' as const, text: entityText(e) })),
        ...relations.map((r) => ({ id: r.id, kind: 'relation' as const, text: relationText(r, names) })),
      ],
      (v) => ({ ...v, contentHash: sha256Hex(v.text) }),
    );
    if (wanted.length === 0) return [];
    const current = await graphMergeStep('vector-lookup', () =>
      this.vectors.current(
        scope,
        tools.space,
        wanted.filter((v) => !fresh.has(v.id)),
      ),
    );
    const stale = wanted.filter((v) => !current.has(v.id));
    if (stale.length === 0) return [];
    const vectors = await graphMergeStep('embed', () => tools.embed(stale.map((v) => v.text)));
    return stale.map((v, i) => ({
      id: v.id,
      kind: v.kind,
      documentId: null,
      vector: vectors[i],
      contentHash: v.contentHash,
    }));
  }

  /** Writes what prepareVectors made, in place of any vector the ids had. */
  private async writeVectors(
    scope: KbScope,
    tools: GraphMergeTools,
    fresh: ReadonlySet<string>,
    records: VectorRecord[],
  ): Promise<void> {
    if (records.length === 0) return;
    await graphMergeStep('vector-write', async () => {
      // A KB whose embedding model changed keeps the same ids in another space: drop the old
      // ones. What is first mentioned now never had a vector.
      await this.vectors.deleteIds(
        scope,
        records.filter((r) => !fresh.has(r.id)).map((r) => r.id),
      );
      await this.vectors.upsert(scope, tools.space, records);
    });
  }
}

/** The text an entity's vector is made from: what a question naming or describing it would match. */
export const entityText = (e: Pick<GraphEntity, 'name' | 'type' | 'description'>) =>
  `${e.name} (${e.type})\n${e.description}`;

/** The text a relation's vector is made from: its keywords, its ends and what relates them. */
export const relationText = (r: GraphRelation, names: Map<string, string>) =>
  `${r.keywords}\n${names.get(r.sourceKey) ?? r.sourceKey} - ${names.get(r.targetKey) ?? r.targetKey}\n${r.description}`;

/** The merge tools of a KB: its embedder in its space, and its LLM (when it has one) to summarise. */
export function mergeTools(embedder: Embedder, space: VectorSpace, llm: ChatModel | null): GraphMergeTools {
  return { space, embed: (texts) => embedder.embed(texts), ...summariseWith(llm) };
}

/** The `summarise` tool for a KB with an LLM; none without. */
function summariseWith(llm: ChatModel | null): Pick<GraphMergeTools, 'summarise' | 'summariser'> {
  if (llm === null) return {};
  return {
    summariser: llm.model,
    summarise: async (subject, descriptions) =>
      (
        await llm.complete([
          {
            role: 'system',
            content:
              'Merge the descriptions you are given into one paragraph of at most 150 words. Keep every distinct fact; add none.',
          },
          { role: 'user', content: `Subject: ${subject}\n\nDescriptions:\n${descriptions.join('\n')}` },
        ])
      ).text,
  };
}

/**
 * One description from many: joined when short; past MAX_DESCRIPTION_CHARS summarised by the LLM
 * when there is one, otherwise cut after the last whole sentence that fits.
 */
export async function mergeDescriptions(
  subject: string,
  descriptions: string[],
  tools: Pick<GraphMergeTools, 'summarise'> | null,
): Promise<string> {
  const joined = descriptions.join('\n');
  if (joined.length <= MAX_DESCRIPTION_CHARS) return joined;
  if (tools?.summarise) {
    const summary = await tools.summarise(subject, descriptions);
    if (summary.trim()) return summary.trim().slice(0, MAX_DESCRIPTION_CHARS);
  }
  const cut = joined.slice(0, MAX_DESCRIPTION_CHARS);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('\n'));
  return end > MAX_DESCRIPTION_CHARS / 2 ? cut.slice(0, end + 1).trim() : cut.trim();
}

/** Keywords of all mentions, each once (case aside), in the order first seen. */
export function mergeKeywords(keywords: string[]): string {
  const seen = new Map<string, string>();
  for (const word of keywords.flatMap((k) => k.split(',')).map((k) => k.trim()))
    if (word && !seen.has(word.toLowerCase())) seen.set(word.toLowerCase(), word);
  return [...seen.values()].join(', ');
}
