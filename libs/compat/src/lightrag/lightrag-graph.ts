/** Strata's subgraph, as its graph routes answer it. */
interface Subgraph {
  nodes: Array<{ id: string; label: string; type: string; description: string; degree: number }>;
  edges: Array<{
    id: string;
    source: string;
    target: string;
    keywords: string;
    description: string;
    weight: number;
  }>;
  is_truncated: boolean;
}

/**
 * A subgraph in LightRAG's shape: nodes are known by their entity name (LightRAG's node id), with
 * the name as label and the rest as properties; edges join names.
 */
export function lightRagGraph(subgraph: Subgraph) {
  const nameOf = new Map(subgraph.nodes.map((node) => [node.id, node.label]));
  return {
    nodes: subgraph.nodes.map((node) => ({
      id: node.label,
      labels: [node.label],
      properties: {
        entity_id: node.label,
        entity_type: node.type,
        description: node.description,
        degree: node.degree,
      },
    })),
    edges: subgraph.edges.map((edge) => ({
      id: edge.id,
      type: 'DIRECTED',
      source: nameOf.get(edge.source) ?? edge.source,
      target: nameOf.get(edge.target) ?? edge.target,
      properties: { keywords: edge.keywords, description: edge.description, weight: edge.weight },
    })),
    is_truncated: subgraph.is_truncated,
  };
}
