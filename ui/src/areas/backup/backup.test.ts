import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import BackupArea from "./BackupArea.svelte";
import StatusLine from "../../components/StatusLine.svelte";
import { fakeBackend } from "../../lib/fakeBackend";

const CODES = ["00aa11bb22cc33dd", "44ee55ff66aa77bb"];

function withData() {
  const backend = fakeBackend();
  backend.sets.set("alice", {
    codes: [...CODES],
    used: [false, true],
    imported: "2026-11-23T10:00:00Z",
  });
  return backend;
}

async function exportOne(
  user: ReturnType<typeof userEvent.setup>,
  passphrase = "correct horse battery",
) {
  await user.type(screen.getByLabelText("Passphrase"), passphrase);
  await user.type(
    screen.getByLabelText("Type the passphrase again"),
    passphrase,
  );
  await user.click(screen.getByRole("button", { name: "Make backup…" }));
}

describe("the Backup area", () => {
  it("refuses different passphrases, then exports and offers to check the file at once", async () => {
    const user = userEvent.setup();
    const backend = withData();
    render(BackupArea, { props: { backend } });
    // No path field: Rust asks where, in the native save dialog.
    expect(screen.queryByRole("textbox", { name: /Save to/ })).toBeNull();
    await user.type(
      await screen.findByLabelText("Passphrase"),
      "correct horse battery",
    );
    await user.type(
      screen.getByLabelText("Type the passphrase again"),
      "correct horse",
    );
    await user.click(screen.getByRole("button", { name: "Make backup…" }));
    expect(screen.getByRole("alert").textContent).toContain("differ");
    expect(backend.calls).not.toContain("backupExport");

    await user.clear(screen.getByLabelText("Type the passphrase again"));
    await user.type(
      screen.getByLabelText("Type the passphrase again"),
      "correct horse battery",
    );
    await user.click(screen.getByRole("button", { name: "Make backup…" }));
    const exported = await screen.findByTestId("exported");
    expect(exported.textContent).toMatch(
      /backup of 1\s+account as\s+pypi-recovery-backup-2026-11-24.age/,
    );
    expect(
      (screen.getByLabelText("Passphrase") as HTMLInputElement).value,
    ).toBe("");

    await user.click(
      within(exported).getByRole("button", { name: "Check your backup now" }),
    );
    expect(screen.getByTestId("check-file").textContent?.trim()).toBe(
      "pypi-recovery-backup-2026-11-24.age",
    );
    expect(document.activeElement?.id).toBe("check-passphrase");
    await user.type(document.activeElement as HTMLElement, "wrong passphrase");
    await user.click(screen.getByRole("button", { name: "Check backup" }));
    expect((await screen.findByRole("alert")).textContent).toContain(
      "passphrase is wrong",
    );
    await user.clear(
      screen.getByLabelText("Its passphrase", {
        selector: "#check-passphrase",
      }),
    );
    await user.type(
      screen.getByLabelText("Its passphrase", {
        selector: "#check-passphrase",
      }),
      "correct horse battery",
    );
    await user.click(screen.getByRole("button", { name: "Check backup" }));
    const checked = await screen.findByTestId("checked");
    expect(
      within(checked).getByRole("row", { name: /alice/ }).textContent,
    ).toContain("1 of 2 unused");
    expect(checked.textContent).not.toContain(CODES[0]);
  });

  it("counts a passphrase's characters as the core does, not its UTF-16 units", async () => {
    const user = userEvent.setup();
    const backend = withData();
    render(BackupArea, { props: { backend } });
    // Four emoji are eight UTF-16 units but four characters: too short for the core.
    await exportOne(user, "🔑🔒🗝🛡");
    expect(screen.getByRole("alert").textContent).toContain(
      "at least 8 characters",
    );
    expect(backend.calls).not.toContain("backupExport");
  });

  it("gives a strength hint for the passphrase", async () => {
    const user = userEvent.setup();
    render(BackupArea, { props: { backend: withData() } });
    await user.type(await screen.findByLabelText("Passphrase"), "abc");
    expect((await screen.findByTestId("passphrase-hint")).textContent).toMatch(
      /Strength: very weak/,
    );
  });

  it("shows what a restore changes, and replaces only when the native confirmation says yes", async () => {
    const user = userEvent.setup();
    const backend = withData();
    render(BackupArea, { props: { backend } });
    await exportOne(user);
    await screen.findByTestId("exported");
    await user.click(
      within(
        screen.getByRole("region", { name: "Restore a backup" }),
      ).getByRole("button", { name: "Choose…" }),
    );
    expect(screen.getByTestId("restore-file").textContent?.trim()).toBe(
      "pypi-recovery-backup-2026-11-24.age",
    );
    await user.type(
      screen.getByLabelText("Its passphrase", {
        selector: "#restore-passphrase",
      }),
      "correct horse battery",
    );
    await user.click(
      screen.getByRole("button", { name: "Show what will change" }),
    );
    const plan = await screen.findByTestId("restore-plan");
    expect(plan.textContent).toMatch(/alice\s*—\s*Recovery codes: differs/);
    backend.confirms = [false];
    await user.click(within(plan).getByRole("button", { name: "Restore…" }));
    await waitFor(() =>
      expect(backend.asked).toEqual(["Replace what is stored for alice?"]),
    );
    expect(screen.queryByText(/Restored/)).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    await user.click(within(plan).getByRole("button", { name: "Restore…" }));
    expect(
      (await screen.findByText(/Restored 1 item/)).textContent,
    ).toBeTruthy();
    expect(
      backend.calls.filter((c) => c === "backupRestore:true"),
    ).toHaveLength(2);
  });

  it("prepares a paper kit only on request and the native yes, prints it, and closes it", async () => {
    const user = userEvent.setup();
    const backend = withData();
    render(BackupArea, { props: { backend } });
    expect(document.body.textContent).not.toContain("00aa");
    await user.click(
      await screen.findByLabelText(/Include authenticator QR codes/),
    );
    backend.confirms = [false];
    const prepare = screen.getByRole("button", { name: "Prepare paper kit…" });
    await user.click(prepare);
    await waitFor(() =>
      expect(backend.asked).toEqual(["Print every recovery code?"]),
    );
    expect(screen.queryByTestId("paper-kit")).toBeNull();
    await user.click(prepare);
    const kit = await screen.findByTestId("paper-kit");
    const page = within(kit).getByRole("article", {
      name: "Paper kit for alice",
    });
    expect(page.textContent).toContain("00aa 11bb 22cc 33dd");
    expect(page.textContent).toContain("(used)");
    expect(backend.calls).toContain("paperKit:true");
    await user.click(screen.getByRole("button", { name: "Print…" }));
    expect(backend.printed).toBe(1);
    await user.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.queryByTestId("paper-kit")).toBeNull();
    expect(document.body.textContent).not.toContain("00aa");
  });
});

