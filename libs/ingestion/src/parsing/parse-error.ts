/** A document that cannot be read; the message is shown to the user as the document's error. */
export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseError';
  }
}
