// The webview asks; Rust decides. A script running in the page (a compromised dependency, a
// markup bug) tries what the UI never does: pass a path, skip the confirmation, reach the
// dialog plugin. The isolation hook drops calls with arguments a command does not take, and
// every removal waits for the native confirmation, whatever the page sends.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Driver, answerPrompts, askedPrompts, promptShown } from "./webdriver.mjs";

const ACCOUNT = "rust-decides";
const CODES = "1a2b3c4d5e6f7a8b\n9c0d1e2f3a4b5c6d";
const DIR = mkdtempSync(join(tmpdir(), "rust-decides-"));
const REQUEST = {
  version: 1,
  username: "mirafoss",
  reason: "Lost 2FA authentication app or security token",
  recovery_codes_lost: true,
  code_of_conduct: true,
  acknowledge_delay: true,
  private: { emails: [], new_email: "", projects: [], account_created: "", details: "" },
};
let driver;

before(async () => {
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
  await driver.find("main");
});

after(async () => {
  await driver?.stop();
  rmSync(DIR, { recursive: true, force: true });
});

test("an injected export with a path is dropped before Rust, and writes nothing", async () => {
  const planted = join(DIR, "bashrc");
  const shown = askedPrompts().length;
  const result = await driver.invoke("request_export", { request: REQUEST, path: planted }, { wait: 3000 });
  assert.deepEqual(result, { pending: true });
  assert.equal(askedPrompts().length, shown, "no dialog opened: the call never reached Rust");
  assert.ok(!existsSync(planted));
  // Nor can the page open a file dialog itself, or set a flag the command does not take.
  assert.deepEqual(await driver.invoke("plugin:dialog|save", { options: {} }, { wait: 2000 }), { pending: true });
  const replace = await driver.invoke("codes_import", { account: ACCOUNT, text: CODES, replace: true }, { wait: 2000 });
  assert.deepEqual(replace, { pending: true });
});

test("a removal sent by a script still waits for the native confirmation", async () => {
  const imported = await driver.invoke("codes_import", { account: ACCOUNT, text: CODES });
  assert.equal(imported.ok?.total, 2, JSON.stringify(imported));
  const shown = askedPrompts().length;
  answerPrompts(false);
  const refused = await driver.invoke("codes_remove", { account: ACCOUNT });
  assert.equal(refused.error?.code, "cancelled", JSON.stringify(refused));
  const asked = await promptShown(shown + 1);
  assert.equal(asked.kind, "confirm");
  assert.equal(asked.question.title, `Remove the recovery codes for ${ACCOUNT}?`);
  const listed = await driver.invoke("codes_list", {});
  assert.ok(listed.ok.some((set) => set.account === ACCOUNT), "still stored");

  answerPrompts(true);
  assert.deepEqual(await driver.invoke("codes_remove", { account: ACCOUNT }), { ok: true });
});

test("the page may zoom itself only to a zoom level, and no other webview", async () => {
  const width = () => driver.execute("return window.innerWidth");
  const before = await width();
  assert.deepEqual(await driver.invoke("plugin:webview|set_webview_zoom", { value: 1.25 }), { ok: null });
  for (let i = 0; i < 20 && (await width()) === before; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(Math.abs((await width()) - before / 1.25) <= 2, "zoomed to 125%");
  for (const args of [{ value: 50 }, { value: 0 }, { value: "2" }, { value: 1.5, label: "other" }]) {
    assert.deepEqual(await driver.invoke("plugin:webview|set_webview_zoom", args, { wait: 1500 }), { pending: true }, JSON.stringify(args));
  }
  assert.deepEqual(await driver.invoke("plugin:webview|set_webview_zoom", { value: 1 }), { ok: null });
});
