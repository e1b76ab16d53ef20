//! What a user types into the request, in every field at once: the guard and the Markdown
//! and HTML rendering of the public issue and the private email.
#![no_main]
use pypi_recovery::request::{self, Preview, Request};
libfuzzer_sys::fuzz_target!(|text: &str| {
    let mut typed = Request::empty();
    typed.username = text.to_owned();
    typed.reason = text.to_owned();
    typed.private.details = text.to_owned();
    typed.private.emails = vec![text.to_owned()];
    typed.private.projects = vec![text.to_owned()];
    let _ = request::check(&typed);
    let _ = Preview::of(&typed, None);
});
