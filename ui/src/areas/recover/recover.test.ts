import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import RecoverArea from "./RecoverArea.svelte";
import { fakeBackend } from "../../lib/fakeBackend";
import { emptyRequest } from "../../lib/request";

async function answerLostDeviceNoCodes(
  user: ReturnType<typeof userEvent.setup>,
) {
  await user.click(await screen.findByLabelText("PyPI (pypi.org)"));
  await user.click(await screen.findByLabelText("Yes"));
  await user.click(screen.getByRole("button", { name: "Show my path" }));
}

describe("Recover my account", () => {
  it("asks every question before giving a path", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    await user.click(
      await screen.findByRole("button", { name: "Show my path" }),
    );
    expect(screen.getByRole("alert").textContent).toContain(
      "Answer each question",
    );
    expect(screen.queryByTestId("advice")).toBeNull();
  });

  it("shows the questions the core asks, one more after each answer, with the answers sent back", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    expect(
      await screen.findByRole("group", {
        name: "Which site is the account on?",
      }),
    ).toBeTruthy();
    expect(screen.queryByText(/Can you still read email/)).toBeNull();
    await user.click(screen.getByLabelText("TestPyPI (test.pypi.org)"));
    expect(
      await screen.findByRole("group", { name: /Can you still read email/ }),
    ).toBeTruthy();
    expect(backend.calls).toContain('requestPathStep:{"site":"testpypi"}');
    await user.click(screen.getByLabelText("No, I lost access to it"));
    await user.click(screen.getByRole("button", { name: "Show my path" }));
    const advice = await screen.findByTestId("advice");
    expect(within(advice).getByTestId("advice-reason").textContent).toContain(
      "Lost 2FA authentication app",
    );
    // Before filing, the advice offers to look for saved codes.
    expect(
      within(advice).getByText(/look for saved recovery codes/),
    ).toBeTruthy();
  });

  it("gives sign-in advice with the unrecognized-login email and no request button", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      advice: {
        path: "sign_in",
        title: "Sign in as usual",
        why: "You know the password and have your authenticator app.",
        steps: ["Click the link in “Unrecognized login to your PyPI account”."],
        link: "https://pypi.org/account/login/",
        reason: null,
      },
    });
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    await answerLostDeviceNoCodes(user);
    const advice = await screen.findByTestId("advice");
    expect(advice.dataset.path).toBe("sign_in");
    expect(advice.textContent).toContain("Unrecognized login");
    expect(
      within(advice).queryByRole("button", { name: "Start the request" }),
    ).toBeNull();
    expect(document.activeElement?.id).toBe("advice-title");
    await user.click(
      within(advice).getByRole("button", { name: /Open the page/ }),
    );
    expect(backend.opened).toEqual(["https://pypi.org/account/login/"]);
  });

  it("says so when the core refuses the answers", async () => {
    const backend = fakeBackend({
      failNext: {
        code: "internal",
        message: "Something went wrong inside the app.",
        detail: null,
      },
      failCommand: "requestPathStep",
    });
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Something went wrong",
    );
  });

  it("finds a username from a project's maintainers and fills it in", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      roles: {
        project: "",
        organization: "acme",
        roles: [
          { user: "acme-bot", role: "Owner" },
          { user: "mirafoss", role: "Maintainer" },
        ],
      },
    });
    backend.draft = emptyRequest();
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    await user.click(await screen.findByText("Forgot your username?"));
    await user.click(screen.getByRole("button", { name: "Look up" }));
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Enter the name of a project",
    );
    await user.type(
      screen.getByLabelText("Project name"),
      "acme-widgets{Enter}",
    );
    const result = await screen.findByTestId("whoami-result");
    expect(backend.calls).toContain("requestWhoami:acme-widgets");
    expect(result.textContent).toContain("organization acme");
    await user.click(
      within(result).getByRole("button", { name: "This is me: mirafoss" }),
    );
    expect(
      (screen.getByLabelText("What is your PyPI username?") as HTMLInputElement)
        .value,
    ).toBe("mirafoss");
    // Enter in the project field looked it up, and did not submit the step.
    expect(
      screen.getByRole("heading", { name: "Your PyPI username" }),
    ).toBeTruthy();
  });

  it("walks from the path finder through the wizard to a preview, blocking hand-off on a finding", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    await answerLostDeviceNoCodes(user);
    const advice = await screen.findByTestId("advice");
    expect(advice.dataset.path).toBe("file_request");
    await user.click(
      within(advice).getByRole("button", { name: "Start the request" }),
    );

    // Continue with an empty username: the error summary links to the field.
    await user.click(await screen.findByRole("button", { name: "Continue" }));
    const summary = await screen.findByRole("alert");
    expect(within(summary).getByRole("link").getAttribute("href")).toBe(
      "#req-username",
    );
    await user.type(
      screen.getByLabelText("What is your PyPI username?"),
      "mirafoss",
    );
    await user.click(screen.getByRole("button", { name: "Continue" }));

    // The reason is prefilled from the path finder; a leaked email blocks the step.
    const reason = (await screen.findByLabelText(
      "Why can you not sign in?",
    )) as HTMLTextAreaElement;
    expect(reason.value).toBe("Lost 2FA authentication app or security token");
    await user.type(reason, " my email is mira@foss.example");
    await waitFor(() =>
      expect(
        document.querySelector(".finding")?.getAttribute("data-kind"),
      ).toBe("email"),
    );
    await user.click(screen.getByRole("button", { name: "Continue" }));
    expect(screen.getByLabelText("Why can you not sign in?")).toBeTruthy();
    await user.clear(reason);
    await user.type(reason, "Lost my phone");
    await waitFor(() => expect(document.querySelector(".finding")).toBeNull());
    await user.click(screen.getByRole("button", { name: "Continue" }));

    for (const label of [
      /I never generated/,
      /I agree to follow/,
      /I understand that it may take/,
    ]) {
      await user.click(await screen.findByLabelText(label));
    }
    await user.click(screen.getByRole("button", { name: "Continue" }));
    await user.type(
      await screen.findByLabelText("Email addresses the account has used"),
      "mira@foss.example",
    );
    await user.click(screen.getByRole("button", { name: "Continue" }));

    expect(
      await screen.findByRole("heading", { name: "Check your answers" }),
    ).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByTestId("issue-html").innerHTML).toContain(
        "<code>mirafoss</code>",
      ),
    );
    expect(screen.getByText("This will be public on GitHub")).toBeTruthy();
    await user.click(screen.getByRole("tab", { name: "The private email" }));
    expect(screen.getByText("Only PyPI support will see this")).toBeTruthy();
    expect(screen.getByTestId("email-body").textContent).toContain(
      "mira@foss.example",
    );

    await user.click(
      screen.getByRole("button", { name: "Copy “PyPI Username”" }),
    );
    expect(backend.copied).toEqual(["`mirafoss`"]);
    await user.click(
      screen.getByRole("button", { name: /Open the form on GitHub/ }),
    );
    expect(backend.opened[0]).toContain("github.com/pypi/support/issues/new");
    expect(screen.getByTestId("follow-up").textContent).toContain("2026-12-07");
    // The draft was autosaved along the way.
    await waitFor(() => expect(backend.draft?.username).toBe("mirafoss"));
  });

  it("says when the draft was not saved because it holds a secret", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.draft = { ...emptyRequest(), username: "mirafoss" };
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    const username = await screen.findByLabelText(
      "What is your PyPI username?",
    );
    backend.failCommand = "requestSaveDraft";
    backend.failNext = {
      code: "request_holds_secret",
      message:
        "Not saved to disk: the reason holds what looks like a PyPI API token.",
      detail: null,
    };
    await user.type(username, "x");
    expect((await screen.findByTestId("unsaved")).textContent).toContain(
      "Not saved to disk",
    );
    // The next save that works clears the warning.
    await user.type(username, "y");
    await waitFor(() => expect(screen.queryByTestId("unsaved")).toBeNull());
    await waitFor(() => expect(backend.draft?.username).toBe("mirafossxy"));
  });

  it("restores a saved draft and still requires what is missing", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.draft = { ...emptyRequest(), username: "mirafoss" };
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    expect(await screen.findByText(/draft was restored/)).toBeTruthy();
    const username = (await screen.findByLabelText(
      "What is your PyPI username?",
    )) as HTMLInputElement;
    expect(username.value).toBe("mirafoss");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    await user.click(await screen.findByRole("button", { name: "Continue" }));
    expect(await screen.findByRole("alert")).toBeTruthy();
  });

  it("keeps an imported request's emails and projects at Check your answers", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    const complete = (username: string, email: string, project: string) => ({
      ...emptyRequest(),
      username,
      reason: "Lost my phone",
      recovery_codes_lost: true,
      code_of_conduct: true,
      acknowledge_delay: true,
      private: {
        ...emptyRequest().private,
        emails: [email],
        projects: [project],
      },
    });
    backend.draft = complete("mirafoss", "old@foss.example", "oldproject");
    backend.requestFile = complete("mira2", "new@foss.example", "newproject");
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    await screen.findByLabelText("What is your PyPI username?");
    for (let i = 0; i < 4; i++)
      await user.click(await screen.findByRole("button", { name: "Continue" }));
    await screen.findByRole("heading", { name: "Check your answers" });

    await user.click(screen.getByRole("button", { name: "Import JSON…" }));
    expect(await screen.findByText("Request imported.")).toBeTruthy();
    await user.click(screen.getByRole("tab", { name: "The private email" }));
    await waitFor(() =>
      expect(screen.getByTestId("email-body").textContent).toContain(
        "new@foss.example",
      ),
    );
    expect(screen.getByTestId("email-body").textContent).not.toContain(
      "old@foss.example",
    );
    await waitFor(() =>
      expect(backend.draft?.private).toMatchObject({
        emails: ["new@foss.example"],
        projects: ["newproject"],
      }),
    );
  });
});
