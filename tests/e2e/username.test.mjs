// "Forgot your username?" in the real app, against a local server speaking PyPI's JSON API
// (debug builds read PYPI_RECOVERY_PYPI_URL): a project's owners and maintainers, and "This
// is me" filling the username step.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Driver } from "./webdriver.mjs";
import { assertAccessible } from "./a11y.mjs";

const seen = [];
const server = createServer((request, response) => {
  seen.push(request.url);
  const found = request.url.split("?")[0] === "/pypi/acme-widgets/json";
  const body = found
    ? {
        info: { name: "acme-widgets", version: "2.1" },
        releases: {},
        ownership: { organization: "acme", roles: [{ role: "Owner", user: "acme-bot" }, { role: "Maintainer", user: "mirafoss" }] },
      }
    : { message: "Not Found" };
  response.writeHead(found ? 200 : 404, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
});
let driver;
const click = async (selector) => (await driver.find(selector)).click();

before(async () => {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.PYPI_RECOVERY_PYPI_URL = `http://127.0.0.1:${server.address().port}`;
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
  await click(".nav-item[data-area='recover']");
});

after(async () => {
  await driver?.stop();
  server.close();
});

test("a project's maintainers are listed and one fills the username", async () => {
  // A draft from an earlier run opens the wizard directly; otherwise go through the path finder.
  await driver.find("#req-username, #find-path");
  const inWizard = await driver.execute("return !!document.querySelector('#req-username')");
  if (!inWizard) {
    for (const [question, value] of [["site", "pypi"], ["own_account", "yes"], ["compromised", "no"], ["email", "no"], ["password", "forgotten"]]) {
      await click(`input[name='${question}'][value='${value}']`);
    }
    await click("#find-path");
    await click("[data-testid='advice'] button.primary");
  }
  await click("[data-testid='username-finder'] summary");
  await (await driver.find("#whoami-project")).type("no-such-project\uE007");
  await driver.waitForText("[data-testid='username-finder'] .error-message", (t) => t.includes("no project called"));
  await assertAccessible(driver, "recover: username finder, no such project");
  await driver.execute("const p = document.querySelector('#whoami-project'); p.value = ''; p.dispatchEvent(new Event('input', { bubbles: true }));");
  await (await driver.find("#whoami-project")).type("acme-widgets\uE007");
  const result = await driver.waitForText("[data-testid='whoami-result']", (t) => t.includes("mirafoss"));
  assert.match(result, /organization acme/);
  assert.match(result, /acme-bot\s+Owner/);
  await driver.screenshot("recover-whoami");
  await assertAccessible(driver, "recover: username finder, the maintainers");
  await (await driver.button("This is me: mirafoss", { within: "[data-testid='whoami-result']" })).click();
  assert.equal(await driver.execute("return document.querySelector('#req-username').value"), "mirafoss");
  assert.ok(seen.includes("/pypi/acme-widgets/json"));
});
