// The Authenticator area in the real app, with the real Secret Service: import a QR
// screenshot through the file chooser, see the live code, check it as if typed from a phone
// (codes computed independently by oathtool), and show the QR code for a new phone. Each test
// starts from a fresh page; those after the import store their own account's key first.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Driver, answerPrompts, askedPrompts, promptShown } from "./webdriver.mjs";
import { assertAccessible } from "./a11y.mjs";

// The screenshot holds this test-only key for the account "mirafoss".
const SECRET = "KRSXG5CTMVRXEZLUKN2G64TFMQYTEMZU";
const IMAGE = fileURLToPath(new URL("./pypi-setup-qr.png", import.meta.url));
const cardOf = (account) => `article[data-account='${account}']`;
let driver;

/** The code a phone would show at `offset` seconds from now, from an independent implementation. */
function phoneCode(offset = 0) {
  const at = Math.floor(Date.now() / 1000) + offset;
  return execFileSync("oathtool", ["--totp", "--base32", `--now=@${at}`, SECRET], { encoding: "utf8" }).trim();
}

before(async () => {
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
});

/** A fresh Authenticator area, with the screenshot's key stored for `account`. */
async function stored(account) {
  await driver.store("totp_import_link", { account, link: `otpauth://totp/PyPI:mirafoss?secret=${SECRET}&issuer=PyPI` });
  await driver.fresh("authenticator");
  await driver.find(cardOf(account));
  return cardOf(account);
}

after(async () => {
  await driver?.stop();
});

test("import a QR screenshot through the file chooser", async () => {
  await driver.fresh("authenticator");
  const card = cardOf("mirafoss");
  await (await driver.find("#totp-tab-image")).click();
  await (await driver.find("#totp-image")).type(IMAGE);
  const header = await driver.waitForText(`${card} header`, (t) => t.includes("PyPI"));
  assert.match(header, /mirafoss/);
  const text = await (await driver.find(card)).text();
  assert.match(text, /6 digits every 30 s · SHA1/);
  const page = await driver.execute("return document.body.innerText", []);
  assert.ok(!page.includes(SECRET) && !page.includes("KRSX G5CT"), "the secret is not on screen");
});

test("show the live code with its countdown", async () => {
  const card = await stored("mirafoss-show");
  await (await driver.button("Show code", { within: card })).click();
  const shown = await driver.waitForText(`${card} [data-testid='totp-code'] .code`, (t) => /^\d{3} \d{3}$/.test(t.trim()));
  const code = shown.replace(/\s/g, "");
  // The code may have turned between the app's read and ours.
  assert.ok([phoneCode(-30), phoneCode(0), phoneCode(30)].includes(code), `${code} is the current code`);
  const ring = await (await driver.find(`${card} [role='timer']`)).attribute("aria-label");
  assert.match(ring, /^\d+ seconds left$/);
  await driver.screenshot("authenticator-code");
  await assertAccessible(driver, "authenticator: the live code and its ring");
});

test("a code typed from the phone matches; one from a skewed clock is named as such", async () => {
  const card = await stored("mirafoss-verify");
  const input = await driver.find(`${card} .verify input`);
  await input.type(phoneCode());
  await (await driver.find(`${card} .verify button[type='submit']`)).click();
  await driver.waitForText(`${card} [data-testid='verdict']`, (t) => t.includes("It matches"));
  await driver.screenshot("authenticator-verified");
  await input.type(phoneCode(150));
  await (await driver.find(`${card} .verify button[type='submit']`)).click();
  const verdict = await driver.waitForText(`${card} [data-testid='verdict']`, (t) => t.includes("clock"));
  assert.match(verdict, /your phone's or this computer's clock is off/);
  await driver.screenshot("authenticator-clock-off");
  await assertAccessible(driver, "authenticator: a code from a skewed clock");
});

test("the QR code for a new phone appears only after the native warning", async () => {
  const card = await stored("mirafoss-new-phone");
  const shown = askedPrompts().length;
  answerPrompts(true);
  await (await driver.find(`${card} .new-phone button`)).click();
  const warning = await promptShown(shown + 1);
  assert.equal(warning.kind, "confirm");
  assert.match(warning.question.title, /^Show the setup key for /);
  assert.match(warning.question.message, /Anyone who sees/);
  const key = await driver.waitForText(`${card} [data-testid='setup-key']`, (t) => t.length > 0);
  assert.equal(key.replace(/\s/g, ""), SECRET);
  await driver.find(`${card} svg.qr`);
  await driver.execute("document.querySelector(arguments[0]).scrollIntoView()", [`${card} .new-phone`]);
  await driver.screenshot("authenticator-new-phone");
  await assertAccessible(driver, "authenticator: the QR code and setup key for a new phone");
  await (await driver.find(`${card} .new-phone .secondary`)).click();
  await driver.waitForText(`${card} .new-phone`, (t) => !t.includes("KRSX"));
});
