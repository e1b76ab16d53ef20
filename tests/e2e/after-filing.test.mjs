// After filing, in the real app against a local server speaking GitHub's formats (debug builds
// read PYPI_RECOVERY_GITHUB_API): the request's status with its queue position, and the
// verification-branch check. Each test starts from a fresh page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Driver } from "./webdriver.mjs";
import { assertAccessible } from "./a11y.mjs";

const TOKEN = "aB3dE5gH7jK9mN1p";
const seen = [];
const server = createServer((request, response) => {
  seen.push(request.url);
  const routes = {
    "/repos/pypi/support/issues/4321": {
      number: 4321, state: "open", state_reason: null, comments: 1,
      created_at: "2026-11-01T12:00:00Z", updated_at: "2026-11-02T09:00:00Z",
      labels: [{ name: "account-recovery" }, { name: "awaiting response" }],
      html_url: "https://github.com/pypi/support/issues/4321",
    },
    "/repos/alice/tools": { name: "tools", full_name: "alice/tools", private: false },
    [`/repos/alice/tools/branches/${TOKEN}`]: { name: TOKEN, commit: { sha: "0123" }, protected: false },
  };
  const path = request.url.split("?")[0];
  const body = path === "/search/issues" ? { total_count: 12, incomplete_results: false, items: [] } : routes[path];
  response.writeHead(body ? 200 : 404, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body ?? { message: "Not Found" }));
});
let driver;

before(async () => {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.PYPI_RECOVERY_GITHUB_API = `http://127.0.0.1:${server.address().port}`;
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
});

after(async () => {
  await driver?.stop();
  server.close();
});

test("track my request: state, queue position and what the labels mean", async () => {
  await driver.fresh("recover");
  await (await driver.find("#issue-url")).type("https://github.com/pypi/support/issues/4321");
  await (await driver.find("#issue-url")).type("\uE007");
  const card = await driver.waitForText("[data-testid='request-status']", (t) => t.includes("filed before yours"));
  assert.match(card, /12\s+open account-recovery requests were filed before yours/);
  assert.match(card, /waiting for your reply/);
  assert.ok(seen.some((u) => u.startsWith("/search/issues")), "the queue was counted");
  await driver.execute("document.querySelector('#after-title').scrollIntoView()", []);
  await driver.screenshot("after-filing-status");
  await assertAccessible(driver, "recover: after filing, the request status");
});

test("verify ownership: exact commands, then the branch check", async () => {
  await driver.fresh("recover");
  await (await driver.find("#after-tab-verify")).click();
  await (await driver.find("#verify-token")).type(TOKEN);
  const commands = await driver.waitForText("[data-testid='branch-commands']", (t) => t.includes(TOKEN));
  assert.match(commands, new RegExp(`git push origin HEAD:refs/heads/${TOKEN}`));
  await (await driver.find("#verify-repo")).type("https://github.com/alice/tools");
  await (await driver.find("#after-panel form button[type='submit']")).click();
  const result = await driver.waitForText("[data-testid='branch-check']", (t) => t.length > 0);
  assert.match(result, /is in alice\/tools, which is public/);
  await driver.execute("document.querySelector('#after-title').scrollIntoView()", []);
  await driver.screenshot("after-filing-verify");
  await assertAccessible(driver, "recover: after filing, verify ownership");
});
