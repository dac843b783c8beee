import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { BadRequest, DomainError, ErrorCode, inputTextProblem } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { MAX_DOCUMENTS_PER_REQUEST } from '../dto/document.dto';

export const FILES_FIELD = 'files';
const FILES_FIELD_KEY = 'strata:upload_files_field';

/** The form field a route reads files from, when not FILES_FIELD (LightRAG's upload sends `file`). */
export const UploadFilesField = (name: string) => SetMetadata(FILES_FIELD_KEY, name);
const FORM_FIELDS = new Set(['metadata', 'access']);

export const uploadTooLarge = (limit: number) =>
  new DomainError(
    413,
    ErrorCode.QUOTA_UPLOAD_BYTES_EXCEEDED,
    `The upload is larger than the tenant's max_upload_bytes quota of ${limit} bytes`,
  );

/** Texts sent as JSON, whose bytes the multipart limits did not see, within `max_upload_bytes`. */
export function assertWithinUploadQuota(inputs: ReadonlyArray<{ content: Buffer }>, limit: number): void {
  if (inputs.reduce((sum, input) => sum + input.content.length, 0) > limit) throw uploadTooLarge(limit);
}

/**
 * Reads a multipart upload for the documents routes, under the tenant's `max_upload_bytes`: a
 * declared Content-Length above it is refused before any byte is read, and a body without one is
 * cut off the moment it passes it. Files land in `req.files`; the form fields `metadata` (a JSON
 * object for every file) and `access` (an access list for every file, JSON) become the body. JSON bodies pass through untouched.
 */
@Injectable()
export class DocumentUploadInterceptor implements NestInterceptor {
  constructor(
    private readonly contexts: TenantContextService,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const field =
      this.reflector.get<string | undefined>(FILES_FIELD_KEY, context.getHandler()) ?? FILES_FIELD;
    if (request.is('application/json') && field === FILES_FIELD) return next.handle();
    if (!request.is('multipart/form-data')) {
      throw new DomainError(
        415,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        field === FILES_FIELD
          ? `Send documents as multipart/form-data (field "${field}") or as application/json`
          : `Send the document as multipart/form-data (field "${field}")`,
      );
    }
    const limit = this.contexts.require().quotas.max_upload_bytes;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) throw uploadTooLarge(limit);

    await readMultipart(request, http.getResponse<Response>(), limit, field);
    const files = (request.files as Express.Multer.File[] | undefined) ?? [];
    if (files.reduce((sum, f) => sum + f.size, 0) > limit) throw uploadTooLarge(limit);
    // File names become titles; InputTextPipe does not see the files, so they are checked here.
    const problem = inputTextProblem(
      files.map((f) => f.originalname),
      'file names',
    );
    if (problem !== null) throw new BadRequest(problem.code, problem.message);
    request.body = formBody((request.body ?? {}) as Record<string, string>, field);
    return next.handle();
  }
}

function readMultipart(request: Request, response: Response, limit: number, field: string): Promise<void> {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: limit,
      files: MAX_DOCUMENTS_PER_REQUEST,
      fields: FORM_FIELDS.size + 4,
      fieldSize: 64 * 1024,
    },
  }).array(field, MAX_DOCUMENTS_PER_REQUEST);
  return new Promise((resolve, reject) =>
    upload(request, response, (error: unknown) =>
      error ? reject(translate(error, limit, field)) : resolve(),
    ),
  );
}

function translate(error: unknown, limit: number, field: string): DomainError {
  if (error instanceof MulterError) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return uploadTooLarge(limit);
      case 'LIMIT_FILE_COUNT':
        return new BadRequest(
          ErrorCode.TOO_MANY_FILES,
          `At most ${MAX_DOCUMENTS_PER_REQUEST} files per request`,
        );
      case 'LIMIT_UNEXPECTED_FILE':
        return new BadRequest(
          error.field && error.field !== field ? ErrorCode.VALIDATION_FAILED : ErrorCode.TOO_MANY_FILES,
          error.field && error.field !== field
            ? `Files must be sent in the form field "${field}", not "${error.field}"`
            : `At most ${MAX_DOCUMENTS_PER_REQUEST} files per request`,
        );
      default:
        return new BadRequest(
          ErrorCode.VALIDATION_FAILED,
          `The multipart form is not acceptable: ${error.message}`,
        );
    }
  }
  return new BadRequest(ErrorCode.VALIDATION_FAILED, 'The multipart body is malformed');
}

/** The form's fields as the JSON body the DTO validates: `metadata` and `access` parsed, nothing else allowed. */
function formBody(fields: Record<string, string>, field: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!FORM_FIELDS.has(name)) {
      throw new BadRequest(
        ErrorCode.VALIDATION_FAILED,
        `Unknown form field "${name}"; send files in "${field}"`,
      );
    }
    try {
      body[name] = JSON.parse(value);
    } catch {
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, `Form field "${name}" must be JSON`);
    }
  }
  return body;
}
