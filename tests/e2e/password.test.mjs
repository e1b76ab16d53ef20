// The Password check area in the real app: PyPI's verdict as the user types, and the breach
// check against a local server speaking HIBP's range format (debug builds read its URL from
// PYPI_RECOVERY_HIBP_API). Each test starts from a fresh page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { Driver } from "./webdriver.mjs";
import { assertAccessible } from "./a11y.mjs";

let driver;
let server;
const requests = [];

before(async () => {
  const sha = createHash("sha1").update("mirafoss88").digest("hex").toUpperCase();
  server = createServer((req, res) => {
    requests.push({ url: req.url, padding: req.headers["add-padding"] });
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`${"0".repeat(35)}:0\r\n${sha.slice(5)}:42\r\n`);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.PYPI_RECOVERY_HIBP_API = `http://127.0.0.1:${server.address().port}`;
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
});

/** The password and the details PyPI checks it against, typed as a user would. */
async function typed(username, password) {
  await (await driver.find("details.about-you summary")).click();
  await (await driver.find("#pw-username")).type(username);
  await (await driver.find("#pw-input")).type(password);
}

after(async () => {
  await driver?.stop();
  server?.close();
});

test("PyPI's verdict follows the typing, with the user's details", async () => {
  await driver.fresh("password");
  await typed("mirafoss", "mirafoss88");
  const refused = await driver.waitForText("[data-testid='verdict']", (t) => t.includes("PyPI will"));
  assert.match(refused, /PyPI will refuse this password/);
  await driver.screenshot("password-refused");
  await assertAccessible(driver, "password: the meter with feedback");
});

test("the breach check sends only the prefix, after consent", async () => {
  await driver.fresh("password");
  await typed("mirafoss", "mirafoss88");
  requests.length = 0;
  await (await driver.find(".breach button")).click();
  await driver.waitForText("dialog[open]", (t) => t.includes("Have I Been Pwned"));
  await assertAccessible(driver, "password: the breach check's consent dialog");
  await (await driver.find("#pw-breach-check")).click();
  const result = await driver.waitForText("[data-testid='breach-result']", (t) => t.length > 0);
  await assertAccessible(driver, "password: found in breaches");
  assert.match(result, /42 times/);
  assert.equal(requests.length, 1);
  const sha = createHash("sha1").update("mirafoss88").digest("hex").toUpperCase();
  assert.equal(requests[0].url, `/range/${sha.slice(0, 5)}`);
  assert.equal(requests[0].padding, "true");
});

test("a generated passphrase is accepted", async () => {
  await driver.fresh("password");
  await (await driver.find("#gen-button")).click();
  const phrase = await driver.waitForText("[data-testid='passphrase']", (t) => t.split(" ").length >= 6);
  assert.ok(phrase.length >= 20);
  await (await driver.find("#gen-title ~ .actions button.secondary")).click();
  const accepted = await driver.waitForText("[data-testid='verdict']", (t) => t.includes("PyPI will accept"));
  assert.match(accepted, /meets our stronger advice/);
  await driver.screenshot("password-accepted");
  await assertAccessible(driver, "password: a generated passphrase, accepted");
});
