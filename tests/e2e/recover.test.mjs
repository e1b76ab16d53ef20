// The recovery wizard in the real app: path finder, a guard finding that blocks, the fix,
// the preview's exact sections, and copying a field (read back from the X clipboard). Each test
// starts from a fresh page: without a draft, or (the preview) with a finished one saved.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Driver } from "./webdriver.mjs";
import { assertAccessible } from "./a11y.mjs";

let driver;

before(async () => {
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
});

after(async () => {
  await driver?.stop();
});

const click = async (selector) => (await driver.find(selector)).click();

const answer = async (question, value) => click(`input[name='${question}'][value='${value}']`);

/** The path finder, as a user meets it the first time: no draft saved. */
async function pathFinder() {
  await driver.store("request_forget_draft", {});
  await driver.fresh("recover");
}

/** Answers the path finder for someone who can read their mail and knows the password. */
async function answerAll(totp) {
  for (const [question, value] of [
    ["site", "pypi"],
    ["own_account", "yes"],
    ["compromised", "no"],
    ["email", "yes"],
    ["password", "known"],
    ["totp", totp],
    ["security_key", "none"],
  ]) {
    await answer(question, value);
  }
}

/** A lost authenticator and no codes: the path finder's way into the request wizard. */
async function lostAuthenticator() {
  await answerAll("lost");
  await answer("recovery_codes", "no");
  await click("#find-path");
  await driver.waitForText("[data-testid='advice']", (t) => t.includes("File an account-recovery request"));
}

test("the path finder says a working authenticator signs in, and explains the unrecognized-login email", async () => {
  await pathFinder();
  await answerAll("have");
  // Rust asks only what matters: with the mailbox readable, neither codes nor network.
  const questions = await driver.execute("return [...document.querySelectorAll('fieldset[data-question]')].map(f => f.dataset.question)");
  assert.deepEqual(questions, ["site", "own_account", "compromised", "email", "password", "totp", "security_key"]);
  await driver.screenshot("recover-questions");
  await assertAccessible(driver, "recover: path finder, every question answered");
  await click("#find-path");
  const advice = await driver.waitForText("[data-testid='advice']", (t) => t.includes("Sign in as usual"));
  assert.match(advice, /Unrecognized login to your PyPI account/);
  assert.ok(!advice.includes("Start the request"));
  await driver.screenshot("recover-sign-in");
  await assertAccessible(driver, "recover: path finder advice, sign in");
});

test("a lost authenticator with no codes leads to a request with the reason prefilled", async () => {
  await pathFinder();
  await lostAuthenticator();
  const advice = await driver.waitForText("[data-testid='advice']", (t) => t.includes("File an account-recovery request"));
  assert.match(advice, /Remember this device/);
  assert.match(advice, /Lost 2FA authentication app or security token/);
  await driver.screenshot("recover-path-finder");
  await assertAccessible(driver, "recover: path finder advice, file a request");
  await click("[data-testid='advice'] button.primary");
  await driver.find("#req-username");
});

