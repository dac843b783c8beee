import { convert, type FormatCallback } from 'html-to-text';
import { decodeText } from './text.parser';

/** Writes `<hN>` as a markdown heading line, so chunking can follow the page's sections. */
const markdownHeading: FormatCallback = (elem, walk, builder, options) => {
  const level = Number((elem as { name?: string }).name?.slice(1)) || 1;
  builder.openBlock({ leadingLineBreaks: options.leadingLineBreaks ?? 2 });
  builder.addInline(`${'#'.repeat(level)} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: options.trailingLineBreaks ?? 2 });
};

/** Visible text of an HTML page; scripts, styles, navigation and images are left out. */
export function parseHtml(content: Buffer): string {
  return convert(decodeText(content), {
    wordwrap: false,
    formatters: { markdownHeading },
    selectors: [
      ...[1, 2, 3, 4, 5, 6].map((level) => ({ selector: `h${level}`, format: 'markdownHeading' })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'nav', format: 'skip' },
    ],
  });
}
