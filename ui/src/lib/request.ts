import type { Request } from "./backend";

/** A blank version-1 request: where the wizard starts. */
export function emptyRequest(): Request {
  return {
    version: 1,
    username: "",
    reason: "",
    recovery_codes_lost: false,
    code_of_conduct: false,
    acknowledge_delay: false,
    private: {
      emails: [],
      new_email: "",
      projects: [],
      account_created: "",
      details: "",
    },
  };
}
