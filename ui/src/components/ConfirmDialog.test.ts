import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import ConfirmDialog from "./ConfirmDialog.svelte";

function setup() {
  const onConfirm = vi.fn();
  render(ConfirmDialog, {
    opener: "Forget this draft…",
    title: "Forget this draft?",
    confirmLabel: "Forget it",
    cancelLabel: "Keep it",
    onConfirm,
  });
  return {
    onConfirm,
    opener: screen.getByRole("button", { name: "Forget this draft…" }),
  };
}

describe("ConfirmDialog", () => {
  it("opens with the safe answer focused, and cancelling returns focus without acting", async () => {
    const user = userEvent.setup();
    const { onConfirm, opener } = setup();
    await user.click(opener);
    const dialog = screen.getByRole("alertdialog", {
      name: "Forget this draft?",
    });
    expect(dialog.hasAttribute("open")).toBe(true);
    expect(document.activeElement?.textContent).toBe("Keep it");
    await user.click(screen.getByRole("button", { name: "Keep it" }));
    expect(dialog.hasAttribute("open")).toBe(false);
    expect(document.activeElement).toBe(opener);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("acts once confirmed, after focus is back on the opener", async () => {
    const user = userEvent.setup();
    const { onConfirm, opener } = setup();
    await user.click(opener);
    let focusedWhenActing: Element | null = null;
    onConfirm.mockImplementation(
      () => (focusedWhenActing = document.activeElement),
    );
    await user.click(screen.getByRole("button", { name: "Forget it" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(focusedWhenActing).toBe(opener);
  });
});
