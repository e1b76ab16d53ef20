// A leak scan through the real app. Fresh canary secrets go in through every area: recovery
// codes (revealed, copied, marked used), an authenticator key (code shown, new-phone reveal),
// a password typed in Password check, a backup passphrase (backup made and checked), and a
// request whose reason holds a PyPI token. Then every file written under the temporary HOME
// and /tmp since the start (XDG data, config and cache, WebKit's storage, the draft, the log,
// the vaults), and the app's own stdout and stderr, are searched: no canary may appear,
// in ASCII or UTF-16, outside the keychain and the encrypted files (where it is not plain).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, lstatSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Driver, answerPrompts } from "./webdriver.mjs";

const started = Date.now();
const hex = (bytes) => randomBytes(bytes).toString("hex");
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const base32 = (n) => Array.from(randomBytes(n), (b) => BASE32[b % 32]).join("");

const ACCOUNT = `leak-${hex(3)}`;
const CODES = [hex(8), hex(8), hex(8)];
const TOTP_SECRET = base32(32);
const PASSWORD = `Canary-${hex(6)}-pw`;
const PASSPHRASE = `canary ${hex(5)} velvet harbor`;
const TOKEN = `pypi-AgEIcHlwaS5vcmc${hex(24)}`;
const CANARIES = { codes: CODES, "TOTP secret": [TOTP_SECRET, TOTP_SECRET.match(/.{4}/g).join(" ")], password: [PASSWORD], passphrase: [PASSPHRASE], token: [TOKEN] };
const HOME = process.env.HOME;
let driver;

const click = async (selector) => (await driver.find(selector)).click();
async function area(id) {
  await click(`.nav-item[data-area='${id}']`);
  await driver.find(`main[data-area='${id}']`);
}

before(async () => {
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e", capture: true });
});

after(async () => {
  await driver?.stop();
});

/** Puts the canaries in through every area, as a user would. */
async function putCanariesIn() {
  await area("codes");
  await (await driver.find("#codes-account")).type(ACCOUNT);
  await (await driver.find("#codes-text")).type(CODES.join("\uE007"));
  await click("#codes-submit");
  const card = `article[data-account='${ACCOUNT}']`;
  await driver.waitForText(`${card} [data-testid='remaining']`, (t) => t.includes("of 3"));
  answerPrompts(true);
  await (await driver.button("Reveal next code", { within: card })).click();
  await driver.waitForText(`${card} [data-testid='revealed']`, (t) => t.includes(CODES[0].slice(0, 4)));
  await (await driver.button("Copy next code", { within: card })).click();
  await driver.waitForText(`${card} [data-testid='clipboard-countdown']`, (t) => /clears in/.test(t));
  await (await driver.button(/^Mark code \d+ as used$/, { within: card })).click();
  await driver.waitForText(`${card} [data-testid='remaining']`, (t) => /2\s+of 3/.test(t));

  await area("authenticator");
  await (await driver.find("#totp-link")).type(`otpauth://totp/PyPI:${ACCOUNT}?secret=${TOTP_SECRET}&issuer=PyPI`);
  await driver.execute("document.querySelector('#totp-link').form.requestSubmit()");
  const totpCard = `article[data-account='${ACCOUNT}']`;
  await driver.waitForText(`${totpCard} header`, (t) => t.includes(ACCOUNT));
  await (await driver.button("Show code", { within: totpCard })).click();
  await driver.waitForText(`${totpCard} [data-testid='totp-code'] .code`, (t) => /^\d{3} \d{3}$/.test(t.trim()));
  answerPrompts(true);
  await click(`${totpCard} .new-phone button`);
  await driver.waitForText(`${totpCard} [data-testid='setup-key']`, (t) => t.length > 0);
  await click(`${totpCard} .new-phone .secondary`);

  await area("password");
  await (await driver.find("#pw-input")).type(PASSWORD);
  await driver.waitForText("[data-testid='verdict']", (t) => t.includes("PyPI will"));

  await area("backup");
  await (await driver.find("#export-passphrase")).type(PASSPHRASE);
  await (await driver.find("#export-confirm")).type(PASSPHRASE);
  mkdirSync(join(HOME, "Documents"), { recursive: true });
  answerPrompts(join(HOME, "Documents", "leak-scan.age"));
  await click("#export-title ~ form button[type='submit']");
  await driver.waitForText("[data-testid='exported']", (t) => t.includes("leak-scan.age"));
  await click("[data-testid='exported'] button");
  await (await driver.find("#check-passphrase")).type(PASSPHRASE + "\uE007");
  await driver.waitForText("[data-testid='checked']", (t) => t.includes(ACCOUNT));

  await area("recover");
  for (const [question, value] of [["site", "pypi"], ["own_account", "yes"], ["compromised", "no"], ["email", "yes"], ["password", "known"], ["totp", "lost"], ["security_key", "none"], ["recovery_codes", "no"]]) {
    await click(`input[name='${question}'][value='${value}']`);
  }
  await click("#find-path");
  await click("[data-testid='advice'] button.primary");
  await (await driver.find("#req-username")).type(ACCOUNT);
  await click("#wizard-continue");
  await (await driver.find("#req-reason")).type(` My token is ${TOKEN}`);
  await driver.waitForText(".finding", (t) => t.length > 0);
  await driver.waitForText("[data-testid='unsaved']", (t) => t.length > 0);
  await sleep(1500); // past the 500 ms autosave, which must refuse to write it
}

/** Every regular file under `dir` changed since the test began. */
function changedFiles(dir, found = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found; // unreadable (another user's) or gone
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) changedFiles(path, found);
    else if (entry.isFile()) {
      try {
        const stat = lstatSync(path);
        if (stat.mtimeMs >= started - 1000 && stat.size < 64 * 1024 * 1024) found.push(path);
      } catch {
        // vanished meanwhile
      }
    }
  }
  return found;
}

// One test, not two: what it searches is what the same test put in.
test("canaries put in through every area are in no file written, nor in the app's output", async (t) => {
  await putCanariesIn();
  // Quit first: what the app and WebKit write on the way out is searched too.
  await driver.stop();
  const output = Buffer.concat(driver.output);
  driver = null;
  // A control: a value planted on purpose, in UTF-16 as Windows would, must be found.
  const control = `control-${hex(6)}`;
  mkdirSync(join(HOME, ".cache"), { recursive: true });
  writeFileSync(join(HOME, ".cache", "leak-scan-control"), Buffer.from(control, "utf16le"));
  const files = [...new Set([...changedFiles(HOME), ...changedFiles(tmpdir())])];
  assert.ok(files.some((f) => f.endsWith("leak-scan.age")), "the scan sees the files the app wrote");
  const texts = files.map((file) => {
    try {
      return [file, readFileSync(file)];
    } catch {
      return [file, Buffer.alloc(0)];
    }
  });
  texts.push(["the app's stdout and stderr", output]);
  t.diagnostic(`searched ${texts.length - 1} files written under HOME and /tmp, and ${texts.at(-1)[1].length} bytes of output`);
  const leaks = [];
  for (const [what, values] of Object.entries({ ...CANARIES, control: [control] })) {
    for (const value of values) {
      const spellings = [Buffer.from(value, "utf8"), Buffer.from(value, "utf16le")];
      for (const [file, bytes] of texts) {
        if (spellings.some((s) => bytes.includes(s))) leaks.push(`${what} in ${file}`);
      }
    }
  }
  assert.deepEqual(leaks, [`control in ${join(HOME, ".cache", "leak-scan-control")}`], `searched ${texts.length} files and the app's output`);
});
