import cytoscape, { type Core } from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { GraphEdge, GraphNode, Subgraph } from '../api/types';
import { colourOf, type TypeColour } from './graph-colours';

// cytoscape adds a <style> element for its container unless an element with this id exists, and
// the console's Content-Security-Policy refuses inline styles; the rule it wants is in styles.css.
if (!document.getElementById('__________cytoscape_stylesheet')) {
  const marker = document.createElement('meta');
  marker.id = '__________cytoscape_stylesheet';
  document.head.append(marker);
}

/**
 * Draws a subgraph (cytoscape, force-directed layout that makes room for labels), nodes coloured
 * by type; clicks on a node or a relation are reported.
 */
export function GraphCanvas({
  graph,
  legend,
  selected,
  onNode,
  onEdge,
}: {
  graph: Subgraph;
  legend: TypeColour[];
  selected: string | null;
  onNode: (node: GraphNode) => void;
  onEdge: (edge: GraphEdge) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const instance = useRef<Core | null>(null);
  const handlers = useRef({ onNode, onEdge });
  handlers.current = { onNode, onEdge };

  useEffect(() => {
    const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
    const edges = new Map(graph.edges.map((e) => [e.id, e]));
    const cy = cytoscape({
      container: container.current,
      elements: [
        ...graph.nodes.map((n) => ({
          data: {
            id: n.id,
            label: n.label,
            size: 18 + Math.min(30, n.degree * 3),
            colour: colourOf(legend, n.type),
          },
        })),
        ...graph.edges.map((e) => ({
          data: { id: e.id, source: e.source, target: e.target, width: Math.min(6, 1 + e.weight / 3) },
        })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            width: 'data(size)',
            height: 'data(size)',
            'background-color': 'data(colour)',
            'font-size': 11,
            // Too small to read once zoomed out: not drawn, rather than drawn as a smudge.
            'min-zoomed-font-size': 7,
            color: '#1d2330',
            'text-valign': 'bottom',
            'text-margin-y': 3,
            'text-wrap': 'ellipsis',
            'text-max-width': '110px',
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.7,
            'text-background-padding': '1px',
          },
        },
        { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#1d2330' } },
        {
          selector: 'edge',
          style: { width: 'data(width)', 'line-color': '#9aa6bf', 'curve-style': 'bezier' },
        },
        { selector: 'edge:selected', style: { 'line-color': '#b42318' } },
      ],
      layout: {
        name: 'cose',
        animate: false,
        randomize: false,
        nodeRepulsion: () => 9000,
        // Unconnected nodes are laid out as their own components: count labels in their size so
        // neighbours' labels do not overlap.
        nodeDimensionsIncludeLabels: true,
        componentSpacing: 60,
        padding: 20,
      },
      wheelSensitivity: 0.3,
    });
    cy.on('tap', 'node', (event) => {
      const node = nodes.get(event.target.id());
      if (node) handlers.current.onNode(node);
    });
    cy.on('tap', 'edge', (event) => {
      const edge = edges.get(event.target.id());
      if (edge) handlers.current.onEdge(edge);
    });
    instance.current = cy;
    // Cytoscape sizes its canvases once: a narrower window (a phone turned, a browser made
    // smaller) otherwise kept the old width and overflowed the page. The graph is fitted again
    // to the new size.
    const resized = new ResizeObserver(() => {
      cy.resize();
      cy.fit(undefined, 20);
    });
    resized.observe(container.current!);
    return () => {
      resized.disconnect();
      cy.destroy();
      instance.current = null;
    };
  }, [graph, legend]);

  useEffect(() => {
    const cy = instance.current;
    if (!cy) return;
    cy.$(':selected').unselect();
    if (selected) cy.getElementById(selected).select();
  }, [selected, graph]);

  return (
    <div
      ref={container}
      className="graph-canvas"
      role="img"
      aria-label={`Knowledge graph: ${graph.nodes.length} entities and ${graph.edges.length} relations`}
    />
  );
}
