import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CompareSummary } from '../../src/results-folder/summary-file.js';
import { CHROMIUM_INSTALL, hasChromium, inkOf, withPage } from '../helpers/browser.js';
import { zdd } from '../helpers/cli.js';
import { JMETER, tempFolders } from '../helpers/report-fixtures.js';

/**
 * The reports as a reader sees them: opened in headless Chromium, offline. The page must make no request and log
 * no error, the chart must hold every series and the events, and it must actually draw something.
 */
const temp = tempFolders();
const skip = !hasChromium;
const why = `(skipped: Chromium is not installed: ${CHROMIUM_INSTALL})`;

/** The 5xx colour of the chart (timeline-plot.ts OUTCOME_COLORS). */
const RED_5XX = '#cb181d';

describe('report.html and timeline.svg in a browser', () => {
  test.skipIf(skip)(
    `zdd report DIR: report.html opens offline with the timeline of both variants ${skip ? why : ''}`,
    async () => {
      const folder = await temp.copy();
      expect((await zdd(['report', folder])).exitCode).toBe(0);
      const summary = JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8')) as CompareSummary;
      await withPage(join(folder, 'report.html'), async ({ page, errors, requests }) => {
        expect(await page.locator('#verdict').textContent()).toContain(summary.verdict.message);
        const chart = page.locator('#timeline svg');
        expect(await chart.count()).toBe(1);
        for (const variant of summary.variants) {
          const panel = (name: string) => chart.locator(`g[data-panel="${name}"][data-variant="${variant.name}"]`);
          // Successful requests in every panel; failures drawn in the 5xx colour only where there were some.
          expect(await panel('requests').locator('g.zdd-requests rect').count()).toBeGreaterThan(10);
          const red = await panel('requests').locator(`g.zdd-requests rect[fill="${RED_5XX}"]`).count();
          if (variant.byKind.http_5xx > 0) expect(red).toBeGreaterThan(0);
          else expect(red).toBe(0);
          const outages = await panel('requests').locator('g.zdd-outage rect').count();
          if (variant.failed > 0) expect(outages).toBeGreaterThan(0);
          else expect(outages).toBe(0);
          expect(await panel('latency').locator('g.zdd-p95 path').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
          expect(await panel('requests').locator('g.zdd-rollout-start line').count()).toBe(1);
          expect(await panel('requests').locator('g.zdd-rollout-end line').count()).toBe(1);
          const events = (await panel('events').locator('g.zdd-events title').allTextContents()).map(
            (title) => title.split(' ')[0],
          );
          for (const type of [
            'rollout-started',
            'rollout-completed',
            'pod-created',
            'pod-ready',
            'pod-deleted',
            'endpoints-changed',
            'router-reloaded',
          ]) {
            expect(events, `${variant.name}: ${type}`).toContain(type);
          }
          expect(events).toContain(variant.role === 'default' ? 'sigterm' : 'prestop-started');
          expect(await panel('caption').textContent()).toContain(
            `${variant.failed} of ${variant.requests} requests failed`,
          );
        }
        const cells = await page.locator('#comparison tbody tr').first().locator('td').allTextContents();
        const [defaults] = summary.variants;
        expect(cells.slice(0, 4)).toEqual([
          defaults?.name,
          String(defaults?.requests),
          defaults?.avgMs.toFixed(1),
          `${((defaults?.errorRate ?? 0) * 100).toFixed(2)} %`,
        ]);
        expect(await page.locator('#settings-delta').textContent()).toContain('readinessProbe');
        const shot = await page.screenshot({ fullPage: true });
        const ink = await inkOf(page, shot);
        expect(ink.height).toBeGreaterThan(1500);
        expect(ink.inked).toBeGreaterThan(0.05);
        expect(ink.colours).toBeGreaterThan(50);
        const chartShot = await chart.screenshot();
        expect((await inkOf(page, chartShot)).inked).toBeGreaterThan(0.1);
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);
      });
    },
  );

  test.skipIf(skip)(`timeline.svg opens as an image of its own ${skip ? why : ''}`, async () => {
    const folder = await temp.copy();
    expect((await zdd(['report', folder])).exitCode).toBe(0);
    await withPage(join(folder, 'timeline.svg'), async ({ page, errors, requests }) => {
      // An XML error would show as a <parsererror> page instead of the chart.
      expect(await page.locator('parsererror').count()).toBe(0);
      expect(await page.locator('svg g[data-panel="requests"]').count()).toBe(2);
      const ink = await inkOf(page, await page.screenshot());
      expect(ink.inked).toBeGreaterThan(0.1);
      expect(ink.colours).toBeGreaterThan(50);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    });
  });

  test.skipIf(skip)(
    `zdd report --from JMeter results: the same page, the failures explained ${skip ? why : ''}`,
    async () => {
      const out = await temp.folder();
      const result = await zdd([
        'report',
        '--from',
        join(JMETER, 'rollout.jtl'),
        '--events',
        join(JMETER, 'rollout.events.ndjson'),
        '--out',
        out,
      ]);
      expect(result.exitCode, result.stderr).toBe(0);
      await withPage(join(out, 'report.html'), async ({ page, errors, requests }) => {
        expect(await page.locator('#why').textContent()).toContain(
          '503s (32 of 33 failed requests, +0.7 s to +2.8 s) come from new pods the router sent requests to before they were ready',
        );
        const panel = page.locator('#timeline g[data-panel="requests"][data-variant="default-app"]');
        expect(await panel.locator(`g.zdd-requests rect[fill="${RED_5XX}"]`).count()).toBeGreaterThan(0);
        expect(await panel.locator('g.zdd-outage rect').count()).toBeGreaterThan(0);
        expect((await inkOf(page, await page.screenshot({ fullPage: true }))).inked).toBeGreaterThan(0.05);
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);
      });
    },
  );
});
