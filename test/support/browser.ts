/**
 * A headless Chromium that ships inside an npm package (@sparticuz/chromium), driven by
 * playwright-core: no apt, no browser download, the same on a fresh machine and in CI.
 *
 * `executablePath()` unpacks the browser into the temp folder (≈1.5 s the first time). It checks
 * only whether the files exist, so two test processes unpacking at once could launch a half-written
 * binary. Each unpack therefore goes to a private folder that is renamed into place in one step;
 * whoever renames first wins and the others use its copy.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import chromiumPackage from '@sparticuz/chromium';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

const packageJson = join(
  dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')),
  '..',
  '..',
  'package.json',
);
const VERSION: string = JSON.parse(readFileSync(packageJson, 'utf8')).version;

/** Where the unpacked browser lives (its binary is `chromium` in that folder, with its GL libraries beside it). */
const HOME = join(tmpdir(), `careloop-chromium-${VERSION}`);

async function unpack(): Promise<string> {
  const binary = join(HOME, 'chromium');
  if (existsSync(binary)) return binary;
  const staging = mkdtempSync(join(tmpdir(), 'careloop-chromium-unpack-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = staging; // the package unpacks into os.tmpdir()
  try {
    await chromiumPackage.executablePath();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  try {
    renameSync(staging, HOME);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process got there first
  }
  if (!existsSync(binary)) throw new Error(`Chromium could not be unpacked into ${HOME}`);
  return binary;
}

const WEAKENING = ['--headless', '--disable-web-security', '--allow-running-insecure-content', '--single-process'];

export async function launchChromium(): Promise<Browser> {
  const launch = async () =>
    chromium.launch({
      executablePath: await unpack(),
      // The package's flags for a sandbox-less process, less those that would weaken what the tests check
      // (same-origin policy, mixed content) and --single-process, with which a second browser context
      // (e.g. one with JavaScript off) crashes the browser; playwright-core sets headless itself.
      args: chromiumPackage.args.filter((arg) => !WEAKENING.some((flag) => arg.startsWith(flag))),
      headless: true,
    });
  try {
    return await launch();
  } catch (error) {
    // Seen once with a second suite beside on two cores: the browser died (SIGSEGV) while starting,
    // before any page. Starting is not what the tests check: one more start, then the error stands.
    console.warn(`Chromium did not start (${(error as Error).message.split('\n')[0]}); starting it again`);
    return launch();
  }
}

/** The folder screenshots go to (gitignored). */
export function artifacts(): string {
  mkdirSync('test-artifacts', { recursive: true });
  return 'test-artifacts';
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/**
 * axe-core (the npm package) injected into the page; the serious and critical violations of
 * WCAG 2.0/2.1 A and AA rules. Injected through the debugging protocol, so a page's
 * Content-Security-Policy (no inline script) does not block it.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  const results: axe.AxeResults = await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}
