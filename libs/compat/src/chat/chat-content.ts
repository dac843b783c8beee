import { registerDecorator, ValidationOptions } from 'class-validator';

/** Characters one chat message may hold (a conversation's earlier turns are cut to the KB's history budget). */
export const MAX_MESSAGE_CHARS = 32_000;

/** A message's content as chat APIs send it: a string, or a list of `{type: 'text', text}` parts. */
export type ChatContent = string | Array<{ type: 'text'; text: string }>;

const isTextPart = (part: unknown): part is { type: 'text'; text: string } =>
  typeof part === 'object' &&
  part !== null &&
  (part as { type?: unknown }).type === 'text' &&
  typeof (part as { text?: unknown }).text === 'string';

/** The text of a message: its string, or its text parts joined by blank lines. */
export const contentText = (content: ChatContent | null | undefined): string =>
  content === null || content === undefined
    ? ''
    : typeof content === 'string'
      ? content
      : content.map((part) => part.text).join('\n\n');

/**
 * Message content a KB can answer: text only (images, audio and files are refused: the KB
 * searches text), at most MAX_MESSAGE_CHARS. Null passes (an assistant turn that only called tools).
 */
export function IsChatContent(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isChatContent',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be text: a string or a list of {type: "text", text} parts, at most ${MAX_MESSAGE_CHARS} characters`,
        ...options,
      },
      validator: {
        validate(value: unknown): boolean {
          if (value === null) return true;
          if (typeof value !== 'string' && !(Array.isArray(value) && value.every(isTextPart))) return false;
          return contentText(value).length <= MAX_MESSAGE_CHARS;
        },
      },
    });
}
