import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync } from "svelte";
import { render, screen } from "@testing-library/svelte";
import ClipboardNotice from "./ClipboardNotice.svelte";
import { Countdown } from "../lib/countdown.svelte";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("ClipboardNotice", () => {
  it("speaks at the copy and at the end, while the seconds tick silently", () => {
    const timer = new Countdown();
    render(ClipboardNotice, { timer });
    const said = screen.getByRole("status");
    timer.start(5);
    flushSync();
    expect(said.textContent!.trim()).toBe(
      "Copied. The clipboard clears in 5 seconds.",
    );
    vi.advanceTimersByTime(2000);
    flushSync();
    expect(screen.getByTestId("clipboard-countdown").textContent).toContain(
      "clears in 3 s",
    );
    expect(said.textContent!.trim()).toBe(
      "Copied. The clipboard clears in 5 seconds.",
    );

    vi.advanceTimersByTime(3000);
    flushSync();
    expect(said.textContent!.trim()).toBe(
      "The copy is gone from the clipboard.",
    );

    // A second copy is news again, even while the first countdown runs.
    timer.start(5);
    flushSync();
    vi.advanceTimersByTime(1000);
    flushSync();
    const spoken = () =>
      [...said.childNodes].filter(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim(),
      );
    const before = spoken();
    timer.start(5);
    flushSync();
    expect(spoken().some((n) => before.includes(n))).toBe(false);
    expect(said.textContent!.trim()).toBe(
      "Copied. The clipboard clears in 5 seconds.",
    );
  });
});
