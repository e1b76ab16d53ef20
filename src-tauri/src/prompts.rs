//! Native prompts, opened by Rust inside the command that needs them: the file dialogs and
//! the confirmations. The webview asks for an action; only what the user answers here decides
//! which file is read or written, and whether a secret is removed, replaced or revealed. A
//! script in the webview can ask, but it can neither pick a path nor click these buttons.

use std::path::PathBuf;

// The test double answers every prompt from a file: never in a release build.
#[cfg(all(feature = "scripted-prompts", not(debug_assertions)))]
compile_error!("`scripted-prompts` is a test double for debug builds only");

/// A yes/no question before an irreversible or revealing action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Confirmation {
    /// The dialog's title: the question, naming the account.
    pub title: String,
    /// What happens, and what to do instead.
    pub message: String,
    /// The button that goes ahead ("Remove", "Replace", "Show key"…); the other is "Cancel".
    pub action: String,
}

/// A file to open or a place to save, asked in the system's file dialog.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileQuestion {
    /// The dialog's title.
    pub title: String,
    /// The file type offered, for the filter: its name and extension.
    pub kind: (&'static str, &'static str),
    /// The folder it opens in.
    pub folder: Option<PathBuf>,
    /// The name suggested when saving.
    pub file_name: Option<String>,
}

/// The prompts a command can open. Each call blocks until the user answers, so commands call
/// them off the main thread (`AppState::prompt`).
pub trait Prompts: Send + Sync {
    /// True only when the user pressed the action button.
    fn confirm(&self, question: &Confirmation) -> bool;
    /// The file the user picked, or `None` when they cancelled.
    fn open_file(&self, question: &FileQuestion) -> Option<PathBuf>;
    /// Where the user chose to save, or `None` when they cancelled.
    fn save_file(&self, question: &FileQuestion) -> Option<PathBuf>;
}

/// The real prompts: the dialog plugin's native dialogs, modal over the main window.
pub struct NativePrompts {
    app: tauri::AppHandle,
}

impl NativePrompts {
    pub fn new(app: tauri::AppHandle) -> Self {
        Self { app }
    }

    fn file_dialog(
        &self,
        question: &FileQuestion,
    ) -> tauri_plugin_dialog::FileDialogBuilder<tauri::Wry> {
        use tauri::Manager;
        use tauri_plugin_dialog::DialogExt;
        let (name, extension) = question.kind;
        let mut dialog = self
            .app
            .dialog()
            .file()
            .set_title(shown(&question.title))
            .add_filter(name, &[extension]);
        if let Some(window) = self.app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        if let Some(folder) = &question.folder {
            dialog = dialog.set_directory(folder);
        }
        if let Some(file_name) = &question.file_name {
            dialog = dialog.set_file_name(shown(file_name));
        }
        dialog
    }
}

/// Dialog text with nothing that acts instead of showing: GTK aborts on a NUL, and a
/// bidirectional override in an account name could reorder the question.
fn shown(text: &str) -> String {
    pypi_recovery::text::inert(text).into_owned()
}

impl Prompts for NativePrompts {
    /// On Linux, a GTK message dialog of our own: the dialog plugin's focuses the action, so an
    /// Enter pressed by habit would remove. Here Cancel is focused and is the default, and the
    /// action is marked destructive.
    #[cfg(target_os = "linux")]
    fn confirm(&self, question: &Confirmation) -> bool {
        use gtk::prelude::*;
        use tauri::Manager;
        let (title, message, action) = (
            shown(&question.title),
            shown(&question.message),
            shown(&question.action),
        );
        let app = self.app.clone();
        let (answer, answered) = std::sync::mpsc::channel();
        let shown_on_main = self.app.run_on_main_thread(move || {
            let parent = app
                .get_webview_window("main")
                .and_then(|window| window.gtk_window().ok());
            let dialog = gtk::MessageDialog::new(
                parent.as_ref(),
                gtk::DialogFlags::MODAL | gtk::DialogFlags::DESTROY_WITH_PARENT,
                gtk::MessageType::Warning,
                gtk::ButtonsType::None,
                &title,
            );
            dialog.set_title(&title);
            dialog.set_secondary_text(Some(&message));
            let cancel = dialog.add_button("Cancel", gtk::ResponseType::Cancel);
            let proceed = dialog.add_button(&action, gtk::ResponseType::Accept);
            proceed.style_context().add_class("destructive-action");
            dialog.set_default_response(gtk::ResponseType::Cancel);
            cancel.grab_focus();
            let response = dialog.run();
            dialog.close();
            let _ = answer.send(response == gtk::ResponseType::Accept);
        });
        shown_on_main.is_ok() && answered.recv().unwrap_or(false)
    }

