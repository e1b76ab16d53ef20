import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import AfterFiling from "./AfterFiling.svelte";
import EvidenceFinder from "./EvidenceFinder.svelte";
import { fakeBackend } from "../../lib/fakeBackend";

const ISSUE = "https://github.com/pypi/support/issues/4321";

beforeEach(() => localStorage.clear());

describe("after filing", () => {
  it("tracks the request: state, queue position and advice, then waits a minute to refresh", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(AfterFiling, { props: { backend, onOpenArea: () => {} } });
    await user.type(screen.getByLabelText("Your issue's address"), ISSUE);
    await user.click(screen.getByRole("button", { name: "Check status" }));
    const card = await screen.findByTestId("request-status");
    expect(within(card).getByTestId("queue").textContent).toMatch(
      /37\s+open account-recovery requests were/,
    );
    expect(card.textContent).toContain("PyPI is waiting for your reply.");
    expect(card.textContent).toMatch(/2\s+comments/);
    const refresh = screen.getByRole("button", { name: /Refresh in \d+ s/ });
    // Unavailable, yet still focusable, so a keyboard user's focus is not dropped.
    expect(refresh.getAttribute("aria-disabled")).toBe("true");
    await user.click(refresh);
    expect(backend.calls).toEqual([`requestStatus:${ISSUE}`]);
  });

  it("says why no link is offered when the submission log was set aside", async () => {
    const backend = fakeBackend({
      failNext: {
        code: "file",
        message:
          "The list of your earlier hand-offs could not be read, so it was set aside as x.",
        detail: null,
      },
      failCommand: "requestTrackedIssue",
    });
    render(AfterFiling, { props: { backend, onOpenArea: () => {} } });
    expect((await screen.findByRole("note")).textContent).toContain(
      "set aside as x",
    );
  });

  it("offers the issue link remembered in the submission log", async () => {
    const backend = fakeBackend();
    backend.submissions.push({
      username: "alice",
      handed_off: "2026-11-01T10:00:00Z",
      issue_url: ISSUE,
      follow_up: "2026-11-15",
    });
    render(AfterFiling, { props: { backend, onOpenArea: () => {} } });
    const input = screen.getByLabelText<HTMLInputElement>(
      "Your issue's address",
    );
    await waitFor(() => expect(input.value).toBe(ISSUE));
  });

  it("shows a failure without losing the address", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      failNext: {
        code: "online_offline",
        message: "Could not reach GitHub.",
        detail: null,
      },
      failCommand: "requestStatus",
    });
    render(AfterFiling, { props: { backend, onOpenArea: () => {} } });
    await user.type(screen.getByLabelText("Your issue's address"), ISSUE);
    await user.click(screen.getByRole("button", { name: "Check status" }));
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Could not reach GitHub.",
    );
    expect(
      (screen.getByLabelText("Your issue's address") as HTMLInputElement).value,
    ).toBe(ISSUE);
  });

  it("waits as long as the app says when asked again too soon, not reading the message", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      failNext: {
        code: "too_soon",
        message: "The status was just refreshed.",
        detail: { kind: "retry_after", seconds: 42 },
      },
      failCommand: "requestStatus",
    });
    render(AfterFiling, { props: { backend, onOpenArea: () => {} } });
    await user.type(screen.getByLabelText("Your issue's address"), ISSUE);
    await user.click(screen.getByRole("button", { name: "Check status" }));
    expect(
      (
        await screen.findByRole("button", { name: "Refresh in 42 s" })
      ).getAttribute("aria-disabled"),
    ).toBe("true");
  });

  it("opens the back-in checklist when the request was completed", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.status = {
      ...backend.status,
      state: "closed",
      state_reason: "completed",
      queue_position: null,
    };
    render(AfterFiling, { props: { backend, onOpenArea: () => {} } });
    await user.type(screen.getByLabelText("Your issue's address"), ISSUE);
    await user.click(screen.getByRole("button", { name: "Check status" }));
    expect(await screen.findByTestId("back-in")).toBeTruthy();
    expect(
      screen
        .getByRole("tab", { name: "I'm back in" })
        .getAttribute("aria-selected"),
    ).toBe("true");
  });

  it("gives the exact commands only for a well-formed token, then checks the branch", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(AfterFiling, { props: { backend, onOpenArea: () => {} } });
    await user.click(screen.getByRole("tab", { name: "Verify ownership" }));
    await user.type(
      screen.getByLabelText("Token from PyPI's email"),
      "user/aB3dE5gH7jK9mN1p",
    );
    expect(
      (await screen.findByText(/exactly 16 letters and digits/)).textContent,
    ).toBeTruthy();
    expect(screen.queryByTestId("branch-commands")).toBeNull();
    await user.clear(screen.getByLabelText("Token from PyPI's email"));
    await user.type(
      screen.getByLabelText("Token from PyPI's email"),
      "aB3dE5gH7jK9mN1p",
    );
    const commands = await screen.findByTestId("branch-commands");
    expect(commands.textContent).toContain(
      "git push origin HEAD:refs/heads/aB3dE5gH7jK9mN1p",
    );
    await user.click(
      within(commands).getAllByRole("button", { name: "Copy" })[0],
    );
    expect(backend.copied).toEqual([
      "git push origin HEAD:refs/heads/aB3dE5gH7jK9mN1p",
    ]);
    expect(backend.calls.some((c) => c.startsWith("requestVerify"))).toBe(
      false,
    );
    await user.type(
      screen.getByLabelText("The project's public repository"),
      "https://github.com/alice/tools",
    );
    await user.click(screen.getByRole("button", { name: "Check the branch" }));
    expect((await screen.findByTestId("branch-check")).textContent).toContain(
      "public",
    );
    expect(backend.calls).toContain(
      "requestVerify:https://github.com/alice/tools:aB3dE5gH7jK9mN1p",
    );
  });

  it("remembers the checklist's ticks and links each item to its place", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    const open = vi.fn();
    const { unmount } = render(AfterFiling, {
      props: { backend, onOpenArea: open },
    });
    await user.click(screen.getByRole("tab", { name: "I'm back in" }));
    await user.click(screen.getByLabelText(/Set a strong new password/));
    await user.click(
      screen.getByRole("button", { name: "Open Authenticator" }),
    );
    expect(open).toHaveBeenCalledWith("authenticator");
    await user.click(
      screen.getByRole("button", { name: "Open Have I Been Pwned" }),
    );
    expect(backend.opened).toEqual(["https://haveibeenpwned.com/"]);
    unmount();
    render(AfterFiling, { props: { backend, onOpenArea: open } });
    await user.click(screen.getByRole("tab", { name: "I'm back in" }));
    expect(
      (screen.getByLabelText(/Set a strong new password/) as HTMLInputElement)
        .checked,
    ).toBe(true);
    expect(screen.getByTestId("back-in").textContent).toMatch(/1 of 5\s+done/);
  });
});

