import { ParseError } from '../parse-error';

/** What a zip-based document (docx) may expand to before it is opened. */
export interface ZipBounds {
  maxEntries: number;
  maxExpandedBytes: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/**
 * Reads a zip's central directory (not its contents) and refuses an archive with more entries, or
 * whose entries declare more uncompressed bytes, than `bounds` allow: a few hundred kilobytes can
 * expand to gigabytes. Declared sizes can lie; the parse's memory and time limits catch a liar.
 */
export function assertZipWithinBounds(zip: Buffer, bounds: ZipBounds): void {
  const end = findEndOfDirectory(zip);
  if (end < 0) throw new ParseError('the file is not a valid zip archive (no central directory)');
  const entries = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  const directoryOffset = zip.readUInt32LE(end + 16);
  if (entries === 0xffff || directoryOffset === 0xffffffff) {
    throw new ParseError('the archive is in the ZIP64 format, which is not accepted for documents');
  }
  if (entries > bounds.maxEntries) {
    throw new ParseError(`the archive holds ${entries} entries; at most ${bounds.maxEntries} are accepted`);
  }
  if (directoryOffset + directorySize > end) throw new ParseError('the zip central directory is damaged');
  let expanded = 0;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== DIRECTORY_ENTRY) {
      throw new ParseError('the zip central directory is damaged');
    }
    expanded += zip.readUInt32LE(at + 24);
    if (expanded > bounds.maxExpandedBytes) {
      throw new ParseError(
        `the document expands to more than ${Math.round(bounds.maxExpandedBytes / 1024 / 1024)} MB when unpacked`,
      );
    }
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
}

function findEndOfDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - END_RECORD_SIZE - MAX_COMMENT);
  for (let at = zip.length - END_RECORD_SIZE; at >= lowest; at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return -1;
}
