// A busy button is aria-disabled, not disabled: a disabled button drops keyboard focus to the
// page. It stays focusable and says it is unavailable; its clicks, and the Enter that submits
// a form through it, do nothing. One listener for the whole document, before any handler.
// (A key handler that acts without a click checks its own busy flag.)
export function ignoreBusyClicks(root: Document) {
  root.addEventListener(
    "click",
    (event) => {
      if ((event.target as Element).closest?.('[aria-disabled="true"]')) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    { capture: true },
  );
}
