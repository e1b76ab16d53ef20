import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "./App.svelte";
import { fakeBackend } from "./lib/fakeBackend";

describe("the app shell", () => {
  it("opens on Recover my account and reaches every area by clicking", async () => {
    const user = userEvent.setup();
    render(App, { props: { backend: fakeBackend() } });
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe(
      "Recover my account",
    );
    for (const title of [
      "Recovery codes",
      "Authenticator",
      "Password check",
      "Recover my account",
    ]) {
      await user.click(screen.getByRole("button", { name: new RegExp(title) }));
      expect(screen.getByRole("heading", { level: 1 }).textContent).toBe(title);
      expect(
        screen
          .getByRole("button", { name: new RegExp(title) })
          .getAttribute("aria-current"),
      ).toBe("page");
    }
  });

  it("switches areas with Ctrl+number and moves focus to the heading", async () => {
    const user = userEvent.setup();
    render(App, { props: { backend: fakeBackend() } });
    await user.keyboard("{Control>}3{/Control}");
    const heading = screen.getByRole("heading", { level: 1 });
    expect(heading.textContent).toBe("Authenticator");
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it("shows the keychain as available", async () => {
    const backend = fakeBackend();
    render(App, { props: { backend } });
    await waitFor(() =>
      expect(screen.getByTestId("keychain-state").textContent).toBe(
        "available",
      ),
    );
    expect(screen.getByTestId("keychain-status").textContent).toContain(
      "Secret Service",
    );
    expect(backend.calls.filter((c) => c.startsWith("keychain"))).toEqual([
      "keychainStatus",
    ]);
  });

  it("explains an unavailable keychain and checks again on request", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.keychain = {
      status: "ok",
      data: {
        backend: "Secret Service",
        available: false,
        problem: "locked",
        message: "The keychain is locked.",
      },
    };
    render(App, { props: { backend } });
    await waitFor(() =>
      expect(screen.getByTestId("keychain-state").textContent).toBe(
        "unavailable",
      ),
    );
    expect(screen.getByTestId("keychain-status").textContent).toContain(
      "The keychain is locked.",
    );
    await user.click(screen.getByRole("button", { name: "Check again" }));
    await waitFor(() =>
      expect(backend.calls.filter((c) => c.startsWith("keychain"))).toEqual([
        "keychainStatus",
        "keychainStatus",
      ]),
    );
  });

  it("shows a typed error from the backend in words", async () => {
    const backend = fakeBackend();
    backend.keychain = {
      status: "error",
      error: {
        code: "internal",
        message: "Something went wrong.",
        detail: null,
      },
    };
    render(App, { props: { backend } });
    await waitFor(() =>
      expect(screen.getByTestId("keychain-status").textContent).toContain(
        "Something went wrong.",
      ),
    );
  });
});
