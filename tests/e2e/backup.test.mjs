// The Backup area in the real app, with the real Secret Service: export an encrypted backup,
// check it straight away, restore it over a changed vault, and open the paper kit. Each test
// starts from a fresh page, with the same codes stored; the restore makes its own backup.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Driver, answerPrompts, askedPrompts, promptShown } from "./webdriver.mjs";
import { assertAccessible } from "./a11y.mjs";

const CODES = ["0a1b2c3d4e5f6a7b", "8c9d0e1f2a3b4c5d", "6e7f8a9b0c1d2e3f"];
const ACCOUNT = "backup-e2e";
const PASSPHRASE = "ozone spark velvet harbor";
const DIR = mkdtempSync(join(tmpdir(), "backup-e2e-"));
const FILE = join(DIR, "backup.age");
const card = `article[data-account='${ACCOUNT}']`;
let driver;

async function area(id) {
  await (await driver.find(`.nav-item[data-area='${id}']`)).click();
  await driver.find(`main[data-area='${id}']`);
}

before(async () => {
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
  await driver.store("codes_import", { account: ACCOUNT, text: CODES.join("\n") });
});

after(async () => {
  await driver?.stop();
  rmSync(DIR, { recursive: true, force: true });
});

test("export an encrypted backup, then check it at once", async () => {
  await driver.fresh("backup");
  await (await driver.find("#export-passphrase")).type(PASSPHRASE);
  await driver.waitForText("[data-testid='passphrase-hint']", (t) => t.startsWith("Strength"));
  await (await driver.find("#export-confirm")).type(PASSPHRASE);
  await driver.screenshot("backup-export-filled");
  await assertAccessible(driver, "backup: export, passphrase and its strength");
  // Rust opens the save dialog, named after what it saves; the test double answers it.
  const shown = askedPrompts().length;
  answerPrompts(FILE);
  await (await driver.find("#export-title ~ form button[type='submit']")).click();
  const asked = await promptShown(shown + 1);
  assert.equal(asked.kind, "save");
  assert.match(asked.question.title, new RegExp(`Save the encrypted backup of .*${ACCOUNT}`));
  assert.match(asked.question.file_name, /^pypi-recovery-backup-\d{4}-\d{2}-\d{2}\.age$/);
  await driver.waitForText("[data-testid='exported']", (t) => t.includes("backup.age"));
  await assertAccessible(driver, "backup: exported");
  const bytes = readFileSync(FILE);
  assert.ok(bytes.subarray(0, 22).toString() === "age-encryption.org/v1\n", "an age file");
  assert.ok(!bytes.toString("latin1").includes(CODES[0]), "no plaintext code in the file");

  await (await driver.find("[data-testid='exported'] button")).click();
  await (await driver.find("#check-passphrase")).type(PASSPHRASE);
  await (await driver.find("#check-passphrase")).type("\uE007");
  const checked = await driver.waitForText("[data-testid='checked']", (t) => t.includes(ACCOUNT));
  assert.match(checked, new RegExp(`${ACCOUNT}\\s*3 of 3 unused`));
  await driver.execute("document.querySelector(arguments[0]).scrollIntoView()", ["[data-testid='checked']"]);
  await driver.screenshot("backup-checked");
  await assertAccessible(driver, "backup: checked");
});

test("restore shows the change, and replaces only once confirmed", async () => {
  const file = join(DIR, "to-restore.age");
  answerPrompts(file); // where the backup is saved
  await driver.store("backup_export", { passphrase: PASSPHRASE });
  await driver.fresh("codes");
  await (await driver.button(/^Mark code \d+ as used$/, { within: card })).click();
  await driver.waitForText(`${card} [data-testid='remaining']`, (t) => /2\s+of 3/.test(t));

  await area("backup");
  answerPrompts(file);
  await (await driver.find("#restore-title ~ form .inline button")).click();
  await driver.waitForText("[data-testid='restore-file']", (t) => t.trim() === "to-restore.age");
  await (await driver.find("#restore-passphrase")).type(PASSPHRASE);
  await (await driver.find("#restore-passphrase")).type("\uE007");
  const plan = await driver.waitForText("[data-testid='restore-plan']", (t) => t.includes(ACCOUNT));
  assert.match(plan, /Recovery codes: differs/);
  await driver.execute("document.querySelector(arguments[0]).scrollIntoView()", ["[data-testid='restore-plan']"]);
  await driver.screenshot("backup-restore-plan");
  await assertAccessible(driver, "backup: restore, the plan");
  // Replacing is confirmed natively, naming the account: first No, then Yes.
  const shown = askedPrompts().length;
  answerPrompts(false);
  await (await driver.find("[data-testid='restore-plan'] button.primary")).click();
  const asked = await promptShown(shown + 1);
  assert.equal(asked.question.title, `Replace what is stored for ${ACCOUNT}?`);
  answerPrompts(true);
  await (await driver.find("[data-testid='restore-plan'] button.primary")).click();
  await driver.waitForText("#restore-title ~ .notice", (t) => t.includes("Restored"));
  await assertAccessible(driver, "backup: restored");

  await area("codes");
  await driver.waitForText(`${card} [data-testid='remaining']`, (t) => /3\s+of 3/.test(t));
});

test("the paper kit shows every code, ready to print", async () => {
  await driver.fresh("backup");
  await (await driver.find("#paper-qr")).click();
  answerPrompts(true);
  await (await driver.find("#paper-title ~ button.secondary")).click();
  const kit = await driver.waitForText("[data-testid='paper-kit']", (t) => t.includes(ACCOUNT));
  assert.match(kit, /0a1b 2c3d 4e5f 6a7b/);
  await driver.execute(`document.querySelector("[aria-label='Paper kit for ${ACCOUNT}'] h3").scrollIntoView({ block: "center" })`, []);
  await driver.screenshot("backup-paper-kit");
  await assertAccessible(driver, "backup: the paper kit");
  await (await driver.find(".paper-kit-controls .secondary")).click();
  await driver.waitForText("main", (t) => !t.includes("0a1b 2c3d"));
});
