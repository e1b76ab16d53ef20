import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import PasswordArea from "./PasswordArea.svelte";
import { fakeBackend } from "../../lib/fakeBackend";
import { emptyRequest } from "../../lib/request";

describe("Password check", () => {
  it("shows PyPI's verdict as the user types, checking only the settled value", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(PasswordArea, { props: { backend } });
    const field = screen.getByLabelText("Password") as HTMLInputElement;
    expect(field.type).toBe("password");
    await user.type(field, "abc");
    await waitFor(() =>
      expect(screen.getByTestId("verdict").textContent).toContain(
        "PyPI will refuse this password",
      ),
    );
    await user.type(field, "defghijklmnop");
    await waitFor(() =>
      expect(screen.getByTestId("verdict").textContent).toContain(
        "PyPI will accept this password",
      ),
    );
    expect(backend.checked.at(-1)).toBe("abcdefghijklmnop");
    expect(backend.checked.length).toBeLessThan(16);
    await user.click(screen.getByRole("button", { name: "Show" }));
    expect(field.type).toBe("text");
  });

  it("prefills the user's details from the request draft", async () => {
    const backend = fakeBackend();
    backend.draft = { ...emptyRequest(), username: "mirafoss" };
    render(PasswordArea, { props: { backend } });
    await waitFor(() =>
      expect(
        (screen.getByLabelText("PyPI username") as HTMLInputElement).value,
      ).toBe("mirafoss"),
    );
  });

  it("checks breaches only after consent", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(PasswordArea, { props: { backend } });
    await user.type(screen.getByLabelText("Password"), "hunter2hunter2");
    await user.click(
      screen.getByRole("button", { name: "Check against known breaches…" }),
    );
    const consent = screen.getByRole("alertdialog");
    expect(consent.textContent).toContain("first 5 characters");
    expect(backend.calls).not.toContain("passwordPwned");
    await user.click(
      within(consent).getByRole("button", { name: "Check now" }),
    );
    expect((await screen.findByTestId("breach-result")).textContent).toContain(
      "17,043 times",
    );
  });

  it("explains an offline breach check", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(PasswordArea, { props: { backend } });
    await user.type(screen.getByLabelText("Password"), "hunter2hunter2");
    await user.click(
      screen.getByRole("button", { name: "Check against known breaches…" }),
    );
    backend.failNext = {
      code: "online_offline",
      message:
        "Could not reach Have I Been Pwned. Check your internet connection, then try again.",
      detail: null,
    };
    await user.click(screen.getByRole("button", { name: "Check now" }));
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Could not reach",
    );
  });

  it("generates a passphrase, shows its entropy, and copies it", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(PasswordArea, { props: { backend } });
    await user.click(screen.getByRole("button", { name: "Generate" }));
    expect((await screen.findByTestId("passphrase")).textContent).toBe(
      "abacus abacus abacus abacus abacus abacus",
    );
    expect(screen.getByText(/77\.6 bits of entropy/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Copy" }));
    expect(backend.copied).toEqual([
      "abacus abacus abacus abacus abacus abacus",
    ]);
    await user.click(screen.getByRole("button", { name: "Use this" }));
    expect(
      (screen.getByLabelText("Password") as HTMLInputElement).value,
    ).toContain("abacus");
  });
});
