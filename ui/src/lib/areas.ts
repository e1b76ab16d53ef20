// The five areas of the app, in navigation order.
export const AREAS = [
  { id: "recover", title: "Recover my account", shortcut: "1" },
  { id: "codes", title: "Recovery codes", shortcut: "2" },
  { id: "authenticator", title: "Authenticator", shortcut: "3" },
  { id: "password", title: "Password check", shortcut: "4" },
  { id: "backup", title: "Backup", shortcut: "5" },
] as const;

export type AreaId = (typeof AREAS)[number]["id"];
