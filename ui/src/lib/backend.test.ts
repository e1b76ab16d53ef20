import { describe, expect, it } from "vitest";
import { isAllowedExternal } from "./backend";

describe("external link allowlist", () => {
  it("allows the four sites and nothing that merely starts like them", () => {
    expect(isAllowedExternal("https://pypi.org/help/")).toBe(true);
    expect(
      isAllowedExternal("https://github.com/pypi/support/issues/new"),
    ).toBe(true);
    expect(
      isAllowedExternal(
        "https://policies.python.org/python.org/code-of-conduct/",
      ),
    ).toBe(true);
    expect(isAllowedExternal("https://haveibeenpwned.com/")).toBe(true);
    expect(isAllowedExternal("https://pypi.org.evil.example/")).toBe(false);
    expect(isAllowedExternal("https://github.com/pypi/warehouse")).toBe(false);
    expect(isAllowedExternal("http://pypi.org/")).toBe(false);
    expect(isAllowedExternal("javascript:alert(1)")).toBe(false);
  });

  it("matches the support address exactly", () => {
    expect(isAllowedExternal("mailto:support@pypi.org")).toBe(true);
    expect(
      isAllowedExternal("mailto:support@pypi.org?subject=Account%20recovery"),
    ).toBe(true);
    expect(isAllowedExternal("mailto:support@pypi.org.evil.example")).toBe(
      false,
    );
    expect(isAllowedExternal("mailto:support@pypi.orgx")).toBe(false);
    expect(isAllowedExternal("mailto:someone@example.com")).toBe(false);
  });
});