describe("finding projects for the private email", () => {
  it("lists each project, reports missing ones, and adds only found ones to the email", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    const added = vi.fn();
    render(EvidenceFinder, {
      props: {
        backend,
        username: "alice",
        projects: ["alice-tools", "missing-one"],
        onAdd: added,
      },
    });
    await user.click(
      screen.getByRole("button", { name: "Find my projects on PyPI" }),
    );
    const list = await screen.findByTestId("evidence");
    expect(list.textContent).toContain(
      "Owner, first release 2019-04-02, https://github.com/alice/tools",
    );
    expect(list.textContent).toContain("no project called");
    await user.click(
      screen.getByRole("button", { name: "Add to the private email" }),
    );
    expect(added).toHaveBeenCalledWith(
      "From PyPI:\n- alice-tools: Owner; first release 2019-04-02; repository https://github.com/alice/tools",
    );
    expect(backend.calls).toEqual([
      "requestEvidence:alice:alice-tools,missing-one",
    ]);
  });

  it("asks for a username and projects before going online", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(EvidenceFinder, {
      props: { backend, username: "", projects: [], onAdd: () => {} },
    });
    await user.click(
      screen.getByRole("button", { name: "Find my projects on PyPI" }),
    );
    expect(screen.getByRole("alert").textContent).toContain("username");
    expect(backend.calls).toEqual([]);
  });
});
