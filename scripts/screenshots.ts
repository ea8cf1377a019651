/**
 * `npm run screenshots`: the README's pictures, made with headless Chromium (/usr/bin/chromium) from zdd's own
 * output (build first: it runs bin/zdd.js):
 * - docs/ci-pr-comment.png: the PR comment the GitHub Action writes (ci/github/run.sh on a sample pull request
 *   that fixes a manifest), rendered as GitHub renders a comment;
 * - docs/report.png: report.html of the results fixture (test/fixtures/compare-run), as `zdd report` writes it.
 * The same inputs every time (fixed commit dates, so fixed hashes; a fixed viewport), so the pictures change
 * only when the output does.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { chromium, type Page } from 'playwright-core';
import { markdownToHtml } from './screenshots/markdown-html.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const DOCS = join(REPO, 'docs');

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'zdd',
  GIT_AUTHOR_EMAIL: 'zdd@example.invalid',
  GIT_COMMITTER_NAME: 'zdd',
  GIT_COMMITTER_EMAIL: 'zdd@example.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** GitHub's comment look, near enough: its fonts, its table and code styles, in a comment box. */
const GITHUB_CSS = `
body { margin: 0; padding: 16px; background: #fff; color: #1f2328;
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; width: 1240px; }
.header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; color: #59636e; }
.header strong { color: #1f2328; }
.body { padding: 16px; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 0 0 16px; }
h3 { font-size: 1.25em; margin: 24px 0 16px; }
p, pre, table, ul, details { margin: 0 0 16px; }
code { font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  background: rgba(129, 139, 152, .12); border-radius: 6px; padding: .2em .4em; }
pre { background: #f6f8fa; border-radius: 6px; padding: 16px; overflow: auto; }
pre code { background: none; padding: 0; font-size: 85%; }
table { border-collapse: collapse; width: 100%; }
td code { white-space: pre-wrap; overflow-wrap: anywhere; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; vertical-align: top; }
th { font-weight: 600; }
tr:nth-child(2n) { background: #f6f8fa; }
`;

async function main(): Promise<void> {
  const temp = mkdtempSync(join(tmpdir(), 'zdd-screenshots-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    mkdirSync(DOCS, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    await prComment(page, temp);
    await report(page, temp);
  } finally {
    await browser.close();
    rmSync(temp, { recursive: true, force: true });
  }
}

/** A pull request that makes the default variant's manifest the zero-downtime one, through the Action's script. */
async function prComment(page: Page, temp: string): Promise<void> {
  const repo = join(temp, 'repo');
  mkdirSync(join(repo, 'k8s'), { recursive: true });
  const git = (...args: string[]) => execa('git', args, { cwd: repo, env: GIT_ENV });
  await git('init', '-q', '-b', 'main');
  copyFileSync(join(REPO, 'test/fixtures/ci/manifests/bad.yaml'), join(repo, 'k8s/app.yaml'));
  await git('add', '-A');
  await git('commit', '-qm', 'base');
  const base = (await git('rev-parse', 'HEAD')).stdout.trim();
  copyFileSync(join(REPO, 'test/fixtures/ci/manifests/good.yaml'), join(repo, 'k8s/app.yaml'));
  await git('commit', '-qam', 'zero-downtime settings');
  const runner = join(temp, 'runner');
  mkdirSync(runner);
  const output = join(runner, 'output');
  writeFileSync(output, '');
  writeFileSync(join(runner, 'summary'), '');
  await execa(join(REPO, 'ci/github/run.sh'), [], {
    cwd: repo,
    env: {
      GITHUB_WORKSPACE: repo,
      GITHUB_ACTION_PATH: REPO,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: join(runner, 'summary'),
      RUNNER_TEMP: runner,
      INPUT_CHECK: 'k8s/',
      INPUT_DIFF_BASE: base,
      NO_COLOR: '1',
    },
  });
  const comment = readFileSync(join(runner, 'zdd/comment.md'), 'utf8');
  const html = `<!doctype html><meta charset="utf-8"><style>${GITHUB_CSS}</style>
<div class="comment"><div class="header"><strong>github-actions</strong> bot commented</div>
<div class="body">${markdownToHtml(comment)}</div></div>`;
  const file = join(temp, 'comment.html');
  writeFileSync(file, html);
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.locator('.comment').screenshot({ path: join(DOCS, 'ci-pr-comment.png') });
  console.log('wrote docs/ci-pr-comment.png');
}

/** report.html of the results fixture, its first screenful (the verdict, the table and the timeline). */
async function report(page: Page, temp: string): Promise<void> {
  // Named relative to where zdd runs, as compare names it: the page shows no temp folder.
  const folder = 'results/2026-11-29T19-01-21-075Z';
  cpSync(join(REPO, 'test/fixtures/compare-run/local-builtin'), join(temp, folder), { recursive: true });
  await execa(process.execPath, [join(REPO, 'bin/zdd.js'), 'report', folder], { cwd: temp, env: { NO_COLOR: '1' } });
  await page.goto(pathToFileURL(join(temp, folder, 'report.html')).href, { waitUntil: 'load' });
  await page.setViewportSize({ width: 1280, height: 1200 });
  await page.screenshot({ path: join(DOCS, 'report.png') });
  console.log('wrote docs/report.png');
}

await main();
