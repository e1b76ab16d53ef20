import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import RecoverArea from "./RecoverArea.svelte";
import { fakeBackend } from "../../lib/fakeBackend";
import { emptyRequest } from "../../lib/request";

async function answerLostDeviceNoCodes(
  user: ReturnType<typeof userEvent.setup>,
) {
  await user.click(await screen.findByLabelText("No"));
  await user.click(screen.getByLabelText("Yes", { selector: "[name=email]" }));
  await user.click(
    screen.getByLabelText("It is on, and I lost my device or app"),
  );
  await user.click(
    screen.getByLabelText("No, I never saved them or lost them"),
  );
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
    expect(backend.calls).not.toContain("requestFindPath");
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

  it("restores a saved draft and still requires what is missing", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.draft = { ...emptyRequest(), username: "mirafoss" };
    render(RecoverArea, { props: { backend, onOpenArea: () => {} } });
    expect((await screen.findByRole("status")).textContent).toContain(
      "restored",
    );
    const username = (await screen.findByLabelText(
      "What is your PyPI username?",
    )) as HTMLInputElement;
    expect(username.value).toBe("mirafoss");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    await user.click(await screen.findByRole("button", { name: "Continue" }));
    expect(await screen.findByRole("alert")).toBeTruthy();
  });
});
