// "Find my recovery codes" in the real app: a codes file planted in the sandbox's Downloads
// is found, named by account, imported into the real Secret Service, and no code is shown.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Driver } from "./webdriver.mjs";
import { assertAccessible } from "./a11y.mjs";

const CODES = [
  "3f9a0c1d2e4b5a68", "77c1e0d9b8a6f543", "a0b1c2d3e4f50617", "9e8d7c6b5a493827",
  "5f4e3d2c1b0a9988", "d1e2f3a4b5c6d7e8", "0123abcd4567ef89", "fedc0987ba654321",
];
const downloads = join(process.env.HOME, "Downloads");
const file = join(downloads, "PyPI-Recovery-Codes-findme-2025-06-01T09:30:00.txt");
let driver;

before(async () => {
  mkdirSync(downloads, { recursive: true });
  writeFileSync(file, CODES.join("\n") + "\n");
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
  await (await driver.find(".nav-item[data-area='codes']")).click();
});

after(async () => {
  await driver?.stop();
  rmSync(file, { force: true });
});

test("a planted codes file is found and imported, and no code reaches the page", async () => {
  await (await driver.find("#find-codes")).click();
  const found = await driver.waitForText("[data-testid='found-set']", (t) => t.includes("8 codes"));
  assert.match(found, /PyPI-Recovery-Codes-findme/);
  assert.match(found, /PyPI account findme/);
  assert.equal(await driver.execute("return document.querySelector('#find-account-0').value"), "findme");
  await driver.screenshot("codes-found");
  await assertAccessible(driver, "codes: a codes file found");
  await (await driver.find("[data-testid='found-set'] button.primary")).click();
  await driver.waitForText("[data-testid='found-set']", (t) => t.includes("Stored 8 codes for findme"));
  const remaining = await driver.waitForText("article[data-account='findme'] [data-testid='remaining']", (t) => t.includes("of 8"));
  assert.match(remaining, /8\s+of 8 codes left/);
  const page = await driver.execute("return document.body.innerText + document.body.innerHTML");
  for (const code of CODES) assert.ok(!page.includes(code), "a code reached the page");
});
