import { describe, expect, test } from 'vitest';
import { markdownToHtml } from '../../scripts/screenshots/markdown-html.js';

/** The Markdown → HTML of `npm run screenshots`, on the constructs zdd's PR comment uses. */
describe('markdownToHtml', () => {
  test('headings, fenced code, a pipe table with escaped pipes and inline code, a list, raw HTML', () => {
    const markdown = [
      '<!-- zdd -->',
      '## zdd',
      '',
      '```',
      'PASS: <none>',
      '```',
      '',
      '| object | why |',
      '| --- | --- |',
      '| Service `a\\|b` | **bold** & more |',
      '',
      '<details><summary>more</summary>',
      '',
      '- one `` a`b ``',
      '- two',
      '',
      '</details>',
      'a paragraph',
      'on two lines',
    ].join('\n');
    expect(markdownToHtml(markdown)).toBe(
      [
        '<h2>zdd</h2>',
        '<pre><code>PASS: &lt;none&gt;</code></pre>',
        '<table><thead><tr><th>object</th><th>why</th></tr></thead><tbody>',
        '<tr><td>Service <code>a|b</code></td><td><strong>bold</strong> &amp; more</td></tr>',
        '</tbody></table>',
        '<details><summary>more</summary>',
        '<ul><li>one <code>a`b</code></li><li>two</li></ul>',
        '</details>',
        '<p>a paragraph\non two lines</p>',
      ].join('\n'),
    );
  });
});
