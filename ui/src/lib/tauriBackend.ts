import { openUrl } from "@tauri-apps/plugin-opener";
import { Channel, invoke } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import type { AppError, Backend, Outcome, TotpSummary } from "./backend";
import { isAllowedExternal } from "./backend";

// Tauri rejects a call it refuses (for example one missing from the capabilities) with a
// plain string rather than our typed error; turn any such surprise into an `internal` error.
function asAppError(error: unknown): AppError {
  if (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    "message" in error
  ) {
    return error as AppError;
  }
  return {
    code: "internal",
    message: `The app refused this action (${String(error)}). Please report it.`,
    detail: null,
  };
}

// Commands that cannot fail still can be refused by Tauri; give them the same shape.
async function infallible<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { status: "ok", data: await run() };
  } catch (error) {
    return { status: "error", error: asAppError(error) };
  }
}

async function call<T>(run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    const outcome = await run();
    return outcome.status === "ok"
      ? outcome
      : { status: "error", error: asAppError(outcome.error) };
  } catch (error) {
    return { status: "error", error: asAppError(error) };
  }
}

export const tauriBackend: Backend = {
  keychainStatus: () => call(() => commands.keychainStatus()),
  codesList: () => call(() => commands.codesList()),
  codesImport: (account, text) =>
    call(() => commands.codesImport(account, text)),
  codesFind: (onProgress) =>
    call(() => {
      const channel = new Channel<Parameters<typeof onProgress>[0]>();
      channel.onmessage = onProgress;
      return commands.codesFind(channel);
    }),
  codesImportFound: (id, account) =>
    call(() => commands.codesImportFound(id, account)),
  codesShowFound: (id) => call(() => commands.codesShowFound(id)),
  codesRevealNext: (account) => call(() => commands.codesRevealNext(account)),
  codesCopyNext: (account) => call(() => commands.codesCopyNext(account)),
  codesSetUsed: (account, index, used) =>
    call(() => commands.codesSetUsed(account, index, used)),
  codesRemove: (account) => call(() => commands.codesRemove(account)),
  totpList: () => call(() => commands.totpList()),
  totpImportLink: (account, link) =>
    call(() => commands.totpImportLink(account, link)),
  // The image goes as the raw body (a JSON array of numbers would cost ~4 bytes per byte),
  // the account in a header; the generated binding cannot send either.
  totpImportImage: async (account, image) => {
    try {
      const data = await invoke<TotpSummary>("totp_import_image", image, {
        headers: { "x-account": encodeURIComponent(account ?? "") },
      });
      return { status: "ok", data };
    } catch (error) {
      return { status: "error", error: asAppError(error) };
    }
  },
  totpImportManual: (account, entry) =>
    call(() => commands.totpImportManual(account, entry)),
  totpCode: (account) => call(() => commands.totpCode(account)),
  totpCopyCode: (account) => call(() => commands.totpCopyCode(account)),
  totpVerify: (account, code) => call(() => commands.totpVerify(account, code)),
  totpReveal: (account) => call(() => commands.totpReveal(account)),
  totpRemove: (account) => call(() => commands.totpRemove(account)),
  backupExport: (passphrase) => call(() => commands.backupExport(passphrase)),
  backupChooseFile: () => call(() => commands.backupChooseFile()),
  backupVerify: (passphrase) => call(() => commands.backupVerify(passphrase)),
  backupRestore: (passphrase, apply) =>
    call(() => commands.backupRestore(passphrase, apply)),
  paperKit: (includeQr) => call(() => commands.paperKit(includeQr)),
  vaultStatusGet: () => infallible(() => commands.vaultStatusGet()),
  vaultOpen: (passphrase) => call(() => commands.vaultOpen(passphrase)),
  vaultLock: () => infallible(() => commands.vaultLock()),
  vaultLeave: () => infallible(() => commands.vaultLeave()),
  print: () => window.print(),
  requestStatus: (issueUrl) => call(() => commands.requestStatus(issueUrl)),
  requestTrackedIssue: () => call(() => commands.requestTrackedIssue()),
  requestBranchCommands: (token) =>
    call(() => commands.requestBranchCommands(token)),
  requestVerify: (repo, token) =>
    call(() => commands.requestVerify(repo, token)),
  requestEvidence: (username, projects) =>
    call(() => commands.requestEvidence(username, projects)),
  requestPathStep: (answers) => call(() => commands.requestPathStep(answers)),
  requestWhoami: (project) => call(() => commands.requestWhoami(project)),
  requestCheck: (request) => call(() => commands.requestCheck(request)),
  requestPreview: (request, issueUrl) =>
    call(() => commands.requestPreview(request, issueUrl)),
  requestLoadDraft: () => infallible(() => commands.requestLoadDraft()),
  requestSaveDraft: (request) => call(() => commands.requestSaveDraft(request)),
  requestForgetDraft: () => call(() => commands.requestForgetDraft()),
  requestEarlier: (username) => call(() => commands.requestEarlier(username)),
  requestRecordHandOff: (username) =>
    call(() => commands.requestRecordHandOff(username)),
  requestExport: (request) => call(() => commands.requestExport(request)),
  requestImport: () => call(() => commands.requestImport()),
  copyText: (text) => call(() => commands.copyText(text)),
  passwordCheck: (password, userInputs) =>
    call(() => commands.passwordCheck(password, userInputs)),
  passwordPwned: (password) => call(() => commands.passwordPwned(password)),
  passphraseGenerate: (words, separator) =>
    infallible(() => commands.passphraseGenerate(words, separator)),
  copySecret: (text) => call(() => commands.copySecret(text)),
  openExternal: (url) =>
    call(async () => {
      if (!isAllowedExternal(url)) {
        return {
          status: "error",
          error: {
            code: "internal",
            message: `The app does not open ${url}.`,
            detail: null,
          },
        };
      }
      await openUrl(url);
      return { status: "ok", data: null };
    }),
};
