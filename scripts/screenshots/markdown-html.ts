/**
 * Markdown → HTML for the Markdown zdd writes (the PR comment: headings, paragraphs, fenced code, GitHub's pipe
 * tables, bullet lists, raw HTML lines such as <details>, inline code and bold), to picture a PR comment. Not a
 * general Markdown renderer: the one in node_modules (commonmark, through cdk8s-cli) has no tables and no types.
 */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.split('\n');
  const html: string[] = [];
  let index = 0;
  const at = (offset = 0) => lines[index + offset] ?? '';
  while (index < lines.length) {
    const line = at();
    if (line.trim() === '' || /^<!--.*-->$/.test(line.trim())) {
      index++;
    } else if (line.startsWith('```')) {
      const code: string[] = [];
      for (index++; index < lines.length && !at().startsWith('```'); index++) code.push(at());
      index++;
      html.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
    } else if (/^#{1,6} /.test(line)) {
      const level = line.indexOf(' ');
      html.push(`<h${level}>${inline(line.slice(level + 1))}</h${level}>`);
      index++;
    } else if (line.startsWith('|') && /^\|[\s|:-]+\|$/.test(at(1))) {
      const header = cells(line);
      const rows: string[][] = [];
      for (index += 2; at().startsWith('|'); index++) rows.push(cells(at()));
      html.push(
        `<table><thead><tr>${header.map((cell) => `<th>${inline(cell)}</th>`).join('')}</tr></thead><tbody>`,
        ...rows.map((row) => `<tr>${row.map((cell) => `<td>${inline(cell)}</td>`).join('')}</tr>`),
        '</tbody></table>',
      );
    } else if (line.startsWith('- ')) {
      const items: string[] = [];
      for (; at().startsWith('- '); index++) items.push(`<li>${inline(at().slice(2))}</li>`);
      html.push(`<ul>${items.join('')}</ul>`);
    } else if (line.startsWith('<')) {
      html.push(line);
      index++;
    } else {
      const paragraph: string[] = [];
      for (; at().trim() !== '' && !/^(#|```|\||- |<)/.test(at()); index++) paragraph.push(at());
      html.push(`<p>${inline(paragraph.join('\n'))}</p>`);
    }
  }
  return html.join('\n');
}

/** A table row's cells: split at pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replaceAll('\\|', '|'));
}

/** Inline code (one or two backticks) and bold; everything else escaped. */
function inline(text: string): string {
  const parts: string[] = [];
  const pattern = /``\s?(.+?)\s?``|`([^`]+)`|\*\*(.+?)\*\*/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(escapeHtml(text.slice(last, match.index)));
    const code = match[1] ?? match[2];
    parts.push(
      code === undefined ? `<strong>${escapeHtml(match[3] ?? '')}</strong>` : `<code>${escapeHtml(code)}</code>`,
    );
    last = match.index + match[0].length;
  }
  parts.push(escapeHtml(text.slice(last)));
  return parts.join('');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
