import { ValidateIf } from 'class-validator';

/**
 * A property that may be null (clears the value): null skips the property's other validators,
 * anything else, including undefined, goes through them (pair with IsOptional to allow omitting).
 */
export const Nullable = () => ValidateIf((_, value) => value !== null);
