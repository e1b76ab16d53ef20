import { afterEach, describe, expect, it, vi } from "vitest";
import {
  fireEvent,
  render,
  screen,
  waitFor,
  within,
} from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import AuthenticatorArea from "./AuthenticatorArea.svelte";
import {
  FAKE_TOTP_CODE,
  FAKE_TOTP_NEXT,
  FAKE_TOTP_SKEWED,
  fakeBackend,
} from "../../lib/fakeBackend";

const SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const LINK = `otpauth://totp/PyPI:alice?secret=${SECRET}&issuer=PyPI`;

async function withAlice() {
  const backend = fakeBackend();
  await backend.totpImportLink(null, LINK);
  backend.calls.length = 0;
  return backend;
}

afterEach(() => vi.useRealTimers());

describe("the Authenticator area", () => {
  it("imports a pasted link and lists the account without its secret", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(AuthenticatorArea, { props: { backend } });
    await user.type(await screen.findByLabelText("otpauth:// link"), LINK);
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    const card = await screen.findByRole("article", { name: "alice" });
    expect(card.textContent).toContain("6 digits every 30 s");
    expect(document.body.textContent).not.toContain(SECRET);
    expect(document.querySelector(".notice")?.textContent).toContain(
      "Check it against your phone",
    );
    expect(
      (screen.getByLabelText("otpauth:// link") as HTMLTextAreaElement).value,
    ).toBe("");
  });

  it("shows a refused link at the field, linked from the error summary", async () => {
    const user = userEvent.setup();
    render(AuthenticatorArea, { props: { backend: fakeBackend() } });
    await user.type(
      await screen.findByLabelText("otpauth:// link"),
      "https://pypi.org/",
    );
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    const summary = await screen.findByRole("alert");
    const link = within(summary).getByRole("link", {
      name: /not an authenticator link/,
    });
    expect(link.getAttribute("href")).toBe("#totp-link");
  });

  it("replaces a stored backup only when the native confirmation says yes", async () => {
    const user = userEvent.setup();
    const backend = await withAlice();
    backend.confirms = [false, true];
    render(AuthenticatorArea, { props: { backend } });
    const link = await screen.findByLabelText("otpauth:// link");
    await user.type(link, LINK);
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    await waitFor(() =>
      expect(backend.asked).toEqual([
        "Replace the authenticator backup for alice?",
      ]),
    );
    // Cancelled: the link stays as pasted, with nothing to read as an error.
    expect((link as HTMLInputElement).value).toBe(LINK);
    expect(screen.queryByRole("alert")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    await waitFor(() => expect((link as HTMLInputElement).value).toBe(""));
    expect(backend.calls.filter((c) => c === "totpImportLink")).toHaveLength(2);
  });

  it("imports a chosen QR image, and refuses other files before sending them", async () => {
    const user = userEvent.setup({ applyAccept: false });
    const backend = fakeBackend();
    render(AuthenticatorArea, { props: { backend } });
    await user.click(await screen.findByRole("tab", { name: "QR code image" }));
    const input = screen.getByLabelText("Choose an image…");
    await user.upload(
      input,
      new File(["%PDF"], "scan.pdf", { type: "application/pdf" }),
    );
    expect(screen.getByRole("alert").textContent).toContain(
      "not a PNG or JPEG image",
    );
    const png = new File([new Uint8Array([137, 80, 78, 71])], "qr.png", {
      type: "image/png",
    });
    await user.upload(input, png);
    expect(await screen.findByRole("article", { name: "alice" })).toBeTruthy();
    expect(backend.calls).toEqual(["totpList", "totpImportImage:4"]);
  });

  it("imports a screenshot pasted from the clipboard", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(AuthenticatorArea, { props: { backend } });
    await user.click(await screen.findByRole("tab", { name: "QR code image" }));
    const png = new File([new Uint8Array([137, 80, 78, 71, 1])], "", {
      type: "image/png",
    });
    await user.paste({ files: [png] } as unknown as DataTransfer);
    expect(await screen.findByRole("article", { name: "alice" })).toBeTruthy();
    expect(backend.calls).toContain("totpImportImage:5");
  });

  it("moves between import methods with the arrow keys", async () => {
    const user = userEvent.setup();
    render(AuthenticatorArea, { props: { backend: fakeBackend() } });
    (await screen.findByRole("tab", { name: "Paste a link" })).focus();
    await user.keyboard("{ArrowRight}{ArrowRight}");
    expect(document.activeElement?.textContent).toBe("Type the key");
    expect(screen.getByLabelText("Setup key")).toBeTruthy();
    // Wraps around, and Home and End go to the ends; only the selected tab is in the Tab order.
    await user.keyboard("{ArrowRight}");
    expect(document.activeElement?.textContent).toBe("Paste a link");
    await user.keyboard("{End}");
    expect(document.activeElement?.getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement?.textContent).toBe("Type the key");
    await user.keyboard("{Home}");
    expect(document.activeElement?.textContent).toBe("Paste a link");
    expect(
      screen.getAllByRole("tab").map((t) => t.getAttribute("tabindex")),
    ).toEqual(["0", "-1", "-1"]);
    expect(screen.getByRole("tabpanel", { name: "Paste a link" })).toBeTruthy();
  });

  it("checks the typed fields of a manual entry before storing", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(AuthenticatorArea, { props: { backend } });
    await user.click(await screen.findByRole("tab", { name: "Type the key" }));
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    expect(screen.getByRole("alert").textContent).toContain(
      "Enter the setup key",
    );
    expect(backend.calls).not.toContain("totpImportManual");
    await user.type(screen.getByLabelText("Setup key"), "jbsw y3dp ehpk 3pxp");
    await user.type(screen.getByLabelText("Username on that site"), "bob");
    await user.click(screen.getByRole("button", { name: "Store in keychain" }));
    const card = await screen.findByRole("article", { name: "bob" });
    expect(card.textContent).toContain("only 80 bits");
  });

  it("shows the code with a countdown only when asked, and the next code near the end", async () => {
    const user = userEvent.setup();
    const backend = await withAlice();
    backend.totpSecondsLeft = 8;
    render(AuthenticatorArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    expect(backend.calls).not.toContain("totpCode");
    expect(card.textContent).not.toContain("123");
    await user.click(within(card).getByRole("button", { name: "Show code" }));
    const code = await within(card).findByTestId("totp-code");
    expect(code.textContent).toContain("123 456");
    expect(within(card).getByRole("timer").getAttribute("aria-label")).toBe(
      "8 seconds left",
    );
    expect(within(card).getByTestId("totp-next").textContent).toContain(
      `${FAKE_TOTP_NEXT.slice(0, 3)} ${FAKE_TOTP_NEXT.slice(3)}`,
    );
    await user.click(within(card).getByRole("button", { name: "Hide code" }));
    expect(within(card).queryByTestId("totp-code")).toBeNull();
  });

  it("counts down and fetches the new code when the period turns", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const backend = await withAlice();
    backend.totpSecondsLeft = 25;
    render(AuthenticatorArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    await user.click(within(card).getByRole("button", { name: "Show code" }));
    await within(card).findByTestId("totp-code");
    await vi.advanceTimersByTimeAsync(3000);
    expect(within(card).getByRole("timer").getAttribute("aria-label")).toBe(
      "22 seconds left",
    );
    const before = backend.calls.filter((c) => c === "totpCode").length;
    await vi.advanceTimersByTimeAsync(13000); // 9 s left: time to fetch the next code
    expect(backend.calls.filter((c) => c === "totpCode").length).toBe(
      before + 1,
    );
  });

  it("verifies the phone's code, naming a clock problem and a malformed code", async () => {
    const user = userEvent.setup();
    const backend = await withAlice();
    render(AuthenticatorArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    const input = within(card).getByLabelText("Check against your phone");
    await user.type(input, FAKE_TOTP_CODE);
    await user.click(within(card).getByRole("button", { name: "Check" }));
    expect((await within(card).findByTestId("verdict")).textContent).toContain(
      "It matches",
    );
    await user.type(input, FAKE_TOTP_SKEWED);
    await user.click(within(card).getByRole("button", { name: "Check" }));
    expect((await within(card).findByTestId("verdict")).textContent).toContain(
      "your phone's or this computer's clock is off",
    );
    await user.clear(input);
    await user.type(input, "12ab");
    await user.click(within(card).getByRole("button", { name: "Check" }));
    expect(card.textContent).toContain("Type the 6-digit code");
  });

  it("shows the secret for a new phone only after the native warning, and hides it after 45 s", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const backend = await withAlice();
    render(AuthenticatorArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    backend.confirms = [false];
    const newPhone = within(card).getByRole("button", {
      name: "Set up a new phone…",
    });
    await user.click(newPhone);
    // Rust's native warning was answered Cancel: nothing is shown.
    await waitFor(() =>
      expect(backend.asked).toEqual(["Show the setup key for alice?"]),
    );
    expect(within(card).queryByTestId("new-phone")).toBeNull();
    expect(within(card).queryByRole("alert")).toBeNull();
    await user.click(newPhone);
    const panel = await within(card).findByTestId("new-phone");
    expect(
      within(panel).getByRole("img", { name: "QR code for alice" }),
    ).toBeTruthy();
    expect(within(panel).getByTestId("setup-key").textContent).toBe(
      "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
    );
    await vi.advanceTimersByTimeAsync(36000);
    expect(panel.textContent).toContain("Hides in 9 s");
    await vi.advanceTimersByTimeAsync(10000);
    expect(within(card).queryByTestId("new-phone")).toBeNull();
    expect(card.textContent).toContain("hid itself after 45 seconds");
    expect(document.body.textContent).not.toContain("GEZD GNBV");
  });

  it("hides the secret at once when the window loses focus", async () => {
    const user = userEvent.setup();
    const backend = await withAlice();
    render(AuthenticatorArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    await user.click(
      within(card).getByRole("button", { name: "Set up a new phone…" }),
    );
    await within(card).findByTestId("new-phone");
    await fireEvent.blur(window);
    expect(within(card).queryByTestId("new-phone")).toBeNull();
    expect(card.textContent).toContain("window lost focus");
  });

  it("removes a backup only when the native confirmation says yes", async () => {
    const user = userEvent.setup();
    const backend = await withAlice();
    backend.confirms = [false, true];
    render(AuthenticatorArea, { props: { backend } });
    const card = await screen.findByRole("article", { name: "alice" });
    const remove = within(card).getByRole("button", { name: "Remove…" });
    await user.click(remove);
    await waitFor(() =>
      expect(backend.asked).toEqual([
        "Remove the authenticator backup for alice?",
      ]),
    );
    expect(backend.totp.size).toBe(1);
    expect(within(card).queryByRole("alert")).toBeNull();
    await user.click(remove);
    await waitFor(() => expect(screen.queryByRole("article")).toBeNull());
    expect(backend.totp.size).toBe(0);
    expect(document.querySelector(".notice")?.textContent).toContain("Removed");
  });

  it("says so when the keychain cannot be read, and retries", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      failNext: {
        code: "keychain_locked",
        message: "The keychain is locked.",
        detail: null,
      },
    });
    render(AuthenticatorArea, { props: { backend } });
    expect((await screen.findByRole("alert")).textContent).toContain(
      "The keychain is locked.",
    );
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByLabelText("otpauth:// link")).toBeTruthy();
  });
});
