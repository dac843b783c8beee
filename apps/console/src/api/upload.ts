import { ApiError } from './api-error';
import { API_BASE, api } from './client';
import type { DocumentAccess } from './types';

/**
 * Uploads one file as a multipart request, reporting the share sent (0–1). XMLHttpRequest, not
 * fetch, because only it reports upload progress. `access` restricts who may see it (null: the
 * whole KB). Answers the new (or already present) document.
 */
export async function uploadFile(
  path: string,
  file: File,
  onProgress: (share: number) => void,
  access: DocumentAccess | null = null,
): Promise<{ id: string; duplicate: boolean }> {
  const token = await api.token();
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${API_BASE}${path}`);
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new Error('the upload was interrupted'));
    request.onload = () => {
      const body = (() => {
        try {
          return JSON.parse(request.responseText);
        } catch {
          return null;
        }
      })();
      if (request.status === 202 && body?.documents?.[0]) {
        onProgress(1);
        resolve(body.documents[0]);
      } else {
        reject(ApiError.fromBody(request.status, request.statusText, body));
      }
    };
    const form = new FormData();
    form.append('files', file, file.name);
    if (access !== null) form.append('access', JSON.stringify(access));
    request.send(form);
  });
}
