// The real native confirmation, once: everywhere else the suite answers Rust's dialogs through
// the scripted test double, so this drives the GTK dialog itself with real X input (xdotool):
// it appears over the window naming the account, blocks the removal until answered, and
// Escape cancels it with nothing changed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Driver, answerPrompts } from "./webdriver.mjs";

const ACCOUNT = "native-dialog";
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? "artifacts/e2e";
let driver;

before(async () => {
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: ARTIFACTS });
  await driver.find("main");
});

after(async () => {
  await driver?.stop();
});

/** The X window whose title is `title`, once it is mapped. */
async function dialogWindow(title, { timeout = 10000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return execFileSync("xdotool", ["search", "--onlyvisible", "--name", `^${title}$`], { encoding: "utf8" }).trim().split("\n")[0];
    } catch {
      if (Date.now() > deadline) throw new Error(`no dialog titled ${JSON.stringify(title)} appeared`);
      await sleep(100);
    }
  }
}

/** A picture of the whole screen: the app with its dialog on top. */
function screenshotScreen(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  execFileSync("sh", ["-c", `xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > "${join(ARTIFACTS, name)}.png"`]);
}

test("removing waits for the real GTK dialog, which names the account, and Escape cancels", async () => {
  const imported = await driver.invoke("codes_import", { account: ACCOUNT, text: "0123456789abcdef\nfedcba9876543210" });
  assert.equal(imported.ok?.total, 2, JSON.stringify(imported));
  answerPrompts("native");
  assert.deepEqual(await driver.invoke("codes_remove", { account: ACCOUNT }, { wait: 500 }), { pending: true });
  const dialog = await dialogWindow(`Remove the recovery codes for ${ACCOUNT}\\?`);
  await sleep(500);
  screenshotScreen("native-confirm");
  // Still waiting: nothing is removed while the question is open.
  assert.equal(await driver.execute("return window.__e2eInvoke"), null);
  execFileSync("xdotool", ["windowfocus", dialog]);
  await sleep(200);
  execFileSync("xdotool", ["key", "Escape"]);
  let result = null;
  for (let i = 0; i < 100 && !result; i++) {
    await sleep(100);
    result = await driver.execute("return window.__e2eInvoke");
  }
  assert.equal(result?.error?.code, "cancelled", JSON.stringify(result));
  const listed = await driver.invoke("codes_list", {});
  assert.ok(listed.ok.some((set) => set.account === ACCOUNT), "still stored");
  answerPrompts(true);
  assert.deepEqual(await driver.invoke("codes_remove", { account: ACCOUNT }), { ok: true });
});
