import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Countdown } from "./countdown.svelte";

let hidden = false;

function setHidden(value: boolean) {
  hidden = value;
  document.dispatchEvent(new Event("visibilitychange"));
}

beforeEach(() => {
  vi.useFakeTimers();
  hidden = false;
  Object.defineProperty(document, "hidden", {
    configurable: true,
    get: () => hidden,
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Countdown", () => {
  it("ticks once a second while visible and ends on time", () => {
    const done = vi.fn();
    const countdown = new Countdown(done);
    countdown.start(3);
    expect(countdown.remaining).toBe(3);
    vi.advanceTimersByTime(1000);
    expect(countdown.remaining).toBe(2);
    vi.advanceTimersByTime(1999);
    expect(countdown.remaining).toBe(1);
    expect(done).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(done).toHaveBeenCalledOnce();
    expect(countdown.running).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps no timer while hidden, and catches up when shown", () => {
    const done = vi.fn();
    const countdown = new Countdown(done);
    countdown.start(10);
    setHidden(true);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(4000);
    expect(countdown.remaining).toBe(10); // nobody is looking
    setHidden(false);
    expect(countdown.remaining).toBe(6);
    setHidden(true);
    vi.advanceTimersByTime(60_000);
    expect(done).not.toHaveBeenCalled();
    setHidden(false);
    expect(done).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("ends a secret's countdown on time even while hidden, with one timer", () => {
    const done = vi.fn();
    const countdown = new Countdown(done, { endsWhileHidden: true });
    countdown.start(20);
    setHidden(true);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(19_999);
    expect(countdown.remaining).toBe(20); // no ticks while hidden
    expect(done).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(done).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops listening once stopped", () => {
    const done = vi.fn();
    const countdown = new Countdown(done);
    countdown.start(5);
    countdown.stop();
    vi.advanceTimersByTime(10_000);
    setHidden(true);
    setHidden(false);
    expect(done).not.toHaveBeenCalled();
    expect(countdown.remaining).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
