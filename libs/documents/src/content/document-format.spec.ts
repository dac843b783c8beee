import { detectFormat, extensionOf } from './document-format';

describe('extensionOf', () => {
  it('answers the last extension in lower case, and none for dot files or bare names', () => {
    expect(extensionOf('Report.Final.PDF')).toBe('.pdf');
    expect(extensionOf('dir/notes.md')).toBe('.md');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('README')).toBe('');
  });
});

describe('detectFormat', () => {
  it('refuses a spreadsheet or an image, whatever it claims to be', () => {
    expect(
      detectFormat('budget.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    ).toBeNull();
    expect(detectFormat('photo.png', 'image/png')).toBeNull();
    expect(detectFormat('.md', 'application/octet-stream')).toBeNull();
  });
});
