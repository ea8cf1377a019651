/** The report page's style sheet: plain, printable, readable on a laptop and in a pull request's preview. */
export const REPORT_CSS = `
:root { color-scheme: light; --border: #d9d9d9; --muted: #525252; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff;
  max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--border); padding-bottom: 4px; }
.description, .source, .latency, figcaption, footer { color: var(--muted); margin: 2px 0; }
.verdict { border-left: 6px solid; padding: 4px 16px 8px; margin-top: 20px; background: #fafafa; }
.verdict h2 { border: 0; margin-top: 8px; }
.verdict.pass { border-color: #238b45; }
.verdict.fail { border-color: #cb181d; }
.verdict.inconclusive { border-color: #f16913; }
.verdict.none { border-color: #737373; }
#why li { margin-bottom: 10px; }
figure { margin: 0; overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid var(--border); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
tr.pattern td:first-child { padding-left: 22px; color: var(--muted); }
table.figures td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
table.delta td:nth-child(n+3) { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
footer { margin-top: 32px; font-size: 12px; }
`;
