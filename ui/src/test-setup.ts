import { afterEach } from "vitest";
import { cleanup } from "@testing-library/svelte";
import { ignoreBusyClicks } from "./lib/busy";

// As in the app (main.ts).
ignoreBusyClicks(document);

// Each test renders into a fresh document.
afterEach(() => cleanup());

// jsdom has no modal dialogs. A stand-in for the two calls ConfirmDialog makes, with the same
// open attribute and close event; Escape in the real dialog is tested in the real window
// (tests/e2e/keyboard.test.mjs).
if (!HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    if (!this.open) return;
    this.open = false;
    this.dispatchEvent(new Event("close"));
  };
}
