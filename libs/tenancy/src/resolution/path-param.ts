import type { Request } from 'express';

/** A named route parameter as a plain string (Express types also allow arrays for wildcards). */
export function pathParam(request: Request, name: string): string | undefined {
  const value: unknown = request.params?.[name];
  return typeof value === 'string' ? value : undefined;
}
