import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`), driven by playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_INSTALL = 'apt-get update && apt-get install -y chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Flags for a headless Chromium that talks to nothing but the page it is given. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenedPage {
  readonly page: Page;
  /** Console messages of type error, and uncaught page errors. */
  readonly errors: string[];
  /** Every request the page made other than the file itself. */
  readonly requests: string[];
}

/**
 * Opens a local file in a fresh headless Chromium (its own profile in a temp folder, removed afterwards), waits
 * until it has loaded, and hands the page to `use`.
 */
export async function withPage<T>(file: string, use: (opened: OpenedPage) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'zdd-test-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    const url = pathToFileURL(file).href;
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (request.url() !== url) requests.push(request.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    return await use({ page, errors, requests });
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/** Decodes a PNG data URL in the browser and counts its non-white pixels and its colours (plain JS: no DOM types here). */
const INK_SCRIPT = `async (dataUrl) => {
  const image = new Image();
  image.src = dataUrl;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, image.width, image.height);
  let inked = 0;
  const colours = new Set();
  for (let index = 0; index < data.length; index += 4) {
    const [r, g, b] = [data[index], data[index + 1], data[index + 2]];
    if (r < 245 || g < 245 || b < 245) inked++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { inked: inked / (data.length / 4), colours: colours.size, width: image.width, height: image.height };
}`;

/**
 * How much of a PNG is drawn, decoded by the browser itself in a blank page of `page`'s browser: the share of
 * pixels that are not white, the number of distinct colours, and its size.
 */
export async function inkOf(
  page: Page,
  png: Buffer,
): Promise<{ readonly inked: number; readonly colours: number; readonly width: number; readonly height: number }> {
  const blank = await page.context().newPage();
  try {
    return await blank.evaluate(
      `(${INK_SCRIPT})(${JSON.stringify(`data:image/png;base64,${png.toString('base64')}`)})`,
    );
  } finally {
    await blank.close();
  }
}
