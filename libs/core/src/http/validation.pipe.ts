import { Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { BadRequest } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      error.constraints?.whitelistValidation
        ? `${path} is not an accepted field`
        : text.replace(error.property, path),
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** The global pipe: strips nothing silently — unknown fields are a 400 naming the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequest(ErrorCode.VALIDATION_FAILED, flatten(errors).join('; ')),
  });
}

const pipe = createValidationPipe();

/**
 * Validates input that does not come through HTTP (the CLI's options) with the same rules and
 * messages as a request body; throws BadRequest VALIDATION_FAILED.
 */
export function validateInput<T extends object>(dto: Type<T>, input: Record<string, unknown>): Promise<T> {
  return pipe.transform(input, { type: 'body', metatype: dto }) as Promise<T>;
}
