import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { IdentityStore } from "../../src/server/identity/identity-store.js";
import { hasChromium, launchChromium, screenshots, seriousViolations } from "../helpers/browser.js";
import { consoleDir } from "../helpers/console-build.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

/** The page's hide timer (src/console/components/reveal.tsx), run down with Playwright's fake clock. */
const REVEAL_MS = 15_000;
const VALUE = "ui-s3cr3t-value-7f3a";
const FILE_VALUE = "from-a-file-9c21";

// One browser for the file: starting Chromium is the slow part on two shared cores.
let browser: Browser;
const skip = hasChromium ? false : "Debian's chromium is not installed (.ci/browser.sh installs it)";

async function checkView(page: Page, name: string): Promise<void> {
  const found = await seriousViolations(page);
  assert.deepEqual(found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), [], `axe on ${name}`);
  await screenshots(page, name);
}

describe("the web console in Chromium (issue 13)", { skip }, () => {
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());

  describe("open mode", () => {
    let server: TestServer;
    let context: BrowserContext;
    let page: Page;
    const cspErrors: string[] = [];
    const secret = "created-in-ui";

    before(async () => {
      server = await startTestServer({ vaults: ["default", "second"], console: { dir: await consoleDir() } });
      const day = 86_400_000;
      for (let i = 0; i < 30; i++) {
        // app-05 expired yesterday, app-13 expires next month, app-21 is disabled: the list shows each at a glance.
        const expiresOn = i === 5 ? new Date(Date.now() - day) : i === 13 ? new Date(Date.now() + 30 * day) : undefined;
        server.store().setSecret(`app-${String(i).padStart(2, "0")}`, `seeded-${i}`, {
          tags: i % 10 === 7 ? { team: "blue" } : {},
          ...(expiresOn ? { expiresOn } : {}),
          ...(i === 21 ? { enabled: false } : {}),
        });
      }
      context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1100, height: 800 } });
      page = await context.newPage();
      page.on("console", (m) => m.text().includes("Content Security Policy") && cspErrors.push(m.text()));
      page.on("dialog", (d) => void d.accept());
    });
    after(async () => {
      await context?.close();
      await server?.close();
    });

    it("opens with the printed URL; the token leaves the address bar", async () => {
      await page.goto(server.vaults[0]!.consoleUrl!);
      await page.getByRole("heading", { name: "Secrets" }).waitFor();
      assert.doesNotMatch(page.url(), /token=/);
      await page.getByText("Page 1 of 2 (30 secrets)").waitFor();
      await checkView(page, "secrets");
    });

    it("pages past 25 secrets, searches names and tags, sorts", async () => {
      assert.equal(await page.locator("table.list tbody tr").count(), 25);
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByText("Page 2 of 2 (30 secrets)").waitFor();
      assert.deepEqual(await page.locator("table.list tbody tr td:first-child").allInnerTexts(), ["app-25", "app-26", "app-27", "app-28", "app-29"]);
      await page.getByLabel("Search").fill("team=blue");
      assert.deepEqual(await page.locator("table.list tbody tr td:first-child").allInnerTexts(), ["app-07", "app-17", "app-27"]);
      await page.getByLabel("Search").fill("");
      await page.getByLabel("Sort by").selectOption("exp");
      assert.deepEqual((await page.locator("table.list tbody tr td:first-child").allInnerTexts()).slice(0, 2), ["app-05", "app-13"]);
      assert.equal(await page.locator("table.list tbody tr").first().getByText("expired").count(), 1);
      await page.getByLabel("Sort by").selectOption("name");
    });

    it("is usable at 375 px: no sideways scrolling, rows as cards", async () => {
      await page.setViewportSize({ width: 375, height: 800 });
      assert.ok(await page.evaluate("document.documentElement.scrollWidth <= 375"), "no horizontal overflow");
      await checkView(page, "secrets-375px");
      await page.setViewportSize({ width: 1100, height: 800 });
    });

    it("navigates by keyboard: skip link, then the views", async () => {
      await page.reload();
      await page.getByRole("heading", { name: "Secrets" }).waitFor();
      for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
      assert.equal(await page.evaluate("document.activeElement?.textContent"), "Deleted");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Deleted secrets" }).waitFor();
    });

    it("creates a secret from text, with a tag; its value is not in the page", async () => {
      await page.goto(`${server.url}/_console/#/new`);
      await page.getByRole("heading", { name: "New secret" }).waitFor();
      await checkView(page, "new-secret");
      await page.getByLabel("Name (letters, digits, dashes)").fill(secret);
      await page.getByLabel("Value", { exact: true }).fill(VALUE);
      await page.getByRole("button", { name: "Add tag" }).click();
      await page.getByLabel("Tag 1 name").fill("env");
      await page.getByLabel("Tag 1 value").fill("dev");
      await page.getByRole("button", { name: "Create" }).click();
      await page.getByRole("heading", { name: secret }).waitFor();
      await page.getByRole("status").getByText(`Saved secret '${secret}'.`).waitFor();
      assert.equal(server.store().getSecret(secret).value.reveal(), VALUE);
      assert.ok(!(await page.content()).includes(VALUE), "the value left the form with the request");
      await checkView(page, "secret");
    });

    it("reveals a value only on click, and takes it out of the DOM again on a timer", async () => {
      assert.ok(!(await page.content()).includes(VALUE));
      await page.clock.install();
      await page.getByRole("button", { name: /^Reveal the value/ }).click();
      await page.getByTestId("revealed-value").waitFor();
      assert.equal(await page.getByTestId("revealed-value").innerText(), VALUE);
      await page.clock.runFor(REVEAL_MS + 1000);
      await page.getByTestId("revealed-value").waitFor({ state: "detached" });
      assert.ok(!(await page.content()).includes(VALUE), "gone after the timer");
    });

    it("copies a value to the clipboard without showing it", async () => {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
      await page.getByRole("button", { name: /^Copy the value/ }).click();
      await page.getByText(`Copied the value of '${secret}' to the clipboard.`).waitFor();
      assert.equal(await page.evaluate("navigator.clipboard.readText()"), VALUE);
      assert.ok(!(await page.content()).includes(VALUE));
    });

    it("adds a new version from a file", async () => {
      await page.getByRole("form", { name: "New version" }).getByLabel("or read it from a file").setInputFiles({ name: "v2.txt", mimeType: "text/plain", buffer: Buffer.from(FILE_VALUE) });
      await page.getByRole("button", { name: "Add version" }).click();
      await page.getByText("Added a new version.").waitFor();
      await page.locator("table.versions tbody tr").nth(1).waitFor();
      assert.equal(await page.locator("table.versions tbody tr").count(), 2);
      assert.equal(server.store().getSecret(secret).value.reveal(), FILE_VALUE);
    });

    it("edits tags and properties of the latest version", async () => {
      const form = page.getByRole("form", { name: "Properties of the latest version" });
      await form.getByRole("button", { name: "Add tag" }).click();
      await form.getByLabel("Tag 2 name").fill("owner");
      await form.getByLabel("Tag 2 value").fill("ada");
      await form.getByLabel("Content type").fill("text/plain");
      await form.getByRole("button", { name: "Save properties" }).click();
      await page.getByText("Saved the properties.").waitFor();
      const { secret: stored } = server.store().getSecret(secret);
      assert.deepEqual(stored.tags, { env: "dev", owner: "ada" });
      assert.equal(stored.contentType, "text/plain");
    });

    it("disables a version and shows it at a glance", async () => {
      const latest = page.locator("table.versions tbody tr").first();
      await latest.getByRole("button", { name: "Disable" }).click();
      await latest.getByText("disabled", { exact: true }).waitFor();
      await latest.getByRole("button", { name: "Enable" }).waitFor();
      assert.equal(server.store().listSecretVersions(secret).items.filter((v) => !v.enabled).length, 1);
    });

    it("downloads a backup, deletes, recovers, deletes, purges, and restores from the file", async () => {
      const downloaded = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download backup" }).click();
      const file = join(mkdtempSync(join(tmpdir(), "orbitra-console-dl-")), "backup");
      await (await downloaded).saveAs(file);
      assert.ok(readFileSync(file, "utf8").length > 40);
      assert.ok(!readFileSync(file, "utf8").includes(FILE_VALUE), "the backup is sealed");

      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("heading", { name: "Deleted secrets" }).waitFor();
      await page.getByRole("cell", { name: secret, exact: true }).waitFor();
      await checkView(page, "deleted");
      await page.getByRole("button", { name: `Recover ${secret}` }).click();
      await page.getByText(`Recovered '${secret}'.`).waitFor();
      assert.equal(server.store().listDeletedSecrets().items.length, 0);

      await page.goto(`${server.url}/_console/#/secret/${secret}`);
      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("button", { name: `Purge ${secret}` }).click();
      await page.getByText(`Purged '${secret}'.`).waitFor();
      await page.getByText("No deleted secrets.").waitFor();

      await page.goto(`${server.url}/_console/#/new`);
      await page.getByLabel("Backup file").setInputFiles(file);
      await page.getByRole("heading", { name: secret }).waitFor();
      await page.locator("table.versions tbody tr").nth(1).waitFor();
      assert.equal(await page.locator("table.versions tbody tr").count(), 2);
      rmSync(file, { force: true });
    });

    it("lists the server's vaults, each with its own console", async () => {
      await page.goto(`${server.url}/_console/#/vaults`);
      await page.getByRole("link", { name: "second" }).waitFor();
      const href = await page.getByRole("link", { name: "second" }).getAttribute("href");
      assert.equal(new URL(href!).origin, new URL(server.vaults[1]!.url).origin);
      await checkView(page, "vaults");
    });

    it("runs under its strict CSP without a single violation", () => {
      assert.deepEqual(cspErrors, []);
    });

    it("refuses a page reached under a foreign name (DNS rebinding)", async () => {
      const other = await context.newPage();
      const answer = await other.goto(`https://evil.test:${new URL(server.url).port}/_console/`);
      assert.equal(answer!.status(), 400);
      assert.match(await other.content(), /not a name of this server/);
      await other.close();
    });

    it("says so when the link is from an earlier start", async () => {
      const fresh = await browser.newContext({ ignoreHTTPSErrors: true });
      const stale = await fresh.newPage();
      await stale.goto(`${server.url}/_console/#token=from-an-earlier-start`);
      await stale.getByRole("alert").getByText(/earlier start/).waitFor();
      await fresh.close();
    });
  });

  describe("strict mode", () => {
    let server: TestServer;
    let dataDir: string;
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "orbitra-console-strict-"));
      const identities = IdentityStore.open(dataDir);
      const { principal } = identities.addPrincipal("rita", "user");
      identities.assignRole(principal.id, "Key Vault Reader", undefined);
      identities.close();
      server = await startTestServer({ dataDir, auth: "strict", strict: { autoApprove: "rita" }, console: { dir: await consoleDir() } });
      server.store().setSecret("visible-to-readers", "reader-cannot-see-this");
      context = await browser.newContext({ ignoreHTTPSErrors: true });
      page = await context.newPage();
    });
    after(async () => {
      await context?.close();
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("signs in through the server's authorization-code + PKCE flow", async () => {
      await page.goto(server.vaults[0]!.consoleUrl!);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      await checkView(page, "sign-in");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("link", { name: "visible-to-readers" }).waitFor();
      assert.doesNotMatch(page.url(), /code=/, "the code leaves the address bar");
    });

    it("shows Key Vault's 403 message when a reader tries a write, and stays usable", async () => {
      await page.goto(`${server.url}/_console/#/new`);
      await page.getByLabel("Name (letters, digits, dashes)").fill("not-allowed");
      await page.getByLabel("Value", { exact: true }).fill("x");
      await page.getByRole("button", { name: "Create" }).click();
      const alert = page.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /^Not allowed: .*(secrets\/setSecret|not authorized|permission)/is);
      await checkView(page, "forbidden");
      await page.getByRole("link", { name: "Secrets" }).click();
      await page.getByRole("link", { name: "visible-to-readers" }).waitFor();
      assert.throws(() => server.store().getSecret("not-allowed"));
    });
  });
});