describe("the vault file offer in the status line", () => {
  it("offers an encrypted file when the keychain is unavailable, and locks on request", async () => {
    const user = userEvent.setup();
    const changed = vi.fn();
    const backend = fakeBackend();
    backend.keychain = {
      status: "ok",
      data: {
        backend: "Secret Service",
        available: false,
        problem: "no_service",
        message: "No Secret Service is running.",
      },
    };
    render(StatusLine, { props: { backend, onStoreChanged: changed } });
    await user.click(
      await screen.findByRole("button", {
        name: "Use an encrypted file instead…",
      }),
    );
    expect(document.activeElement?.id).toBe("vault-passphrase");
    await user.type(screen.getByLabelText("Passphrase"), "a long passphrase");
    await user.type(screen.getByLabelText("Again"), "a different one");
    await user.click(screen.getByRole("button", { name: "Create vault file" }));
    expect(screen.getByRole("alert").textContent).toContain("differ");
    await user.clear(screen.getByLabelText("Again"));
    await user.type(screen.getByLabelText("Again"), "a long passphrase");
    await user.click(screen.getByRole("button", { name: "Create vault file" }));
    expect((await screen.findByTestId("keychain-state")).textContent).toBe(
      "unlocked",
    );
    expect(changed).toHaveBeenCalledOnce();
    await user.click(screen.getByRole("button", { name: "Lock now" }));
    expect((await screen.findByTestId("keychain-state")).textContent).toBe(
      "locked",
    );
    expect(screen.getByRole("button", { name: "Unlock…" })).toBeTruthy();
  });
});
