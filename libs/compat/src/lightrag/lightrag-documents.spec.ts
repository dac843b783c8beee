import { type AcceptedDocument, countsWithAll, type DocumentStatusRow } from '@strata/documents';
import { insertResponse, lightRagDocStatus, newTrackId, pipelineStatus } from './lightrag-documents';

const accepted = (title: string, duplicate: boolean, status: AcceptedDocument['status'] = 'pending') => ({
  id: `id-${title}`,
  title,
  status,
  duplicate,
});

describe('newTrackId', () => {
  it("has LightRAG's form: the operation, the UTC time to the second, 8 hex digits", () => {
    const id = newTrackId('upload', new Date('2026-03-04T05:06:07.890Z'));
    expect(id).toMatch(/^upload_20260304_050607_[0-9a-f]{8}$/);
  });

  it('differs between two calls in the same second', () => {
    const at = new Date();
    expect(newTrackId('insert', at)).not.toBe(newTrackId('insert', at));
  });
});

describe('insertResponse', () => {
  it('is a success with the track id when every document is new', () => {
    const documents = [accepted('a', false), accepted('b', false)];
    expect(insertResponse(documents, 'insert_1')).toEqual({
      status: 'success',
      message: '2 documents received. Processing will continue in background.',
      track_id: 'insert_1',
      strata: { documents },
    });
  });

  it("is 'duplicated' with no track id when nothing was new, naming what was already there", () => {
    const response = insertResponse([accepted('Policy', true, 'processed')], 'insert_2');
    expect(response.status).toBe('duplicated');
    expect(response.track_id).toBe('');
    expect(response.message).toBe(
      "Nothing added: 1 was already in the knowledge base ('Policy', status processed).",
    );
  });

  it("is a 'partial_success' when some were new and some already there", () => {
    const response = insertResponse([accepted('a', false), accepted('b', true, 'failed')], 'insert_3');
    expect(response).toMatchObject({ status: 'partial_success', track_id: 'insert_3' });
    expect(response.message).toBe(
      "1 document received. Processing will continue in background; 1 was already in the knowledge base ('b', status failed).",
    );
  });
});

describe('lightRagDocStatus', () => {
  const doc: DocumentStatusRow = {
    id: 'd1',
    title: 'handbook.md',
    sizeBytes: 2048,
    status: 'processed',
    chunkCount: 3,
    error: null,
    metadata: { team: 'hr' },
    trackId: 'upload_x',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:01:00Z'),
  };

  it('summarises a processed document by the start of its text and names it by its title', () => {
    expect(lightRagDocStatus(doc, 'Leave policy: every employee')).toEqual({
      id: 'd1',
      content_summary: 'Leave policy: every employee',
      content_length: 2048,
      status: 'processed',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:01:00.000Z',
      track_id: 'upload_x',
      chunks_count: 3,
      error_msg: null,
      metadata: { team: 'hr' },
      file_path: 'handbook.md',
    });
  });

  it('gives a document not yet chunked its title as summary and no chunk count', () => {
    const pending = lightRagDocStatus({ ...doc, status: 'pending', chunkCount: 0 }, undefined);
    expect(pending).toMatchObject({ content_summary: 'handbook.md', chunks_count: null, status: 'pending' });
  });
});

describe('countsWithAll (the status counts LightRAG answers)', () => {
  it('adds the total as `all`', () => {
    expect(countsWithAll({ pending: 1, processing: 2, processed: 3, failed: 4 })).toEqual({
      pending: 1,
      processing: 2,
      processed: 3,
      failed: 4,
      all: 10,
    });
  });
});

describe('pipelineStatus', () => {
  it('is idle when nothing waits', () => {
    expect(pipelineStatus({ documents: 0, graphs: 0, since: null })).toMatchObject({
      busy: false,
      docs: 0,
      job_start: null,
      latest_message: 'All documents are processed',
    });
  });

  it('is busy while documents or graph stages wait, since the oldest of them changed', () => {
    expect(
      pipelineStatus({ documents: 1, graphs: 2, since: new Date('2026-01-01T00:00:00Z') }),
    ).toMatchObject({
      busy: true,
      docs: 3,
      job_name: 'Processing documents',
      job_start: '2026-01-01T00:00:00.000Z',
      latest_message: '1 document to process; 2 knowledge-graph stages to build',
    });
  });
});
