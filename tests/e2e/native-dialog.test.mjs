// The real native confirmation, once: everywhere else the suite answers Rust's dialogs through
// the scripted test double, so this drives the GTK dialog itself with real X input (xdotool):
// it appears over the window naming the account, blocks the removal until answered, and
// Escape cancels it with nothing changed, as does an Enter: Cancel is focused and the default.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Driver, answerPrompts } from "./webdriver.mjs";
import { accessibilityTree, withAccessibilityBus } from "./a11y.mjs";

const ACCOUNT = "native-dialog";
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? "artifacts/e2e";
let driver;

before(async () => {
  // On the accessibility bus, so the dialog can be read as a screen reader reads it.
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: ARTIFACTS, env: withAccessibilityBus() });
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

/** Waits until two pictures of the X window `id`, 150 ms apart, agree: it has painted. */
async function painted(id, { timeout = 5000 } = {}) {
  const picture = () => execFileSync("sh", ["-c", `xwd -silent -id ${id} | md5sum`], { encoding: "utf8" });
  const deadline = Date.now() + timeout;
  let last = picture();
  for (;;) {
    await sleep(150);
    const now = picture();
    if (now === last || Date.now() > deadline) return;
    last = now;
  }
}

/**
 * A picture of the whole screen: the app with its dialog on top. Xvfb's root image shows the
 * dialog black (it has no compositor), so the dialog's own picture is pasted where it is.
 */
function screenshotScreen(name, dialog) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const info = execFileSync("xwininfo", ["-id", dialog], { encoding: "utf8" });
  const [x, y] = ["Absolute upper-left X", "Absolute upper-left Y"].map((field) => info.match(new RegExp(`${field}:\\s+(\\d+)`))[1]);
  const dir = join(ARTIFACTS, ".native");
  mkdirSync(dir, { recursive: true });
  execFileSync("sh", ["-c", `xwd -root -silent | xwdtopnm > "${dir}/screen.pnm" 2>/dev/null && xwd -silent -id ${dialog} | xwdtopnm > "${dir}/dialog.pnm" 2>/dev/null && pnmpaste "${dir}/dialog.pnm" ${x} ${y} "${dir}/screen.pnm" | pnmtopng > "${join(ARTIFACTS, name)}.png"`]);
  rmSync(dir, { recursive: true, force: true });
}

test("removing waits for the real GTK dialog, which names the account, focuses Cancel, and Escape or Enter cancels", async () => {
  const imported = await driver.invoke("codes_import", { account: ACCOUNT, text: "0123456789abcdef\nfedcba9876543210" });
  assert.equal(imported.ok?.total, 2, JSON.stringify(imported));
  answerPrompts("native");
  assert.deepEqual(await driver.invoke("codes_remove", { account: ACCOUNT }, { wait: 500 }), { pending: true });
  const dialog = await dialogWindow(`Remove the recovery codes for ${ACCOUNT}\\?`);
  // A screen reader hears the question and the answers by name.
  const title = `Remove the recovery codes for ${ACCOUNT}?`;
  const nodes = await accessibilityTree((t) => t.some((n) => n.name === title && n.states.includes("showing")), "the dialog is not in the tree");
  await painted(dialog);
  screenshotScreen("native-confirm", dialog);
  // The dialog is a window of the app's own: its nodes follow it, deeper, until the next window.
  const label = nodes.findIndex((n) => n.name === title);
  const at = nodes.findLastIndex((n, i) => i < label && n.depth === 1);
  const end = nodes.findIndex((n, i) => i > at && n.depth <= 1);
  const inside = nodes.slice(at + 1, end < 0 ? undefined : end);
  const buttons = inside.filter((n) => n.role === "push button");
  assert.deepEqual(buttons.map((b) => b.name).sort(), ["Cancel", "Remove"]);
  assert.ok(inside.some((n) => n.role === "label" && n.name.includes("2 codes")), "the message is readable");
  // Still waiting: nothing is removed while the question is open.
  assert.equal(await driver.execute("return window.__e2eInvoke"), null);
  execFileSync("xdotool", ["windowfocus", dialog]);
  const focusedNow = await accessibilityTree((t) => t.some((n) => n.states.includes("focused")), "nothing in the dialog has focus");
  assert.deepEqual(focusedNow.filter((n) => n.states.includes("focused")).map((n) => `${n.role} ${n.name}`), ["push button Cancel"]);
  execFileSync("xdotool", ["key", "Escape"]);
  assert.equal((await driver.invoked({ wait: 10000 })).error?.code, "cancelled");
  // An Enter pressed by habit takes the default, which is Cancel.
  answerPrompts("native");
  await driver.invoke("codes_remove", { account: ACCOUNT }, { wait: 500 });
  execFileSync("xdotool", ["windowfocus", await dialogWindow(`Remove the recovery codes for ${ACCOUNT}\\?`)]);
  await accessibilityTree((t) => t.some((n) => n.role === "push button" && n.name === "Cancel" && n.states.includes("focused")), "Cancel is not focused");
  execFileSync("xdotool", ["key", "Return"]);
  assert.equal((await driver.invoked({ wait: 10000 })).error?.code, "cancelled", "Enter removed the codes");
  const listed = await driver.invoke("codes_list", {});
  assert.ok(listed.ok.some((set) => set.account === ACCOUNT), "still stored");
  answerPrompts(true);
  assert.deepEqual(await driver.invoke("codes_remove", { account: ACCOUNT }), { ok: true });
});
