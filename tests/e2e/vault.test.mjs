// The encrypted vault file in the real app, on a machine with no keychain: this file's app
// runs without a D-Bus session, so the status line offers the vault; secrets then go there,
// and locking hides them until the passphrase is typed again. The tests after the first open
// the vault themselves when it is not open yet, from a fresh page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Driver } from "./webdriver.mjs";
import { assertAccessible } from "./a11y.mjs";

const PASSPHRASE = "lantern oxide meadow quiet";
const CODES = ["1f2e3d4c5b6a7988", "99aa88bb77cc66dd"];
let driver;

before(async () => {
  // Node runs each test file in its own process, so this reaches only this file's app.
  process.env.DBUS_SESSION_BUS_ADDRESS = "unix:path=/nonexistent/bus";
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
});

after(async () => {
  await driver?.stop();
});

async function openVault() {
  await (await driver.find("#vault-passphrase")).type(PASSPHRASE);
  const confirm = await driver.execute("return !!document.querySelector('#vault-confirm')", []);
  if (confirm) await (await driver.find("#vault-confirm")).type(PASSPHRASE);
  await (await driver.find(".vault-form button[type='submit']")).click();
  await driver.waitForText("[data-testid='keychain-state']", (t) => t === "unlocked");
}

/** A fresh page on `area`, with the vault file open (created on first use). */
async function inOpenVault(area) {
  await driver.fresh(area);
  const state = await driver.waitForText("[data-testid='keychain-state']", (t) => ["unavailable", "locked", "unlocked"].includes(t));
  if (state !== "unlocked") {
    await driver.store("vault_open", { passphrase: PASSPHRASE });
    await driver.fresh(area);
    await driver.waitForText("[data-testid='keychain-state']", (t) => t === "unlocked");
  }
}

test("with no keychain, the status line offers an encrypted vault file", async () => {
  await driver.waitForText("[data-testid='keychain-state']", (t) => t === "unavailable");
  await assertAccessible(driver, "status line: the keychain unavailable");
  await (await driver.find(".status-line button")).click();
  await driver.waitForText(".vault-form h2", (t) => t.includes("encrypted file"));
  await driver.screenshot("vault-offer");
  await assertAccessible(driver, "status line: the vault file offered");
  await openVault();
});

test("recovery codes go into the vault file, encrypted", async () => {
  await inOpenVault("codes");
  await (await driver.find("#codes-account")).type("vaulted");
  await (await driver.find("#codes-text")).type(CODES.join("\uE007"));
  await (await driver.find("#codes-submit")).click();
  await driver.waitForText("article[data-account='vaulted'] [data-testid='remaining']", (t) => t.includes("of 2"));
  const path = join(process.env.XDG_DATA_HOME, "pypi-recovery-assistant", "vault.age");
  assert.ok(existsSync(path), path);
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(0, 22).toString(), "age-encryption.org/v1\n");
  assert.ok(!bytes.toString("latin1").includes(CODES[0]), "no plaintext code in the vault file");
});

test("locking hides the codes until the passphrase is typed again", async () => {
  await inOpenVault("codes");
  await driver.store("codes_import", { account: "vaulted-lock", text: CODES.join("\n") });
  await (await driver.button("Lock now", { within: ".status-line" })).click();
  await driver.waitForText("[data-testid='keychain-state']", (t) => t === "locked");
  await driver.waitForText("main", (t) => t.includes("vault file is locked"));
  await driver.screenshot("vault-locked");
  await assertAccessible(driver, "status line: the vault file locked");
  await (await driver.find(".status-line button")).click();
  await openVault();
  await driver.waitForText("article[data-account='vaulted-lock'] [data-testid='remaining']", (t) => t.includes("of 2"));
});
