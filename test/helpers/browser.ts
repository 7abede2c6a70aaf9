import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium (.ci/browser.sh installs it): Playwright never downloads a browser here. */
export const CHROMIUM = process.env.ORBITRA_CHROMIUM ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

/** Where the screenshots go: CI keeps the folder, git ignores it. */
export const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-results", "console");

/**
 * One headless Chromium for a whole test file. The flags are the ones this machine needs: without
 * the background-networking ones Chromium keeps dialling Google's hosts, which the closed network
 * (and the loopback guard's spirit) refuses. `evil.test` resolves to loopback for the DNS-rebinding test.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--host-resolver-rules=MAP evil.test 127.0.0.1",
    ],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core run in the page through the DevTools protocol (page.evaluate), which the page's CSP
 * does not govern: the console's own CSP stays exactly as served. Returns serious and critical findings.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // A string, not a function: the test project has no DOM types, and this runs in the page.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)`)) as AxeViolation[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** The view in light and in dark, as PNGs named for it. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}
