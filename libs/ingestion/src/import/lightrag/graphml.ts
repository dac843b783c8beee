import { XMLParser } from 'fast-xml-parser';

/** A node or edge of a GraphML file with its data values by attribute name (`attr.name`). */
export interface GraphmlNode {
  id: string;
  data: Record<string, string>;
}

export interface GraphmlEdge {
  source: string;
  target: string;
  data: Record<string, string>;
}

export interface Graphml {
  nodes: GraphmlNode[];
  edges: GraphmlEdge[];
}

type XmlElement = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => ['key', 'graph', 'node', 'edge', 'data'].includes(name),
});

/**
 * Reads the nodes and edges of a GraphML document (as NetworkX writes it): `<key>` declarations map
 * each `<data key="d3">` to its attribute name. Throws on XML that is not GraphML.
 */
export function parseGraphml(xml: string): Graphml {
  const document = parser.parse(xml) as XmlElement;
  const root = document.graphml as XmlElement | undefined;
  if (!root || typeof root !== 'object') throw new Error('no <graphml> element');
  const names = new Map<string, string>();
  for (const key of (root.key as XmlElement[] | undefined) ?? []) {
    const id = key['@id'];
    if (typeof id === 'string') names.set(id, typeof key['@attr.name'] === 'string' ? key['@attr.name'] : id);
  }
  const dataOf = (element: XmlElement): Record<string, string> => {
    const data: Record<string, string> = {};
    for (const item of (element.data as XmlElement[] | undefined) ?? []) {
      const key = item['@key'];
      if (typeof key !== 'string') continue;
      data[names.get(key) ?? key] = textOf(item);
    }
    return data;
  };
  const nodes: GraphmlNode[] = [];
  const edges: GraphmlEdge[] = [];
  for (const graph of (root.graph as XmlElement[] | undefined) ?? []) {
    for (const node of (graph.node as XmlElement[] | undefined) ?? []) {
      if (typeof node['@id'] !== 'string') throw new Error('a <node> has no id');
      nodes.push({ id: node['@id'], data: dataOf(node) });
    }
    for (const edge of (graph.edge as XmlElement[] | undefined) ?? []) {
      if (typeof edge['@source'] !== 'string' || typeof edge['@target'] !== 'string')
        throw new Error('an <edge> has no source or target');
      edges.push({ source: edge['@source'], target: edge['@target'], data: dataOf(edge) });
    }
  }
  return { nodes, edges };
}

function textOf(item: XmlElement | string): string {
  if (typeof item === 'string') return item;
  const text = item['#text'];
  return typeof text === 'string' ? text : text === undefined ? '' : String(text);
}