    #[cfg(not(target_os = "linux"))]
    fn confirm(&self, question: &Confirmation) -> bool {
        use tauri::Manager;
        use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
        let mut dialog = self
            .app
            .dialog()
            .message(shown(&question.message))
            .title(shown(&question.title))
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(
                shown(&question.action),
                "Cancel".into(),
            ));
        if let Some(window) = self.app.get_webview_window("main") {
            dialog = dialog.parent(&window);
        }
        dialog.blocking_show()
    }

    fn open_file(&self, question: &FileQuestion) -> Option<PathBuf> {
        self.file_dialog(question)
            .blocking_pick_file()
            .and_then(|path| path.into_path().ok())
    }

    fn save_file(&self, question: &FileQuestion) -> Option<PathBuf> {
        self.file_dialog(question)
            .blocking_save_file()
            .and_then(|path| path.into_path().ok())
    }
}

/// **Test double** for the native dialogs, which WebDriver cannot reach: answers come from a
/// file the test writes (one JSON answer per line, taken in order), and every question asked
/// is appended to `FILE.asked` so the test can check that the prompt named the account. With
/// no answer left it cancels. Built only into tests and the `scripted-prompts` feature the
/// end-to-end suite enables; the shipped app has only the native prompts.
/// The answer `"native"` hands that one prompt to the real dialog, for the test that drives it.
#[cfg(any(test, feature = "scripted-prompts"))]
pub struct ScriptedPrompts {
    answers: PathBuf,
    lock: std::sync::Mutex<()>,
    native: Option<NativePrompts>,
}

#[cfg(any(test, feature = "scripted-prompts"))]
impl ScriptedPrompts {
    /// The environment variable naming the answers file for the end-to-end suite.
    #[cfg(feature = "scripted-prompts")]
    pub const ENV: &'static str = "PYPI_RECOVERY_SCRIPTED_PROMPTS";

    pub fn new(answers: PathBuf, native: Option<NativePrompts>) -> Self {
        Self {
            answers,
            lock: std::sync::Mutex::new(()),
            native,
        }
    }

    /// The real prompts, when the next answer asks for them.
    fn native(&self, answer: &serde_json::Value) -> Option<&NativePrompts> {
        self.native.as_ref().filter(|_| answer == "native")
    }

    /// Records the question and takes the next answer: `true`/`false` for a confirmation,
    /// a path string (or `null`) for a file dialog.
    fn answer(&self, kind: &str, question: &impl serde::Serialize) -> serde_json::Value {
        use std::io::Write;
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let asked = serde_json::json!({ "kind": kind, "question": question });
        let mut log_path = self.answers.clone().into_os_string();
        log_path.push(".asked");
        if let Ok(mut log) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log_path)
        {
            let _ = writeln!(log, "{asked}");
        }
        let text = std::fs::read_to_string(&self.answers).unwrap_or_default();
        let mut lines = text.lines().filter(|line| !line.trim().is_empty());
        let first = lines
            .next()
            .and_then(|line| serde_json::from_str(line).ok());
        let rest: Vec<&str> = lines.collect();
        let _ = std::fs::write(&self.answers, rest.join("\n"));
        first.unwrap_or(serde_json::Value::Null)
    }
}

#[cfg(any(test, feature = "scripted-prompts"))]
impl Prompts for ScriptedPrompts {
    fn confirm(&self, question: &Confirmation) -> bool {
        let answer = self.answer("confirm", question);
        match self.native(&answer) {
            Some(native) => native.confirm(question),
            None => answer == serde_json::Value::Bool(true),
        }
    }

    fn open_file(&self, question: &FileQuestion) -> Option<PathBuf> {
        let answer = self.answer("open", question);
        match self.native(&answer) {
            Some(native) => native.open_file(question),
            None => answer.as_str().map(PathBuf::from),
        }
    }

    fn save_file(&self, question: &FileQuestion) -> Option<PathBuf> {
        let answer = self.answer("save", question);
        match self.native(&answer) {
            Some(native) => native.save_file(question),
            None => answer.as_str().map(PathBuf::from),
        }
    }
}

/// The prompts for the app: native ones, unless a test build was started with answers.
pub fn for_app(app: tauri::AppHandle) -> std::sync::Arc<dyn Prompts> {
    #[cfg(feature = "scripted-prompts")]
    if let Some(answers) = std::env::var_os(ScriptedPrompts::ENV) {
        let native = NativePrompts::new(app);
        return std::sync::Arc::new(ScriptedPrompts::new(answers.into(), Some(native)));
    }
    std::sync::Arc::new(NativePrompts::new(app))
}
