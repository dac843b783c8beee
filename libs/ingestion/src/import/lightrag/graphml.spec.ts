import { parseGraphml } from './graphml';

const XML = `<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="entity_type" attr.type="string" />
  <key id="d1" for="node" attr.name="description" attr.type="string" />
  <key id="d2" for="edge" attr.name="weight" attr.type="double" />
  <graph edgedefault="undirected">
    <node id="Ada &amp; Co">
      <data key="d0">organization</data>
      <data key="d1">A firm.&lt;SEP&gt;Founded in 1843.</data>
    </node>
    <node id="Charles" />
    <edge source="Ada &amp; Co" target="Charles">
      <data key="d2">2.5</data>
    </edge>
  </graph>
</graphml>`;

describe('parseGraphml', () => {
  it('reads nodes and edges with their data under the declared attribute names, entities decoded', () => {
    expect(parseGraphml(XML)).toEqual({
      nodes: [
        {
          id: 'Ada & Co',
          data: { entity_type: 'organization', description: 'A firm.<SEP>Founded in 1843.' },
        },
        { id: 'Charles', data: {} },
      ],
      edges: [{ source: 'Ada & Co', target: 'Charles', data: { weight: '2.5' } }],
    });
  });

  it('refuses a document that is not GraphML', () => {
    expect(() => parseGraphml('<html><body/></html>')).toThrow('no <graphml> element');
  });

  it('refuses a node without an id', () => {
    expect(() => parseGraphml('<graphml><graph><node/></graph></graphml>')).toThrow('a <node> has no id');
  });
});