test("a leaked email in the reason blocks the step until it is removed", async () => {
  await pathFinder();
  await lostAuthenticator();
  await click("[data-testid='advice'] button.primary");
  await (await driver.find("#req-username")).type("mirafoss");
  await click("#wizard-continue");
  const reason = await driver.find("#req-reason");
  assert.equal(await driver.execute("return document.querySelector('#req-reason').value"), "Lost 2FA authentication app or security token");
  const clear = `const r = document.querySelector('#req-reason'); r.value = ''; r.dispatchEvent(new Event('input', { bubbles: true }));`;
  // Non-English text once aborted the app here (a byte slice inside a Cyrillic letter): the
  // window stays up and the guard still finds a phone number after it.
  await driver.execute(clear);
  await reason.type("Перестал работать телефон 12 марта, код не приходит. Заказ 123456789. My phone number is 491701234567");
  await driver.waitForText(".finding[data-kind='phone']", (t) => t.length > 0);
  await assertAccessible(driver, "recover: wizard reason, a guard finding in Cyrillic text");
  assert.equal(await driver.title(), "PyPI Recovery Assistant");
  await driver.execute(clear);
  await reason.type("Lost 2FA authentication app or security token");
  await reason.type(" My email is mira@foss.example");
  await driver.waitForText(".finding[data-kind='email']", (t) => t.includes("email address"));
  await click("#wizard-continue");
  await driver.waitForText(".error-summary", (t) => t.includes("There is a problem"));
  await driver.screenshot("recover-guard-finding");
  await assertAccessible(driver, "recover: wizard, the error summary with findings");
  await driver.execute(clear);
  await reason.type("Lost my phone with the authenticator app; never saved the recovery codes.");
  await click("#wizard-continue");
  await assertAccessible(driver, "recover: wizard, declarations");
  for (const id of ["recovery_codes_lost", "code_of_conduct", "acknowledge_delay"]) {
    await click(`#req-${id}`);
  }
  await click("#wizard-continue");
  await assertAccessible(driver, "recover: wizard, private details");
  await (await driver.find("#req-private-emails")).type("mira@foss.example");
  await click("#wizard-continue");
  await driver.waitForText("main h2", (t) => t === "Check your answers");
});

test("the preview holds the exact sections, and a field can be copied", async () => {
  const request = {
    version: 1,
    username: "mirafoss",
    reason: "Lost my phone with the authenticator app; never saved the recovery codes.",
    recovery_codes_lost: true,
    code_of_conduct: true,
    acknowledge_delay: true,
    private: { emails: ["mira@foss.example"], new_email: "", projects: [], account_created: "", details: "" },
  };
  await driver.store("request_save_draft", { request });
  await driver.fresh("recover"); // the draft is restored at its first step
  const step = () => driver.execute("return document.querySelector('main h2')?.textContent");
  for (let i = 0; i < 6 && (await step()) !== "Check your answers"; i++) {
    const was = await step();
    await click("#wizard-continue");
    await driver.waitForText("main h2", (t) => t !== was);
  }
  await driver.waitForText("main h2", (t) => t === "Check your answers");
  const html = await driver.waitForText("[data-testid='issue-html']", (t) => t.includes("mirafoss"));
  for (const section of ["PyPI Username", "Reason for request", "Recovery Codes", "Code of Conduct", "Acknowledgement"]) {
    assert.ok(html.includes(section), `the preview lacks ${section}`);
  }
  assert.ok(!html.includes("mira@foss.example"), "the public preview holds the private email");
  await driver.screenshot("recover-preview");
  await assertAccessible(driver, "recover: check your answers, the public issue");
  await click(".toggle input");
  const markdown = await driver.waitForText("[data-testid='issue-markdown']", (t) => t.startsWith("### PyPI Username"));
  await assertAccessible(driver, "recover: check your answers, the issue as Markdown");
  assert.ok(markdown.startsWith("### PyPI Username\n\n`mirafoss`\n\n### Reason for request\n\n"), markdown);
  assert.ok(markdown.includes("- [x] I agree to follow the PSF Code of Conduct"));
  await click("#copy-username");
  await driver.waitForText("[data-testid='handoff-message']", (t) => t.includes("copied"));
  await assertAccessible(driver, "recover: check your answers, a field copied");
  assert.equal(execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8" }), "`mirafoss`");
  // A public form field is ordinary text: clipboard managers may keep it.
  const targets = execFileSync("xclip", ["-o", "-selection", "clipboard", "-t", "TARGETS"], { encoding: "utf8" });
  assert.doesNotMatch(targets, /passwordManagerHint/);
  await click("#tab-private");
  const email = await driver.waitForText("[data-testid='email-body']", (t) => t.includes("Hello PyPI support"));
  assert.ok(email.includes("mira@foss.example"));
  await assertAccessible(driver, "recover: check your answers, the private email");
});
