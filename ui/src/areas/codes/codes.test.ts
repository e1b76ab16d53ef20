import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import CodesArea from "./CodesArea.svelte";
import { fakeBackend } from "../../lib/fakeBackend";
import { REGENERATE_CODES_URL } from "../../lib/backend";

const CODES = ["00aa11bb22cc33dd", "44ee55ff66aa77bb", "8899aabbccddeeff"];

function withAccount() {
  const backend = fakeBackend();
  backend.sets.set("alice", {
    codes: [...CODES],
    used: [false, false, false],
    imported: "2026-11-23T10:00:00Z",
  });
  return backend;
}

describe("the Recovery codes area", () => {
  it("imports pasted codes and shows a card with the count, never the codes", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(CodesArea, { props: { backend } });
    await user.type(await screen.findByLabelText("PyPI username"), "alice");
    await user.type(
      screen.getByLabelText("Paste your recovery codes"),
      CODES.join("\n"),
    );
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    const card = await screen.findByRole("article", { name: "alice" });
    expect(within(card).getByTestId("remaining").textContent).toMatch(
      /3\s+of 3 codes left/,
    );
    expect(card.textContent).not.toContain(CODES[0]);
    expect(
      (
        screen.getByLabelText(
          "Paste your recovery codes",
        ) as HTMLTextAreaElement
      ).value,
    ).toBe("");
  });

  it("asks for the username first, with the error linked from the summary", async () => {
    const user = userEvent.setup();
    render(CodesArea, { props: { backend: fakeBackend() } });
    await user.click(
      await screen.findByRole("button", { name: "Store in keychain" }),
    );
    const summary = screen.getByRole("alert");
    const link = within(summary).getByRole("link", {
      name: /Enter the PyPI username/,
    });
    expect(link.getAttribute("href")).toBe("#codes-account");
  });

  it("shows a refused import at the codes field", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(CodesArea, { props: { backend } });
    await user.type(await screen.findByLabelText("PyPI username"), "alice");
    await user.type(screen.getByLabelText("Paste your recovery codes"), "xyz");
    backend.failNext = {
      code: "codes_import_refused",
      message: "Line 1: recovery codes contain only …",
      detail: null,
    };
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    const link = within(screen.getByRole("alert")).getByRole("link");
    expect(link.getAttribute("href")).toBe("#codes-text");
    expect(backend.sets.size).toBe(0);
  });

  it("replaces a stored set only when the native confirmation says yes", async () => {
    const user = userEvent.setup();
    const backend = withAccount();
    backend.confirms = [false, true];
    render(CodesArea, { props: { backend } });
    await user.type(await screen.findByLabelText("PyPI username"), "alice");
    const codes = screen.getByLabelText("Paste your recovery codes");
    await user.type(codes, "0123456789abcdef");
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    // Cancelled in Rust's dialog: the stored set and the typed text are both kept, quietly.
    await waitFor(() =>
      expect(backend.asked).toEqual(["Replace the recovery codes for alice?"]),
    );
    expect(backend.sets.get("alice")!.codes).toHaveLength(3);
    expect((codes as HTMLTextAreaElement).value).toBe("0123456789abcdef");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    await waitFor(() =>
      expect(backend.sets.get("alice")!.codes).toEqual(["0123456789abcdef"]),
    );
  });

  it("reveals the next code only on request, and hides it again", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
      const backend = withAccount();
      render(CodesArea, { props: { backend } });
      const card = await screen.findByRole("article", { name: "alice" });
      expect(card.textContent).not.toContain("00aa");
      await user.click(
        within(card).getByRole("button", { name: "Reveal next code" }),
      );
      expect(within(card).getByTestId("revealed").textContent).toContain(
        "00aa 11bb 22cc 33dd",
      );
      await vi.advanceTimersByTimeAsync(21000);
      expect(within(card).queryByTestId("revealed")).toBeNull();
      // Rust asked once, natively, before the first code of this account left it.
      await user.click(
        within(card).getByRole("button", { name: "Reveal next code" }),
      );
      expect(backend.asked).toEqual(["Use the recovery codes for alice?"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("copies with a visible countdown until the clipboard clears", async () => {
    const user = userEvent.setup();
    const backend = withAccount();
    render(CodesArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    await user.click(
      within(card).getByRole("button", { name: "Copy next code" }),
    );
    expect(
      within(card).getByTestId("clipboard-countdown").textContent,
    ).toContain("clears in 30 s");
    expect(backend.calls).toContain("codesCopyNext");
  });

  it("marks a code used, warns when few are left, and can undo", async () => {
    const user = userEvent.setup();
    const backend = withAccount();
    render(CodesArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    await user.click(
      within(card).getByRole("button", { name: "Mark code 1 as used" }),
    );
    expect(within(card).getByTestId("remaining").textContent).toMatch(
      /2\s+of 3/,
    );
    const warning = within(card).getByTestId("low-warning");
    await user.click(
      within(warning).getByRole("button", { name: /two-factor settings/ }),
    );
    expect(backend.opened).toEqual([REGENERATE_CODES_URL]);
    await user.click(within(card).getByRole("button", { name: "Undo" }));
    expect(within(card).getByTestId("remaining").textContent).toMatch(
      /3\s+of 3/,
    );
    expect(backend.calls).toContain("codesSetUsed:0:true");
    expect(backend.calls).toContain("codesSetUsed:0:false");
  });

  it("keeps focus on the card as codes are marked: the mark button, then Undo for the last", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.sets.set("alice", {
      codes: [CODES[0]],
      used: [false],
      imported: "2026-11-23T10:00:00Z",
    });
    render(CodesArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    await user.click(
      within(card).getByRole("button", { name: "Mark code 1 as used" }),
    );
    const undo = await within(card).findByRole("button", { name: "Undo" });
    await waitFor(() => expect(document.activeElement).toBe(undo));
    await user.keyboard("{Enter}");
    await waitFor(() =>
      expect(document.activeElement?.textContent?.trim()).toBe(
        "Mark code 1 as used",
      ),
    );
  });

  it("removes an account only when the native confirmation says yes", async () => {
    const user = userEvent.setup();
    const backend = withAccount();
    backend.confirms = [false, true];
    render(CodesArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    const remove = within(card).getByRole("button", { name: "Remove…" });
    await user.click(remove);
    await waitFor(() => expect(backend.asked).toHaveLength(1));
    expect(backend.asked[0]).toBe("Remove the recovery codes for alice?");
    expect(backend.sets.has("alice")).toBe(true);
    expect(within(card).queryByRole("alert")).toBeNull();
    await user.click(remove);
    await waitFor(() =>
      expect(screen.queryByRole("article", { name: "alice" })).toBeNull(),
    );
    expect(backend.sets.has("alice")).toBe(false);
  });

  it("explains a keychain failure and offers a retry", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.failNext = {
      code: "keychain_locked",
      message: "The keychain is locked.",
      detail: null,
    };
    render(CodesArea, { props: { backend } });
    expect((await screen.findByRole("alert")).textContent).toContain(
      "The keychain is locked.",
    );
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByLabelText("PyPI username")).toBeTruthy();
  });
});

describe("Find my recovery codes", () => {
  const found = {
    sets: [
      {
        id: 0,
        name: "PyPI-Recovery-Codes-mirafoss-2025-06-01T09:30:00.txt",
        folder: "/home/mira/Downloads",
        account: "mirafoss",
        site: "PyPI" as const,
        codes: 8,
      },
      {
        id: 1,
        name: "notes.txt",
        folder: "/home/mira/Documents",
        account: null,
        site: null,
        codes: 5,
      },
    ],
    searched: ["/home/mira/Downloads", "/home/mira/Documents"],
    unreadable_folders: 1,
    stopped_early: false,
  };

  it("lists what it found, imports a set all at once, and replaces only through Rust", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({ found });
    render(CodesArea, { props: { backend } });
    await user.click(
      await screen.findByRole("button", {
        name: "Find my recovery codes on this computer",
      }),
    );
    expect(
      await screen.findByRole("heading", {
        name: "Found 2 sets of recovery codes",
      }),
    ).toBeTruthy();
    expect(screen.getByText(/1 folder could not be opened/)).toBeTruthy();
    const [download, note] = screen.getAllByTestId("found-set");
    expect(download.textContent).toContain("8 codes · PyPI account mirafoss");
    expect(
      (within(download).getByLabelText("PyPI username") as HTMLInputElement)
        .value,
    ).toBe("mirafoss");
    // A note has no account in its name: the username is asked for.
    await user.click(within(note).getByRole("button", { name: "Import" }));
    expect(note.textContent).toContain("Enter the PyPI username");
    await user.click(within(download).getByRole("button", { name: "Import" }));
    expect(backend.calls).toContain("codesImportFound:0:mirafoss");
    expect(
      await within(download).findByText("Stored 8 codes for mirafoss."),
    ).toBeTruthy();
    // The card appears in the area at once.
    expect((await screen.findByTestId("remaining")).textContent).toContain(
      "8 of 8 codes left",
    );

    // Enter in the username field imports that set.
    await user.type(
      within(note).getByLabelText("PyPI username"),
      "mirafoss{Enter}",
    );
    // Replacing is Rust's native question; the fake says yes.
    await waitFor(() =>
      expect(backend.asked).toEqual([
        "Replace the recovery codes for mirafoss?",
      ]),
    );
    expect(backend.calls).toContain("codesImportFound:1:mirafoss");
    expect(
      await within(note).findByText("Stored 5 codes for mirafoss."),
    ).toBeTruthy();
    await user.click(
      within(note).getByRole("button", { name: "Show in folder" }),
    );
    expect(backend.calls).toContain("codesShowFound:1");
  });

  it("says when nothing was found, and where else to look", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(CodesArea, { props: { backend } });
    await user.click(
      await screen.findByRole("button", {
        name: "Find my recovery codes on this computer",
      }),
    );
    expect(
      await screen.findByRole("heading", {
        name: "No saved recovery codes were found",
      }),
    ).toBeTruthy();
    expect(screen.getByText(/password manager/)).toBeTruthy();
  });
});
